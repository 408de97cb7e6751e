import * as assert from "node:assert/strict";
import type { Stack } from "@pulumi/pulumi/automation";
import { startEmulator, RunningEmulator } from "../../emulator";
import { engineStack, outputValues } from "../../scripts/engine";
import { seedWorkflow } from "../../examples/seed/program";
import { FleioDirect } from "./support/fleio-direct";

// A create answered 5xx is not fatal: the provider looks the object up by its natural
// key; Fleio did not make it, so it is sent again, and one `up` converges.
describe("a 5xx answer to a create is recovered within one up", function () {
    this.timeout(300_000);
    let em: RunningEmulator;
    let f: FleioDirect;
    let stack: Stack;

    const faults = (body: unknown) => f.setFaults(body);
    const requests = () => f.requests();

    before(async () => {
        em = await startEmulator({ seed: 17, deleteDelayMs: 50 });
        f = new FleioDirect(em);
        await f.defaultStaffPlanId();
        stack = await engineStack(async () => seedWorkflow(), { area: "integration", projectName: "create-5xx", fleioUrl: em.url, fleioToken: em.staffToken, fresh: true });
    });
    // No clean-up destroy: the emulator goes with this process and the next run starts from empty state.
    after(async () => {
        await em?.close();
    });

    it("the first creates answered 500, 502 and 500 are looked up, sent again, and each object exists once", async () => {
        // Fleio answers these without acting on them: nothing was made.
        await faults({ match: { method: "POST", pathPrefix: "/backend/staffapi/" }, script: [{ status: 500 }, { status: 502 }, { status: 500 }] });
        const out = outputValues((await stack.up({ color: "never" })).outputs);
        await faults({});

        const failed = (await requests()).filter((r) => r.method === "POST" && r.status >= 500);
        assert.equal(failed.length, 3, `three creates were answered 5xx: ${JSON.stringify(failed)}`);
        for (const r of failed) {
            const sent = (await requests()).filter((x) => x.method === "POST" && x.path === r.path);
            assert.ok(sent.some((x) => x.status < 300), `${r.path} was sent again and made it`);
        }

        // Exactly the declared objects, once each.
        const clients = await f.ok<{ objects: { id: number }[] }>("GET", `clients?external_billing_id=${encodeURIComponent("reseller-cloud.acme-reseller.example")}`);
        assert.deepEqual(clients.objects.map((c) => String(c.id)), [out.resellerClientId]);
        const plans = (await f.ok<{ objects: { name: string }[] }>("GET", "openstack/billing/plan?page_size=1000")).objects.map((p) => p.name).sort();
        assert.deepEqual(plans, ["Acme retail", "Default", "Reseller pricing - Acme Cloud"]);
        const rules = (await f.ok<{ objects: { display_name: string; plan: number }[] }>("GET", "openstack/billing/pricerule?page_size=1000")).objects;
        assert.equal(rules.filter((r) => String(r.plan) === out.resellerPlanId).length, 3);
        assert.equal(rules.filter((r) => String(r.plan) === out.retailPlanId).length, 1);
        const live = await f.liveResellerService(out.resellerClientId);
        assert.equal(String(live?.id), out.resellerServiceId);
        assert.equal(String(live?.plan), out.resellerPlanId);
        const configs = (await f.ok<{ objects: { name: string }[] }>("GET", "configurations?page_size=1000")).objects.filter((c) => c.name === "acme-retail");
        assert.equal(configs.length, 1);

        const before = await f.apiCalls();
        const p = await stack.preview({ color: "never" });
        assert.deepEqual(Object.entries(p.changeSummary).filter(([k, n]) => k !== "same" && (n ?? 0) > 0), []);
        assert.equal((await f.apiCalls()) - before, 0);
    });
});
