import type * as dynamic from "@pulumi/pulumi/dynamic";

/**
 * The object Pulumi serializes into state (`__provider`, in every resource's inputs
 * AND outputs) and that the provider process turns back into a provider.
 *
 * Its size is paid twice per resource and on every snapshot the engine writes, so it
 * is as small as Pulumi's closure serializer allows. The serializer wraps every
 * distinct function in ~170 bytes of scaffolding, so the object holds two functions,
 * not seven: `plan` (configure, check, diff, read: no writes to Fleio) and `apply`
 * (create, update, delete). The host calls each method with a fixed argument list,
 * so `pulumi-fleio/provider` tells the methods of a group apart by their arguments
 * (see provider/index.ts). The kind is a plain property read through `this`, so
 * nothing else is captured; the implementation is loaded by package name, where the
 * provider process resolves it from the project's node_modules.
 *
 * One object per kind, created once: Pulumi caches the serialized text per provider
 * object (a WeakMap), so a new object per resource would serialize it again for
 * every resource.
 */
export function providerHandle(kind: string): dynamic.ResourceProvider {
    let handle = handles.get(kind);
    if (!handle) {
        handle = makeHandle(kind);
        handles.set(kind, handle);
    }
    return handle;
}

const handles = new Map<string, dynamic.ResourceProvider>();

// Method shorthand, not arrows: they need the `this` and `arguments` of the call, and
// unlike named function declarations they capture nothing (not even themselves).
// Their source text is what lands in state: keep it short and on one line.
const methods = {
    plan(this: { k: string }) { return require("pulumi-fleio/provider").plan(this.k, arguments); },
    apply(this: { k: string }) { return require("pulumi-fleio/provider").apply(this.k, arguments); },
};

function makeHandle(kind: string): dynamic.ResourceProvider {
    const { plan, apply } = methods;
    const handle = { k: kind, configure: plan, check: plan, diff: plan, read: plan, create: apply, update: apply, delete: apply };
    return handle as unknown as dynamic.ResourceProvider;
}
