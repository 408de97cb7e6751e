import * as assert from "node:assert/strict";
import * as pulumi from "@pulumi/pulumi";
import type * as dynamic from "@pulumi/pulumi/dynamic";
import { providerText } from "../../sdk/provider-handle";
import { resource, resources } from "../../provider";
import { resetProviderContext } from "../../provider/context";
import * as fleio from "../../sdk";
import { legacyProviderHandle, twoMethodHandle } from "./support/legacy-handle";

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

const BUDGET = 128;
const resellerInputs = { firstName: "Ada", lastName: "Op", email: "ada@example.com", phone: "+49 1", address1: "1 St", city: "Berlin", zipCode: "10115", country: "DE", currency: "EUR" };

describe("provider handle: one small provider text per kind", () => {
    for (const kind of Object.keys(resources)) {
        it(`${kind}: at most ${BUDGET} bytes, naming the kind and the package, a tenth of the closure serializer's`, async () => {
            const text = providerText(kind);
            assert.ok(text.length <= BUDGET, `${text.length} bytes: ${text}`);
            assert.ok(text.includes(`"${kind}"`) && text.includes(`require("pulumi-fleio/provider")`), text);
            assert.ok((await serialized(twoMethodHandle(kind))).length > 8 * text.length, "the previous build's handle was ~890 bytes");
        });
    }

    it("every resource of a kind carries the same text, and no credential", async () => {
        const providers: Record<string, unknown[]> = {};
        process.env.FLEIO_TOKEN = "s3cr3t-handle-token";
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
            const made: pulumi.Resource[] = [1, 2, 3].map((i) => new fleio.Reseller(`r${i}`, { ...resellerInputs, externalBillingId: `x${i}` }));
            made.push(new fleio.Reseller("r4", resellerInputs), new fleio.Configuration("c", { name: "conf" }));
            await new Promise<void>((resolve) => pulumi.all(made.map((r) => r.urn)).apply(() => resolve()));
        } finally {
            delete process.env.FLEIO_TOKEN;
        }
        assert.deepEqual(providers["pulumi-nodejs:dynamic/fleio:Reseller"], Array(4).fill(providerText("Reseller")));
        assert.deepEqual(providers["pulumi-nodejs:dynamic/fleio:Configuration"], [providerText("Configuration")]);
        assert.ok(!JSON.stringify(providers).includes("s3cr3t"));
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

    const texts: [string, () => Promise<string>][] = [
        ["this release's text", async () => providerText(kind)],
        ["the previous build's two-method handle still in older state", () => serialized(twoMethodHandle(kind))],
        ["0.1.0's handle still in older state", () => serialized(legacyProviderHandle(kind))],
    ];
    for (const [name, text] of texts) {
        it(`${name}: each method, with the host's argument lists`, async () => {
            const h = deserialized(await text());
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
        const h = deserialized(providerText(kind));
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
