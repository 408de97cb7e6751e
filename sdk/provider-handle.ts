import type * as dynamic from "@pulumi/pulumi/dynamic";

/**
 * The object Pulumi serializes into state for every resource. It must stay tiny and
 * stable: it captures only the resource kind, and loads the implementation by package
 * name inside each method, where the provider process resolves it from the project's
 * node_modules. A relative path would break on another machine; a captured module
 * (zod schemas, the API client) would not serialize at all.
 */
export function providerHandle(kind: string): dynamic.ResourceProvider {
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
