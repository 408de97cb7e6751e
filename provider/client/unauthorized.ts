import type { TokenSource } from "../config";

/**
 * What to do when Fleio answers 401: it names where the token came from (never the
 * token) and the fix for that source.
 *
 * The engine configures a dynamic provider with the whole stack configuration, and
 * records it with the provider in the state at every `pulumi up`. `pulumi refresh`,
 * `pulumi destroy` and the refresh of `pulumi up --refresh` do not run the program, so they
 * configure it from that record: after `pulumi config set --secret fleio:token <new>` they
 * still send the old token until the next `up`, unless they run the program
 * (`--run-program`, PULUMI_RUN_PROGRAM=true),
 * which registers the provider with the stack's current configuration (checked with
 * CLI v3.248.0: pkg/resource/deploy/target.go GetPackageConfig, providers/registry.go).
 * FLEIO_TOKEN is read by the provider process itself, so it is always the current one.
 */
export function unauthorizedHint(source: TokenSource): string {
    // A command (discover, contract) is told with what its user typed: flags, not stack keys.
    if (source === "flags") {
        return "Fleio refused the token from the environment variable FLEIO_TOKEN: set FLEIO_TOKEN to a valid API token of a Fleio staff user (a reseller's own with --api-scope reseller)";
    }
    if (source === "env") {
        return "Fleio refused the token from the environment variable FLEIO_TOKEN: set FLEIO_TOKEN to a valid API token of a Fleio staff user (a reseller's own with fleio:apiScope reseller)";
    }
    return (
        "Fleio refused the token from stack config fleio:token. If you rotated it: set the new one with `pulumi config set --secret fleio:token <token>`, " +
        "and add --run-program (or set PULUMI_RUN_PROGRAM=true) to refresh, destroy and up --refresh, which without it send the token the stack's last `pulumi up` recorded"
    );
}
