import { redact } from "./client/redact";
import { ClientSettings, resolveSettings } from "./config";

/** What a command (contract, discover) takes on its command line; the token only from FLEIO_TOKEN. */
export interface FlagSettings {
    url?: string;
    /** For callers that hold a token already (tests); never a flag. */
    token?: string;
    apiScope?: string;
    insecureSkipVerify?: boolean;
}

/**
 * A command's settings, resolved exactly as the provider's (so the token is handled and
 * redacted as in a `pulumi up`), with every complaint in the command's own words: its
 * flags and FLEIO_TOKEN rather than stack config keys. `usage` makes the command's
 * usage error from that text.
 */
export function settingsFromFlags(flags: FlagSettings, env: NodeJS.ProcessEnv, usage: (message: string) => Error): ClientSettings {
    if (!(flags.token ?? env.FLEIO_TOKEN)) throw usage("the token is not set: export FLEIO_TOKEN=<the API token of a staff user> (it is never printed)");
    const config: Record<string, string | undefined> = {
        "fleio:url": flags.url,
        "fleio:token": flags.token,
        "fleio:apiScope": flags.apiScope,
        "fleio:insecureSkipVerify": flags.insecureSkipVerify === undefined ? undefined : String(flags.insecureSkipVerify),
    };
    try {
        // A refused token is then explained with the command's flags (client/unauthorized.ts).
        return { ...resolveSettings((k) => config[k], env), tokenSource: "flags" };
    } catch (e) {
        throw usage(redact((e as Error).message.replace(/fleio:url/g, "--url").replace(/fleio:token/g, "the token (FLEIO_TOKEN)").replace(/fleio:apiScope/g, "--api-scope")));
    }
}
