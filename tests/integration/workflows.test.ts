import * as assert from "node:assert/strict";
import type { Stack } from "@pulumi/pulumi/automation";
import { startEmulator, RunningEmulator } from "../../emulator";
import { engineStack, outputValues } from "../../scripts/engine";
import { defaultSeed, seedWorkflow, SeedSettings } from "../../examples/seed/program";
import { resellerOwnProgram } from "../../examples/reseller-own/program";
import { FleioDirect } from "./support/fleio-direct";
import { destroyAsPreviewed, upAsPreviewed } from "./support/preview-matches-up";

// The seed workflow runs here on the emulator's default setup, a Fleio with no default
// staff plan; native-migration runs it on an operator's Fleio with one.
describe("the seed workflow (the demo's program) under the real engine, on a Fleio with no default staff plan", function () {
    this.timeout(300_000);
    let em: RunningEmulator;
    let f: FleioDirect;
    let stack: Stack;
    let out: Record<string, any>;
    let settings: SeedSettings = defaultSeed;

    before(async () => {
        em = await startEmulator({ seed: 3, deleteDelayMs: 50 });
        f = new FleioDirect(em);
        stack = await engineStack(async () => seedWorkflow(settings), { area: "integration", projectName: "seed-workflow", fleioUrl: em.url, fleioToken: em.staffToken, fresh: true });
    });
    // The stack is up again at the end: no clean-up destroy, the emulator goes with this process.
    after(async () => {
        await em?.close();
    });

    it("sets up the reseller: service on its plan, panel URL on its domain, owned configuration and plan", async () => {
        out = outputValues((await upAsPreviewed(stack)).outputs);
        const live = await f.liveResellerService(out.resellerClientId);
        assert.equal(String(live?.id), out.resellerServiceId);
        assert.equal(String(live?.plan), out.resellerPlanId, "the reseller service is priced by the reseller plan");
        assert.equal(live?.url, "https://cloud.acme-reseller.example/");
        const plan = await f.ok("GET", `openstack/billing/plan/${out.resellerPlanId}`);
        assert.equal(plan.pricing_rules.length, 3, "three pricing rules on the reseller plan");
        const config = await f.ok("GET", `configurations/${out.configurationId}`);
        const retail = await f.ok("GET", `openstack/billing/plan/${out.retailPlanId}`);
        assert.ok(config.reseller_resources !== null && config.reseller_resources === retail.reseller_resources, "configuration and retail plan belong to the reseller");
    });

    it("a user who signs up on the reseller's domain becomes the reseller's", async () => {
        const frontend = out.endUserFrontend as { resellerClientId: number; signupPath: string };
        const res = await fetch(`${em.url}${frontend.signupPath}`, {
            method: "POST",
            headers: { "content-type": "application/json" },
            body: JSON.stringify({ email: "new.customer@example.net", first_name: "New", last_name: "Customer", password: "long-enough-password", reseller_client_id: frontend.resellerClientId }),
        });
        assert.equal(res.status, 201);
        const user = (await res.json()) as { id: number };
        const seen = await f.ok("GET", `users/${user.id}`);
        assert.equal(String(seen.reseller_client), out.resellerClientId);
    });

    it("a second preview shows no changes and makes no API calls", async () => {
        const before = await f.apiCalls();
        const p = await stack.preview();
        assert.deepEqual(Object.keys(p.changeSummary).filter((k) => k !== "same" && (p.changeSummary as Record<string, number>)[k] > 0), []);
        assert.equal((await f.apiCalls()) - before, 0);
    });

    it("a renamed reseller renames its staff plan in place: Fleio's own default staff plan is made first, and the output says so", async () => {
        const staffDefault = async () => (await f.ok<{ objects: { id: number; name: string; is_default: boolean; reseller_resources: number | null }[] }>("GET", "openstack/billing/plan?page_size=1000")).objects.filter((p) => p.is_default && p.reseller_resources === null);
        assert.deepEqual(await staffDefault(), [], "Fleio has no default staff plan, so it refuses a staff plan update that does not make one");
        settings = { ...defaultSeed, company: "Acme Cloud Group" };
        let printed = "";
        const r = await upAsPreviewed(stack, { onOutput: (o) => (printed += o) });
        assert.deepEqual(r.summary.resourceChanges, { same: r.summary.resourceChanges?.same, update: 2 }, "the plan and the client, in place");
        assert.equal((await f.ok("GET", `openstack/billing/plan/${out.resellerPlanId}`)).name, "Reseller pricing - Acme Cloud Group");
        const made = await staffDefault();
        assert.deepEqual(made.map((p) => p.name), ["default"]);
        assert.match(printed, new RegExp(`Fleio had no default staff plan, so one was made \\(plan ${made[0].id} "default", EUR\\), because Fleio refuses to save staff plan ${out.resellerPlanId}`));
        const before = await f.apiCalls();
        const p = await stack.preview();
        assert.deepEqual(Object.keys(p.changeSummary).filter((k) => k !== "same" && (p.changeSummary as Record<string, number>)[k] > 0), []);
        assert.equal((await f.apiCalls()) - before, 0);
    });

    it("destroy, with Fleio's default suspend_instead_of_terminate: nothing of ours stays active, and it says what Fleio kept", async () => {
        let printed = "";
        await destroyAsPreviewed(stack, { onOutput: (o) => (printed += o) });
        const client = await f.ok("GET", `clients/${out.resellerClientId}`);
        assert.equal(client.status, "suspended", "Fleio keeps the client, suspended");
        const kept = await f.ok("GET", `billing/services/${out.resellerServiceId}`);
        assert.equal(kept.status, "suspended", "and its reseller service");
        assert.notEqual(String((await f.liveResellerService(out.resellerClientId))?.plan), out.resellerPlanId, "moved off the reseller plan, so that plan could go");
        assert.equal((await f.call("GET", `openstack/billing/plan/${out.resellerPlanId}`)).status, 404);
        assert.equal((await f.call("GET", `openstack/billing/plan/${out.retailPlanId}`)).status, 404);
        assert.equal((await f.call("GET", `configurations/${out.configurationId}`)).status, 404);
        assert.match(printed, new RegExp(`Fleio kept client ${out.resellerClientId} .*suspended`));
        assert.match(printed, new RegExp(`Fleio kept reseller service ${out.resellerServiceId} of client ${out.resellerClientId} suspended`));
    });

    it("up again takes back the client and service Fleio kept (same externalBillingId), with no duplicate", async () => {
        let printed = "";
        const again = outputValues((await upAsPreviewed(stack, { onOutput: (o) => (printed += o) })).outputs);
        assert.equal(again.resellerClientId, out.resellerClientId, "the same client, resumed");
        assert.equal(again.resellerServiceId, out.resellerServiceId, "the same reseller service, resumed");
        assert.match(printed, /resumed client .*which Fleio had kept suspended/);
        assert.equal((await f.ok("GET", `clients/${again.resellerClientId}`)).status, "active");
        const live = await f.liveResellerService(again.resellerClientId);
        assert.equal(String(live?.plan), again.resellerPlanId);
        assert.equal(live?.url, "https://cloud.acme-reseller.example/");
        const same = await f.ok<{ objects: unknown[] }>("GET", `clients?external_billing_id=${encodeURIComponent("reseller-cloud.acme-reseller.example")}`);
        assert.equal(same.objects.length, 1, "one client with the reseller's external billing id");
        const plans = (await f.ok<{ objects: { name: string }[] }>("GET", "openstack/billing/plan?page_size=1000")).objects;
        assert.equal(plans.filter((p) => p.name === `Reseller pricing - ${settings.company}`).length, 1, "one reseller plan");
        assert.equal((await f.ok("GET", `openstack/billing/plan/${again.resellerPlanId}`)).pricing_rules.length, 3);
        const before = await f.apiCalls();
        const p = await stack.preview();
        assert.deepEqual(Object.keys(p.changeSummary).filter((k) => k !== "same" && (p.changeSummary as Record<string, number>)[k] > 0), []);
        assert.equal((await f.apiCalls()) - before, 0);
    });
});

// GitOps (resellers added, repriced, refused and removed by editing data files) runs in
// gitops-pipeline.test.ts, through the pipeline's own steps.

describe("a reseller's own stack against the reseller API", function () {
    this.timeout(300_000);
    let em: RunningEmulator;
    let f: FleioDirect;
    let staff: Stack;
    let own: Stack;
    let resellerToken = "";

    before(async () => {
        em = await startEmulator({ seed: 9, deleteDelayMs: 50 });
        f = new FleioDirect(em);
        staff = await engineStack(async () => seedWorkflow(), { area: "integration", projectName: "own-staff", fleioUrl: em.url, fleioToken: em.staffToken, fresh: true });
    });
    // No clean-up destroy of the staff stack: the emulator goes with this process.
    after(async () => {
        await em?.close();
    });

    it("creates the reseller's plan, rule and configuration in its own scope", async () => {
        const seed = outputValues((await upAsPreviewed(staff)).outputs);
        const minted = (await (await fetch(`${em.url}/__emulator/reseller-token`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ client_id: Number(seed.resellerClientId) }) })).json()) as { token: string };
        resellerToken = minted.token;
        own = await engineStack(async () => resellerOwnProgram(), { area: "integration", projectName: "own-reseller", fleioUrl: em.url, fleioToken: resellerToken, apiScope: "reseller", fresh: true });
        const out = outputValues((await upAsPreviewed(own)).outputs);
        const plan = await f.ok("GET", `openstack/billing/plan/${out.planId}`);
        const config = await f.ok("GET", `configurations/${out.configurationId}`);
        const service = await f.ok("GET", `clients/${seed.resellerClientId}/reseller_services`);
        const scope = (Object.values(service.resources)[0] as { id: number }).id;
        assert.equal(plan.reseller_resources, scope, "the plan belongs to the reseller");
        assert.equal(config.reseller_resources, scope, "the configuration belongs to the reseller");
        const p = await own.preview();
        assert.equal(p.changeSummary.update ?? 0, 0);
        const state = JSON.stringify(await own.exportStack());
        assert.doesNotMatch(state, /"undefined"/, "no output holds the text \"undefined\" (the reseller API renders no reseller_resources)");
    });

    it("updates the reseller's rule in place", async () => {
        own = await engineStack(async () => resellerOwnProgram("0.04"), { area: "integration", projectName: "own-reseller", fleioUrl: em.url, fleioToken: resellerToken, apiScope: "reseller" });
        const r = await upAsPreviewed(own);
        assert.equal(r.summary.resourceChanges?.update, 1, JSON.stringify(r.summary.resourceChanges));
    });

    it("un-defaulting the reseller's only plan is refused at preview with the fix, and nothing is sent", async () => {
        const seen = (await f.requests()).length;
        own = await engineStack(async () => resellerOwnProgram("0.04", { isDefault: false }), { area: "integration", projectName: "own-reseller", fleioUrl: em.url, fleioToken: resellerToken, apiScope: "reseller" });
        await assert.rejects(own.preview({ color: "never" }), /isDefault.*Fleio refuses to save this plan with isDefault false: it is the scope's only default plan.*Set isDefault: true on this plan/s);
        assert.deepEqual((await f.requests()).slice(seen).filter((r) => r.method !== "GET").map((r) => `${r.method} ${r.path}`), [], "only reads");
        own = await engineStack(async () => resellerOwnProgram("0.04"), { area: "integration", projectName: "own-reseller", fleioUrl: em.url, fleioToken: resellerToken, apiScope: "reseller" });
        const before = await f.apiCalls();
        const p = await own.preview({ color: "never" });
        assert.deepEqual(Object.entries(p.changeSummary).filter(([k, n]) => k !== "same" && (n ?? 0) > 0), []);
        assert.equal((await f.apiCalls()) - before, 0);
    });

    it("destroys cleanly: its plan (services moved to the reseller's other plan), rule and configuration are gone", async () => {
        const out = outputValues(await own.outputs());
        const r = await destroyAsPreviewed(own);
        assert.ok((r.summary.resourceChanges?.delete ?? 0) >= 3, JSON.stringify(r.summary.resourceChanges));
        assert.equal((await f.call("GET", `configurations/${out.configurationId}`)).status, 404);
        assert.equal((await f.call("GET", `openstack/billing/plan/${out.planId}`)).status, 404);
        const rules = (await f.ok<{ objects: { plan: number }[] }>("GET", "openstack/billing/pricerule?page_size=1000")).objects;
        assert.equal(rules.filter((x) => String(x.plan) === out.planId).length, 0, "its rule is gone");
    });
});
