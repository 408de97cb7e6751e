import * as assert from "node:assert/strict";
import * as pulumi from "@pulumi/pulumi";
import type * as dynamic from "@pulumi/pulumi/dynamic";
import { providerHandle } from "../../sdk/provider-handle";
import { resource, resources } from "../../provider";
import { resetProviderContext } from "../../provider/context";
import * as fleio from "../../sdk";
import { legacyProviderHandle } from "./support/legacy-handle";

// The serialized provider is stored twice in every resource's state and rewritten
// with every snapshot: it must be small, shared, and still route every call the
// dynamic-provider host makes to the right method.

/** What the engine stores in state for a handle, serialized by Pulumi's own runtime. */
async function serialized(provider: dynamic.ResourceProvider): Promise<string> {
    // Named `provider` like the variable pulumi/dynamic captures: the name is in the text.
    return (await pulumi.runtime.serializeFunction(() => provider, { allowSecrets: false })).text;
}

/** What the dynamic-provider host does with that text (cmd/dynamic-provider: requireFromString(text).handler()). */
function deserialized(text: string): dynamic.ResourceProvider {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const requireFromString = require("require-from-string") as (code: string) => { handler: () => dynamic.ResourceProvider };
    return requireFromString(text).handler();
}

const BUDGET = 900;
const resellerInputs = { firstName: "Ada", lastName: "Op", email: "ada@example.com", phone: "+49 1", address1: "1 St", city: "Berlin", zipCode: "10115", country: "DE", currency: "EUR" };

describe("provider handle: one small serialized provider per kind", () => {
    it("is one object per kind, reused by every resource of that kind", () => {
        assert.equal(providerHandle("Reseller"), providerHandle("Reseller"));
        assert.notEqual(providerHandle("Reseller"), providerHandle("Configuration"));
    });

    for (const kind of Object.keys(resources)) {
        it(`${kind}: serialized in at most ${BUDGET} bytes, capturing nothing but the kind`, async () => {
            const text = await serialized(providerHandle(kind));
            assert.ok(text.length <= BUDGET, `${text.length} bytes:\n${text}`);
            assert.ok(text.includes(`k: "${kind}"`), "the kind is in the text");
            assert.equal((text.match(/^function __f\d+\(/gm) ?? []).length, 3, "the handler and two methods, nothing else");
            assert.ok((await serialized(legacyProviderHandle(kind))).length > 2 * text.length, "less than half of 0.1.0's");
        });
    }

    it("is serialized once per kind however many resources use it", async () => {
        const closure = require("@pulumi/pulumi/runtime/closure/serializeClosure") as { serializeFunction: (...a: unknown[]) => Promise<{ text: string }> };
        const original = closure.serializeFunction;
        const serializedKinds: string[] = [];
        const providers: Record<string, unknown[]> = {};
        closure.serializeFunction = async (...args: unknown[]) => {
            const r = await original(...args);
            serializedKinds.push(/k: "(\w+)"/.exec(r.text)?.[1] ?? "?");
            return r;
        };
        try {
            await pulumi.runtime.setMocks(
                {
                    newResource: (a) => {
                        (providers[a.type] ??= []).push(a.inputs.__provider);
                        return { id: `${a.name}-id`, state: a.inputs };
                    },
                    call: () => ({}),
                },
                "handle-test",
                "dev",
                false,
            );
            const made = [1, 2, 3].map((i) => new fleio.Reseller(`r${i}`, { ...resellerInputs, externalBillingId: `x${i}` }));
            made.push(new fleio.Reseller("r4", resellerInputs) as never);
            await new Promise<void>((resolve) => pulumi.all(made.map((r) => r.urn)).apply(() => resolve()));
        } finally {
            closure.serializeFunction = original;
        }
        // Handles used by earlier tests of this process were serialized then, not here.
        assert.ok(serializedKinds.filter((k) => k === "Reseller").length <= 1, `at most one serialization for four Resellers: ${serializedKinds.join(", ")}`);
        const texts = providers["pulumi-nodejs:dynamic/fleio:Reseller"];
        assert.equal(texts.length, 4);
        assert.equal(new Set(texts).size, 1, "every Reseller carries the same text");
        assert.equal(texts[0], await serialized(providerHandle("Reseller")));
    });
});

describe("provider handle: the host's calls reach the right method", () => {
    // Spies on a real resource's methods: the routing is what is under test here,
    // not what the resource does with the call.
    const kind = "Configuration";
    const impl = resource(kind) as Required<dynamic.ResourceProvider>;
    const methods = ["check", "diff", "create", "read", "update", "delete"] as const;
    const saved = Object.fromEntries(methods.map((m) => [m, impl[m]]));
    let calls: [string, unknown[]][] = [];
    beforeEach(() => {
        calls = [];
        for (const m of methods) (impl as any)[m] = async (...args: unknown[]) => (calls.push([m, args]), { via: m });
    });
    afterEach(() => Object.assign(impl, saved));

    for (const [name, make] of [["this release's handle", providerHandle], ["0.1.0's handle still in older state", legacyProviderHandle]] as const) {
        it(`${name}: each method, with the host's argument lists`, async () => {
            const h = deserialized(await serialized(make(kind)));
            const olds = { name: "a" };
            const news = { name: "b" };
            assert.deepEqual(await h.check!(olds, news), { via: "check" });
            assert.deepEqual(await h.check!({}, news), { via: "check" }, "a create's check: olds is {}");
            assert.deepEqual(await h.diff!("7", olds, news), { via: "diff" });
            assert.deepEqual(await h.create(news), { via: "create" });
            assert.deepEqual(await h.read!("7", olds), { via: "read" });
            assert.deepEqual(await h.update!("7", olds, news), { via: "update" });
            assert.deepEqual(await h.delete!("7", olds), { via: "delete" });
            assert.deepEqual(
                calls,
                [["check", [olds, news]], ["check", [{}, news]], ["diff", ["7", olds, news]], ["create", [news]], ["read", ["7", olds]], ["update", ["7", olds, news]], ["delete", ["7", olds]]],
            );
        });
    }

    it("configure reaches the provider's configure (credentials stay in the process)", async () => {
        resetProviderContext();
        const h = deserialized(await serialized(providerHandle(kind)));
        const config: Record<string, string> = { "fleio:url": "https://one.example.com", "fleio:token": "t0k3n" };
        await h.configure!({ config: { get: (k: string) => config[k], require: (k: string) => config[k] } } as never);
        const { providerContext } = require("../../provider/context") as typeof import("../../provider/context");
        assert.equal(providerContext().settings.siteUrl, "https://one.example.com");
        resetProviderContext();
    });

    it("a call the host never makes is refused with a clear error", async () => {
        const { plan, apply } = require("../../provider") as typeof import("../../provider");
        await assert.rejects(plan(kind, []), /called configure, check, read or diff with 0 arguments/);
        await assert.rejects(apply(kind, [1, 2, 3, 4]), /called create, delete or update with 4 arguments/);
    });
});
