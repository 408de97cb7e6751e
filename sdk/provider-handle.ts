import * as pulumi from "@pulumi/pulumi";
import { MODULE } from "./types";
import { shortStackForNextResource } from "./short-stack";

/**
 * What every resource stores as `__provider`, in its inputs AND its outputs, and
 * what the engine rewrites with every snapshot: the dynamic-provider host runs it as
 * a module (`requireFromString(text).handler()`, @pulumi/pulumi cmd/dynamic-provider)
 * and calls the provider `handler()` returns.
 *
 * We write that module ourselves instead of letting `pulumi.dynamic.Resource` run
 * Pulumi's closure serializer over a provider object: the serializer wraps every
 * function in scaffolding (885–892 bytes for our smallest object, 2,243 in 0.1.0),
 * while the module only has to name the kind and load the implementation by package
 * name, where the provider process resolves it from the project's node_modules.
 * The text is the same for every resource of a kind and never holds a credential.
 */
export function providerText(kind: string): string {
    return `exports.handler=()=>require("pulumi-fleio/provider").handler(${JSON.stringify(kind)})`;
}

/**
 * The arguments of `pulumi.CustomResource`'s constructor for a dynamic resource of this
 * package: what `pulumi.dynamic.Resource` would register (the
 * `pulumi-nodejs:dynamic/<module>:<type>` token, served by the engine's nodejs dynamic
 * provider, with the provider in `__provider`), carrying {@link providerText}.
 *
 * Each resource class extends CustomResource directly and spreads this into super():
 * Pulumi records the caller four frames above Resource's constructor as the
 * resource's source position, which is the user's line only when no class sits in
 * between.
 */
export function dynamicRegistration(
    kind: string,
    name: string,
    props: Record<string, unknown>,
    opts: pulumi.CustomResourceOptions | undefined,
): [string, string, pulumi.Inputs, pulumi.CustomResourceOptions | undefined] {
    return [`pulumi-nodejs:dynamic/${MODULE}:${kind}`, name, { ...props, __provider: providerText(kind) }, opts];
}

/** The type token of a resource in the native package (bin/pulumi-resource-fleio). */
export const nativeType = (kind: string) => `fleio:index:${kind}`;

/**
 * The same resource registered with the native plugin: type `fleio:index:<Kind>`, no
 * `__provider`, and an alias from the dynamic type, so a stack made with the dynamic
 * provider moves over with no change in Fleio (the engine matches the old state entry
 * through the alias and diffs it with the plugin, which compares inputs only).
 */
export function nativeRegistration(
    kind: string,
    name: string,
    props: Record<string, unknown>,
    opts: pulumi.CustomResourceOptions | undefined,
): [string, string, pulumi.Inputs, pulumi.CustomResourceOptions | undefined] {
    const aliases = [...(opts?.aliases ?? []), { type: `pulumi-nodejs:dynamic/${MODULE}:${kind}` }];
    return [nativeType(kind), name, props, { ...opts, aliases }];
}

/**
 * Which provider serves this program's resources: the dynamic provider (the default), or
 * the native plugin when the stack sets `fleio:native` to true (the project's Pulumi.yaml
 * must then name the plugin: `plugins: providers: [{name: fleio, path: node_modules/pulumi-fleio/bin}]`).
 */
export function registration(
    kind: string,
    name: string,
    props: Record<string, unknown>,
    opts: pulumi.CustomResourceOptions | undefined,
): [string, string, pulumi.Inputs, pulumi.CustomResourceOptions | undefined] {
    // The constructor the answer is spread into records the call stack next: keep it short (sdk/short-stack.ts).
    shortStackForNextResource();
    return useNative() ? nativeRegistration(kind, name, props, opts) : dynamicRegistration(kind, name, props, opts);
}

export function useNative(): boolean {
    const v = pulumi.runtime.getConfig("fleio:native");
    if (v === undefined || v === "" || v === "false") return false;
    if (v === "true") return true;
    throw new pulumi.RunError(`fleio:native must be "true" or "false": run \`pulumi config set fleio:native true\` to use the native plugin`);
}
