/**
 * The provider's runtime: what each serialized dynamic provider `require`s by package
 * name (`pulumi-fleio/provider`) inside its methods. Nothing here is captured in state.
 */
import type * as dynamic from "@pulumi/pulumi/dynamic";
import { setConfigSource } from "./context";
import { quietError } from "./quiet-error";
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
    if (!impl) throw quietError(`pulumi-fleio has no resource "${kind}"; the installed package may be older than the program's state`);
    return impl;
}

/**
 * The provider of one kind, as the `__provider` text in state asks for it
 * (sdk/provider-handle.ts). The host calls configure() once per distinct text, so
 * once per kind; the context it fills is shared by all kinds (provider/context.ts).
 */
export function handler(kind: string): dynamic.ResourceProvider {
    const r = resource(kind);
    return {
        configure,
        check: (olds, news) => r.check!(olds, news),
        diff: (id, olds, news) => r.diff!(id, olds, news),
        create: (inputs) => r.create(inputs),
        read: (id, props) => r.read!(id, props),
        update: (id, olds, news) => r.update!(id, olds, news),
        delete: (id, props) => r.delete!(id, props),
    };
}

// Older handles still in state, which every release must keep serving:
// - 0.1.0 serialized seven arrow functions that call configure() and resource();
// - the next build serialized two functions, `plan` and `apply`, that forward each
//   call here with the kind and the host's arguments. The host (@pulumi/pulumi
//   cmd/dynamic-provider) calls every method with a fixed argument list, which is
//   what tells the methods of one group apart:
//     plan:  configure(req) · check(olds, news) · read(id, props) · diff(id, olds, news)
//     apply: create(inputs) · delete(id, props) · update(id, olds, news)
//   check and read both take two arguments; only read's first is an id (a string).

/** configure, check, read and diff: the methods that never write to Fleio. */
export function plan(kind: string, args: ArrayLike<any>): Promise<unknown> {
    const r = resource(kind);
    switch (args.length) {
        case 1:
            return configure(args[0]);
        case 2:
            return typeof args[0] === "string" ? r.read!(args[0], args[1]) : r.check!(args[0], args[1]);
        case 3:
            return r.diff!(args[0], args[1], args[2]);
    }
    return unexpected("configure, check, read or diff", args.length);
}

/** create, delete and update: the methods that write to Fleio. */
export function apply(kind: string, args: ArrayLike<any>): Promise<unknown> {
    const r = resource(kind);
    switch (args.length) {
        case 1:
            return r.create(args[0]);
        case 2:
            return r.delete!(args[0], args[1]);
        case 3:
            return r.update!(args[0], args[1], args[2]);
    }
    return unexpected("create, delete or update", args.length);
}

function unexpected(methods: string, count: number): Promise<never> {
    return Promise.reject(
        quietError(`pulumi-fleio: the Pulumi dynamic provider host called ${methods} with ${count} arguments; this @pulumi/pulumi is not one pulumi-fleio supports (~3.248)`),
    );
}
