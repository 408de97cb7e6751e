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
