import type * as dynamic from "@pulumi/pulumi/dynamic";

/**
 * The provider handle exactly as pulumi-fleio 0.1.0 built it (seven arrow functions,
 * the kind captured, a new object per resource). Its serialized text is what stacks
 * deployed with 0.1.0 hold in state; tests use it to stand for such a stack.
 */
export function legacyProviderHandle(kind: string): dynamic.ResourceProvider {
    return {
        configure: (req) => require("pulumi-fleio/provider").configure(req),
        check: (olds, news) => require("pulumi-fleio/provider").resource(kind).check(olds, news),
        diff: (id, olds, news) => require("pulumi-fleio/provider").resource(kind).diff(id, olds, news),
        create: (inputs) => require("pulumi-fleio/provider").resource(kind).create(inputs),
        read: (id, props) => require("pulumi-fleio/provider").resource(kind).read(id, props),
        update: (id, olds, news) => require("pulumi-fleio/provider").resource(kind).update(id, olds, news),
        delete: (id, props) => require("pulumi-fleio/provider").resource(kind).delete(id, props),
    };
}

/**
 * The handle of the build after 0.1.0: one object per kind holding two method
 * shorthands, `plan` and `apply`, serialized by Pulumi's closure serializer (about
 * 890 bytes). Stacks deployed with that build hold its text in state.
 */
export function twoMethodHandle(kind: string): dynamic.ResourceProvider {
    const methods = {
        plan(this: { k: string }) { return require("pulumi-fleio/provider").plan(this.k, arguments); },
        apply(this: { k: string }) { return require("pulumi-fleio/provider").apply(this.k, arguments); },
    };
    const { plan, apply } = methods;
    return { k: kind, configure: plan, check: plan, diff: plan, read: plan, create: apply, update: apply, delete: apply } as unknown as dynamic.ResourceProvider;
}
