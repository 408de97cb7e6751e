import * as assert from "node:assert/strict";
import { outputValues } from "../../scripts/engine";
import { added, census, ids } from "./support/census";
import { pendingOperations, pulumiCli, removeEmptyAttrs, stateUrns, upKilledWhen } from "./support/interrupt";
import { assertExactlyDeclared, clearPendingCreates, harness, interrupt, PLAN_ADOPT, post, upAddingAdopts, upOutputs } from "./support/recovery";

// `pulumi up` killed mid-run where the runbook needs more than cancel, refresh and up:
// a skipped refresh, a plan (no unique key) the next up asks to adopt, Pulumi's own
// --import-pending-creates, and a run that wrote no checkpoints (support/recovery.ts).

describe("an up killed while a pricing rule was being created: skipping the refresh leaves the pending creates in state", function () {
    this.timeout(600_000);
    const h = harness(37);
    it("up after cancel alone takes the rules over, but warns and keeps the pending creates until refresh --clear-pending-creates", async () => {
        await interrupt(h, post("openstack/billing/pricerule"), "rules");
        let log = "";
        const out = outputValues((await h.timed("up", () => h.stack.up({ color: "never", onOutput: (o) => (log += o) }))).outputs);
        assert.match(log, /Attempting to deploy or update resources with \d+ pending operations from previous deployment/);
        assert.ok((await pendingOperations(h.stack)).length > 0, "the pending creates are still in the state after a successful up");
        await clearPendingCreates(h);
        await assertExactlyDeclared(h, out);
    });
});

describe("an up killed while a plan was being created: the next up names the plan and the adopt to add", function () {
    this.timeout(600_000);
    const h = harness(33);
    it("the up after the runbook stops with the plan's id; with that adopt, up ends with exactly the declared objects", async () => {
        await interrupt(h, post("openstack/billing/plan"), "plans");
        await clearPendingCreates(h);
        const err = await h.timed("upStopped", () => h.stack.up({ color: "never" }).then(() => undefined, (e: Error) => e));
        assert.ok(err, "up stops on the plan it cannot tell from someone else's");
        const m = err.message.match(PLAN_ADOPT);
        assert.ok(m, `the error names the plan's id and the adopt to add: ${err.message.slice(0, 2000)}`);
        assert.equal(m[1], added(h.baseline, await census(h.f)).plans.find((p) => p.name === "Reseller pricing - Rescue Cloud")?.id, "the id named is the orphaned plan's");
        h.adopt["reseller-plan"] = m[1];
        const out = await upOutputs(h);
        assert.equal(out.resellerPlanId, m[1], "the stack manages the plan the killed run made");
        await assertExactlyDeclared(h, out);
    });
});

describe("an up killed while a plan was being created: refresh --import-pending-creates does not record the plan (Pulumi 3.248, a dynamic resource), adopt does", function () {
    this.timeout(600_000);
    const h = harness(34);
    it("the pending create is dropped without a resource in state, and the next up asks for the same adopt", async () => {
        await interrupt(h, post("openstack/billing/plan"), "plans");
        const [pending] = (await pendingOperations(h.stack)).filter((p) => p.urn.endsWith("OpenstackPlan::reseller-plan"));
        assert.ok(pending, "the plan's create is pending");
        const orphan = added(h.baseline, await census(h.f)).plans.find((p) => p.name === "Reseller pricing - Rescue Cloud");
        assert.ok(orphan, "the killed run made the plan in Fleio");
        await h.timed("refreshImport", () => pulumiCli(h.stack, ["refresh", "--yes", "--skip-preview", "--import-pending-creates", pending.urn, "--import-pending-creates", orphan.id]));
        // Only the plan's: the kill may also have caught the client's create in flight.
        assert.deepEqual((await pendingOperations(h.stack)).filter((p) => p.urn === pending.urn), [], "the plan's pending create is gone");
        assert.ok(!(await stateUrns(h.stack)).includes(pending.urn), "but the plan did not enter the state");
        const err = await h.timed("upStopped", () => h.stack.up({ color: "never" }).then(() => undefined, (e: Error) => e));
        assert.match(err?.message ?? "(up succeeded)", PLAN_ADOPT);
        h.adopt["reseller-plan"] = orphan.id;
        await assertExactlyDeclared(h, await upOutputs(h));
    });
});

describe("an up run with PULUMI_SKIP_CHECKPOINTS and killed late: the state records nothing of that run", function () {
    this.timeout(600_000);
    const h = harness(38);
    it("cancel and up take over what has a unique key and stop for each plan the run made, naming its adopt; with those adopts, exactly the declared objects", async () => {
        // The engine then writes state once, at the end: faster (npm run bench --
        // --skip-checkpoints), but a run that never ends records none of its creates.
        process.env.PULUMI_SKIP_CHECKPOINTS = "true";
        try {
            await h.timed("killedUp", () => upKilledWhen(h.stack, h.proxy, post("configurations")));
        } finally {
            delete process.env.PULUMI_SKIP_CHECKPOINTS;
        }
        removeEmptyAttrs("integration", h.projectName);
        const orphans = added(h.baseline, await census(h.f));
        assert.ok(orphans.clients.length === 1 && orphans.services.length === 1 && orphans.plans.length >= 1 && orphans.rules.length >= 1, `the run made its objects: ${JSON.stringify(ids(orphans))}`);
        assert.deepEqual((await stateUrns(h.stack)).filter((u) => u.includes("dynamic/fleio")), [], "and the state holds none of them");
        assert.deepEqual(await pendingOperations(h.stack), [], "not even as pending creates");
        await h.timed("cancel", () => h.stack.cancel());
        const out = await upAddingAdopts(h);
        // The retail plan is made beside the configuration: the kill may come before it.
        assert.ok(Object.keys(h.adopt).every((k) => k === "reseller-plan" || k === "retail-plan") && "reseller-plan" in h.adopt, `adopts asked for: ${JSON.stringify(h.adopt)}`);
        // A create the kill cut off may still land after the census above: each plan
        // seen then is adopted, each adopt is the plan the stack now manages, and
        // Fleio holding exactly the declared objects leaves no plan of that run out.
        for (const p of orphans.plans) assert.ok(Object.values(h.adopt).includes(p.id), `plan ${p.id} of the killed run is adopted: ${JSON.stringify(h.adopt)}`);
        assert.equal(out.resellerPlanId, h.adopt["reseller-plan"]);
        if ("retail-plan" in h.adopt) assert.equal(out.retailPlanId, h.adopt["retail-plan"]);
        await assertExactlyDeclared(h, out);
    });
});
