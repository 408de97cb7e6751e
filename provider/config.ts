import { z } from "zod";

/**
 * Provider settings, from stack config (`fleio:*`) with environment fallbacks.
 * Read in the provider's `configure()` and in SDK lookups; never captured in a
 * serialized closure, never written to outputs.
 */
export interface ClientSettings {
    /** e.g. https://billing.example.com/backend/staffapi (no trailing slash). */
    apiRoot: string;
    /** Where Fleio lives, without the API path: https://billing.example.com */
    siteUrl: string;
    apiScope: "staff" | "reseller";
    token: string;
    /**
     * Where the token came from: stack config `fleio:token` or the FLEIO_TOKEN variable.
     * A refused token is reported by its source, never by its value (client/unauthorized.ts).
     */
    tokenSource: TokenSource;
    insecureSkipVerify: boolean;
    maxConcurrency: number;
    timeoutMs: number;
    retries: number;
    retryBaseDelayMs: number;
    retryMaxDelayMs: number;
    deleteTimeoutMs: number;
    /** How long an unreachable Fleio is tried in all, and each connection attempt (client/retry-policy.ts); defaults 5 s and 2 s. */
    connectBudgetMs?: number;
    connectTimeoutMs?: number;
}

/** `flags`: a command (discover, contract) whose settings are its flags and FLEIO_TOKEN, not stack config. */
export type TokenSource = "config" | "env" | "flags";

type Getter = (key: string) => string | undefined;

const ENV: Record<string, string> = {
    url: "FLEIO_URL",
    token: "FLEIO_TOKEN",
    apiScope: "FLEIO_API_SCOPE",
    insecureSkipVerify: "FLEIO_INSECURE_SKIP_VERIFY",
    maxConcurrency: "FLEIO_MAX_CONCURRENCY",
    timeoutSeconds: "FLEIO_TIMEOUT_SECONDS",
    maxRetries: "FLEIO_MAX_RETRIES",
    deleteTimeoutSeconds: "FLEIO_DELETE_TIMEOUT_SECONDS",
};

const boolText = z.enum(["true", "false"], { error: 'must be "true" or "false"' }).transform((v) => v === "true");
const intText = (min: number, max: number) =>
    z.string().regex(/^\d+$/, `must be a whole number from ${min} to ${max}`).transform(Number).pipe(z.number().min(min, `must be at least ${min}`).max(max, `must be at most ${max}`));

const raw = z.object({
    url: z
        .string({ error: "is not set: run `pulumi config set fleio:url https://billing.example.com` or set FLEIO_URL" })
        .trim()
        .regex(/^https?:\/\/[^\s/?#]+(\/[^\s?#]*)?$/, "must be an http(s) URL such as https://billing.example.com"),
    token: z
        .string({ error: "is not set: run `pulumi config set --secret fleio:token <token>` or set FLEIO_TOKEN" })
        .trim()
        .min(1, "is empty: run `pulumi config set --secret fleio:token <token>`")
        .regex(/^\S+$/, "must not contain spaces (paste only the token, without the word 'Token')"),
    apiScope: z.enum(["staff", "reseller"], { error: 'must be "staff" (default) or "reseller"' }).default("staff"),
    insecureSkipVerify: boolText.default(false),
    maxConcurrency: intText(1, 64).default(8),
    timeoutSeconds: intText(1, 600).default(30),
    maxRetries: intText(0, 10).default(4),
    deleteTimeoutSeconds: intText(1, 3600).default(300),
});

const given = (x: string | undefined): x is string => x !== undefined && x !== "";

/** Resolves settings; errors name the config key and how to set it, never a value. */
export function resolveSettings(get: Getter, env: NodeJS.ProcessEnv = process.env): ClientSettings {
    const input: Record<string, string | undefined> = {};
    const fromConfig = new Set<string>();
    for (const key of Object.keys(ENV)) {
        // An empty value counts as unset, in config as in the environment, so an empty
        // config key still falls back to its FLEIO_* variable.
        const c = get(`fleio:${key}`);
        const v = [c, env[ENV[key]]].find(given);
        if (v !== undefined) input[key] = v;
        if (given(c)) fromConfig.add(key);
    }
    const parsed = raw.safeParse(input);
    if (!parsed.success) {
        const lines = parsed.error.issues.map((i) => `fleio:${i.path.join(".")} ${i.message}`);
        throw new Error(`Fleio provider configuration is invalid:\n  ${lines.join("\n  ")}`);
    }
    const s = parsed.data;
    // Accept the site URL or a full API URL; keep one canonical form.
    const siteUrl = s.url.replace(/\/+$/, "").replace(/\/backend\/(staffapi|resellerapi)$/, "");
    return {
        apiRoot: `${siteUrl}/backend/${s.apiScope === "reseller" ? "resellerapi" : "staffapi"}`,
        siteUrl,
        apiScope: s.apiScope,
        token: s.token,
        tokenSource: fromConfig.has("token") ? "config" : "env",
        insecureSkipVerify: s.insecureSkipVerify,
        maxConcurrency: s.maxConcurrency,
        timeoutMs: s.timeoutSeconds * 1000,
        retries: s.maxRetries,
        retryBaseDelayMs: 300,
        retryMaxDelayMs: 60_000,
        deleteTimeoutMs: s.deleteTimeoutSeconds * 1000,
    };
}
