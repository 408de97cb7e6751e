import * as assert from "node:assert/strict";
import type { Stack } from "@pulumi/pulumi/automation";
import { startEmulator, RunningEmulator } from "../../emulator";
import { engineStack, outputValues } from "../../scripts/engine";
import { FleioDirect } from "./support/fleio-direct";
import { resellerSetup } from "./support/reseller-program";
import { previewSteps, upAsPreviewed } from "./support/preview-matches-up";

/**
 * Issue 19, items 1 and 2, with the real engine, under both providers. A reseller's
 * service, panel, configuration and retail plan are keyed on its client id: while the
 * client had an update pending, a preview that no longer knew that id showed them all
 * replaced, which `up` then did not do. And an update whose target Fleio already held
 * as declared sent a PATCH or PUT anyway (a rule's PUT recreates its conditions).
 */
for (const native of [false, true]) {
    describe(`preview = up, and no write without a difference (${native ? "native plugin" : "dynamic provider"}, real engine)`, function () {
        this.timeout(600_000);
        let em: RunningEmulator;
        let f: FleioDirect;
        let stack: Stack;
        let out: Record<string, any> = {};
        let city = "Berlin";
        let smallPrice = "0.02";

        const name = (urn: string) => urn.split("::").pop();
        const stepsByName = (steps: Record<string, string[]>) => Object.fromEntries(Object.entries(steps).map(([urn, ops]) => [name(urn), ops]));
        /** The requests Fleio served while `run` ran, other than reads. */
        const writesDuring = async (run: () => Promise<unknown>) => {
            const before = await f.apiCalls();
            await run();
            const n = (await f.apiCalls()) - before;
            return n ? (await f.requests()).slice(-n).filter((r) => r.method !== "GET").map((r) => `${r.method} ${r.path}`) : [];
        };
        const clientCity = async () => (await f.ok<{ city: string }>("GET", `clients/${out.clientId}`)).city;
        const smallRule = () => f.ok<{ id: number; pricing: { prices: { f: unknown; p: unknown }[] }; conditions: { id: number }[] }>("GET", `openstack/billing/pricerule/${out.ruleIds[0]}`);
        const up = async () => {
            const r = await upAsPreviewed(stack, { color: "never" });
            out = outputValues(r.outputs);
            return r;
        };
        const emptyPreviewNoCalls = async () => {
            const before = await f.apiCalls();
            assert.deepEqual(await previewSteps(stack), {}, "the next preview is empty");
            assert.equal((await f.apiCalls()) - before, 0, "and makes no Fleio API calls");
        };

        before(async () => {
            em = await startEmulator({ seed: 19, deleteDelayMs: 50 });
            f = new FleioDirect(em);
            await f.defaultStaffPlanId();
            stack = await engineStack(async () => resellerSetup({ city, prices: { "m1.small": smallPrice } }), {
                area: "integration",
                projectName: `preview-is-up-${native ? "native" : "dynamic"}`,
                fleioUrl: em.url,
                fleioToken: em.staffToken,
                native,
                fresh: true,
            });
        });
        after(async () => {
            await em?.close();
        });

        it("up creates the reseller setup, exactly as previewed", async () => {
            const r = await up();
            assert.equal(r.summary.resourceChanges?.create, 12, JSON.stringify(r.summary.resourceChanges));
            await emptyPreviewNoCalls();
        });

        it("a changed city in the program: the preview shows the client's update and nothing replaced; up does the same", async () => {
            city = "Potsdam";
            const planned = stepsByName(await previewSteps(stack));
            assert.deepEqual(planned, { reseller: ["update"] }, "the client id stays known: its service, panel, configuration and retail plan stay as they are");
            const ids = { ...out };
            await up();
            assert.equal(await clientCity(), "Potsdam");
            assert.deepEqual(out, ids, "every object kept its id");
            await emptyPreviewNoCalls();
        });

        it("a city changed in Fleio: after refresh the preview shows only the client's update, and up does just that", async () => {
            await f.ok("PATCH", `clients/${out.clientId}`, { city: "Hamburg" });
            await stack.refresh({ color: "never" });
            assert.deepEqual(stepsByName(await previewSteps(stack)), { reseller: ["update"] });
            await up();
            assert.equal(await clientCity(), "Potsdam", "up puts the program's city back");
            await emptyPreviewNoCalls();
        });

        it("Fleio already holds the program's new values (set by hand): up updates the state and sends no write", async () => {
            // The state says Potsdam and 0.02; the program and Fleio say Leipzig and 0.03.
            city = "Leipzig";
            smallPrice = "0.03";
            await f.ok("PATCH", `clients/${out.clientId}`, { city: "Leipzig" });
            const rule = await smallRule();
            await f.ok("PUT", `openstack/billing/pricerule/${rule.id}`, { ...rule, pricing: { ...rule.pricing, prices: [{ f: 0, p: 0.03 }] } });
            const conditionIds = (await smallRule()).conditions.map((c) => c.id);
            let planned: Record<string, string[]> = {};
            const writes = await writesDuring(async () => (planned = stepsByName((await up()).planned)));
            assert.deepEqual(planned, { reseller: ["update"], "m1.small-hour": ["update"] }, "the state differs from the program: both are updates");
            assert.deepEqual(writes, [], "Fleio already holds both: no PUT, PATCH or POST");
            assert.deepEqual((await smallRule()).conditions.map((c) => c.id), conditionIds, "the rule's conditions were not recreated");
            await emptyPreviewNoCalls();
        });
    });
}
