import * as assert from "node:assert/strict";
import * as pulumi from "@pulumi/pulumi";
import type { Stack } from "@pulumi/pulumi/automation";
import { startEmulator, RunningEmulator } from "../../emulator";
import { engineStack } from "../../scripts/engine";
import * as fleio from "../../sdk";
import { MODULE, withOutputs } from "../../sdk/types";
import { FleioDirect } from "./support/fleio-direct";
import { legacyProviderHandle, twoMethodHandle } from "../unit/support/legacy-handle";
import { providerText } from "../../sdk/provider-handle";
import { destroyAsPreviewed, upAsPreviewed } from "./support/preview-matches-up";

// A stack deployed with 0.1.0, or with the build after it, holds that build's
// serialized provider in every resource. Moving it to this release must show no
// change and make no call, its old text must
// still read and delete, and after the next up every resource's inputs carry the new
// text. (Its outputs keep the old text until the resource is next updated: the engine
// keeps a "same" resource's outputs, and read/delete use the text from the outputs.)

const client = (i: number) => ({ firstName: "Up", lastName: `Grade${i}`, email: `up${i}@upgrade.example`, phone: "1", address1: "a", city: "c", zipCode: "1", country: "DE", currency: "EUR", externalBillingId: `upgrade-${i}` });

class LegacyResource extends pulumi.dynamic.Resource {}

/** The same resources, declared through an older handle (same type tokens, names and inputs). */
function legacyProgram(handle: (kind: string) => pulumi.dynamic.ResourceProvider) {
    return () => {
        for (const i of [1, 2]) {
            new LegacyResource(handle("Reseller"), `r${i}`, withOutputs(client(i), ["clientId", "name", "status", "dateCreated"]), undefined, MODULE, "Reseller");
        }
        new LegacyResource(handle("Configuration"), "conf", withOutputs({ name: "upgrade-conf" }, ["configurationId", "resellerResourcesId", "clientCount"]), undefined, MODULE, "Configuration");
        return {};
    };
}

function currentProgram() {
    for (const i of [1, 2]) new fleio.Reseller(`r${i}`, client(i));
    new fleio.Configuration("conf", { name: "upgrade-conf" });
    return {};
}

interface StateResource { type: string; inputs?: Record<string, unknown>; outputs?: Record<string, unknown> }
async function fleioResources(stack: Stack): Promise<StateResource[]> {
    const state = await stack.exportStack();
    return (state.deployment.resources as StateResource[]).filter((r) => r.type.startsWith("pulumi-nodejs:dynamic/fleio:"));
}

const olderHandles: [string, (kind: string) => pulumi.dynamic.ResourceProvider, number][] = [
    ["0.1.0's provider handle", legacyProviderHandle, 2000],
    ["the two-method handle of the build after 0.1.0", twoMethodHandle, 800],
];

for (const [title, handle, oldTextAtLeast] of olderHandles) {
    describe(`upgrading a stack from ${title}`, function () {
        this.timeout(300_000);
        let em: RunningEmulator;
        let f: FleioDirect;
        const stackFor = (program: () => object, fresh: boolean) =>
            engineStack(async () => program(), { area: "integration", projectName: "provider-upgrade", fleioUrl: em.url, fleioToken: em.staffToken, fresh });

        before(async () => {
            em = await startEmulator({ seed: 11, deleteDelayMs: 50 });
            f = new FleioDirect(em);
        });
        // The last step destroys; the emulator goes with this process.
        after(async () => {
            await em?.close();
        });

        it("old state previews with the new handle as no change, with no API call; refresh reads through the old text", async () => {
            const old = await stackFor(legacyProgram(handle), true);
            await upAsPreviewed(old);
            for (const r of await fleioResources(old)) assert.ok(String(r.inputs?.__provider).length > oldTextAtLeast, "the stack holds the older text");
            const upgraded = await stackFor(currentProgram, false);
            const before = await f.apiCalls();
            const p = await upgraded.preview();
            assert.deepEqual(p.changeSummary, { same: 4 }, "stack + 3 resources, all unchanged");
            assert.equal((await f.apiCalls()) - before, 0);

            const refreshed = await upgraded.refresh();
            assert.equal(refreshed.summary.result, "succeeded");
            assert.deepEqual(Object.keys(refreshed.summary.resourceChanges ?? {}).filter((k) => k !== "same"), []);
        });

        it("the next up writes this release's text, one per kind, and destroy works", async () => {
            const upgraded = await stackFor(currentProgram, false);
            const up = await upAsPreviewed(upgraded);
            assert.deepEqual(up.summary.resourceChanges, { same: 4 });
            const resources = await fleioResources(upgraded);
            const texts = new Map<string, Set<string>>();
            for (const r of resources) {
                const text = String(r.inputs?.__provider);
                assert.equal(text, providerText(r.type.split(":").pop()!), "this release's text");
                (texts.get(r.type) ?? texts.set(r.type, new Set()).get(r.type)!).add(text);
            }
            assert.deepEqual([...texts.values()].map((s) => s.size), [1, 1], "one text per kind");
            const destroyed = await destroyAsPreviewed(upgraded);
            assert.equal(destroyed.summary.result, "succeeded");
        });
    });
}
