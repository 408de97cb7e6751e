import * as pulumi from "@pulumi/pulumi";

/**
 * The engine hands the whole stack configuration to a dynamic provider and stores it in
 * state with the provider's inputs; only secret values are encrypted there. A token set
 * with plain `pulumi config set` would therefore be written in clear to the stack's
 * state, its history and backups. So the program stops before its first resource
 * registers, when nothing has reached the backend yet.
 */
export function refusePlainToken(): void {
    // isConfigSecret is exported by @pulumi/pulumi ~3.248 but not in its typings.
    const isSecret = (pulumi.runtime as unknown as { isConfigSecret?: (key: string) => boolean }).isConfigSecret;
    if (typeof isSecret !== "function") return;
    if (pulumi.runtime.getConfig("fleio:token") !== undefined && !isSecret("fleio:token")) {
        throw new pulumi.RunError(
            "fleio:token is set in plain text, so Pulumi would store it unencrypted in this stack's state. " +
                "Set it as a secret: `pulumi config set --secret fleio:token <token>` (or remove it and use the FLEIO_TOKEN environment variable).",
        );
    }
}
