/**
 * The provider's runtime: what each serialized dynamic provider `require`s by package
 * name (`pulumi-fleio/provider`) inside its methods. Nothing here is captured in state.
 */
import type * as dynamic from "@pulumi/pulumi/dynamic";
import { setConfigSource } from "./context";
import { resources, ResourceKind } from "./registry";

export { resources, ResourceKind } from "./registry";
export { FleioClient } from "./client/http";
export { FleioApiError } from "./client/errors";
export { resolveSettings, ClientSettings } from "./config";
export * as lookups from "./lookups";

/** Reads credentials once per provider process; the values stay in this process. */
export async function configure(req: dynamic.ConfigureRequest): Promise<void> {
    setConfigSource((key) => req.config.get(key));
}

export function resource(kind: string): dynamic.ResourceProvider {
    const impl = resources[kind as ResourceKind];
    if (!impl) throw new Error(`pulumi-fleio has no resource "${kind}"; the installed package may be older than the program's state`);
    return impl;
}
