import * as assert from "node:assert/strict";
import type { Stack } from "@pulumi/pulumi/automation";
import { startEmulator, RunningEmulator } from "../../emulator";
import { engineStack, outputValues } from "../../scripts/engine";
import { FleioDirect } from "./support/fleio-direct";
import { added, census, Census, ids, sorted } from "./support/census";
import { clearLocks, pendingOperations, pulumiCli, removeEmptyAttrs, stateUrns, upKilledWhen } from "./support/interrupt";
import { holdingProxy, HoldingProxy } from "./support/holding-proxy";
import { resellerSetup } from "./support/reseller-program";

/**
 * `pulumi up` killed mid-run (SIGKILL to the CLI and its provider processes, as when a
 * CI runner loses its machine) at the moment Fleio has made an object and the state
 * has not recorded it; then the runbook of README "After an interrupted run":
 *   pulumi cancel --yes
 *   pulumi refresh --clear-pending-creates --yes
 *   pulumi up            (plus the adopt its error names, where it stops on one)
 * must end with exactly the declared objects in Fleio and an empty, call-free preview.
 */

const STAFF = "/backend/staffapi/";
type Match = (method: string, path: string) => boolean;
const post = (path: string): Match => (method, p) => method === "POST" && p === STAFF + path;
const postMatching = (re: RegExp): Match => (method, p) => method === "POST" && p.startsWith(STAFF) && re.test(p.slice(STAFF.length));

const changed = (summary: Record<string, number | undefined>) => Object.entries(summary).filter(([op, n]) => op !== "same" && (n ?? 0) > 0);

/** The adopt error of an OpenstackPlan whose name Fleio already holds, with the id it names. */
const PLAN_ADOPT = /plan "Reseller pricing - Rescue Cloud" \(EUR\) in this scope already exists in Fleio \(id (\d+)\).*set adopt: "\1" on this OpenstackPlan/s;

interface Harness {
    em: RunningEmulator;
    proxy: HoldingProxy;
    f: FleioDirect;
    stack: Stack;
    projectName: string;
    adopt: Record<string, string>;
    baseline: Census;
    timings: Record<string, number>;
    timed<T>(name: string, run: () => Promise<T>): Promise<T>;
}

/** One emulator, one proxy in front of it, one fresh stack of the reseller setup. */
function harness(seed: number): Harness {
    const h = { adopt: {}, timings: {} } as Harness;
    h.timed = async (name, run) => {
        const t0 = Date.now();
        try {
            return await run();
        } finally {
            h.timings[name] = Date.now() - t0;
        }
    };
    before(async () => {
        h.em = await startEmulator({ seed, deleteDelayMs: 20 });
        // An operator's Fleio has a default staff plan (a fresh one has none, and then refuses to update staff plans).
        await new FleioDirect(h.em).defaultStaffPlanId();
        h.proxy = await holdingProxy(h.em.url);
        h.f = new FleioDirect(h.em);
        h.projectName = `recovery-${seed}`;
        clearLocks("integration", h.projectName);
        h.stack = await engineStack(async () => resellerSetup({ adopt: h.adopt }), { area: "integration", projectName: h.projectName, fleioUrl: h.proxy.url, fleioToken: h.em.staffToken, fresh: true });
        h.baseline = await census(h.f);
    });
    after(async () => {
        console.log(`      durations (ms): ${JSON.stringify(h.timings)}`);
        await h.stack?.destroy({ color: "never" }).catch(() => undefined);
        await h.proxy?.close();
        await h.em?.close();
    });
    return h;
}

/** Kills `up` at `match`, checks the orphan it left and the lock, then `pulumi cancel`. */
async function interrupt(h: Harness, match: Match, orphanKind: keyof Census): Promise<void> {
    const cut = await h.timed("killedUp", () => upKilledWhen(h.stack, h.proxy, match));
    // Runbook step 0: a kill during a save of the file backend leaves an empty .attrs file.
    const repaired = removeEmptyAttrs("integration", h.projectName);
    if (repaired.length) console.log(`      the kill hit a save of the file backend: removed empty ${repaired.join(", ")}`);
    const orphans = added(h.baseline, await census(h.f));
    assert.ok(orphans[orphanKind].length >= 1, `the killed run left a ${orphanKind} in Fleio that its state does not hold (${JSON.stringify(cut.trigger)})`);
    assert.ok((await pendingOperations(h.stack)).some((p) => p.type === "creating"), "the state holds pending creates");
    await assert.rejects(h.stack.up({ color: "never" }), /currently locked/, "the killed run left the stack locked");
    await h.timed("cancel", () => h.stack.cancel());
}

/** Fleio holds exactly what the program declares, and a preview is empty and makes no calls. */
async function assertExactlyDeclared(h: Harness, out: Record<string, any>): Promise<void> {
    const now = added(h.baseline, await census(h.f));
    assert.deepEqual(ids(now), {
        clients: [out.clientId],
        plans: sorted([out.resellerPlanId, out.retailPlanId]),
        rules: sorted([...out.ruleIds, out.retailRuleId]),
        services: [out.serviceId],
        configurations: [out.configurationId],
    });
    assert.equal(now.resellerDefaults.length, 1, "plus the one default configuration Fleio makes for a new reseller");
    assert.equal(now.services[0].plan, out.resellerPlanId, "the service is priced by the reseller plan");
    assert.equal(now.services[0].url, "https://cloud.rescue.example/");
    const calls = await h.f.apiCalls();
    const p = await h.timed("preview", () => h.stack.preview({ color: "never" }));
    assert.deepEqual(changed(p.changeSummary), [], `preview shows no changes: ${JSON.stringify(p.changeSummary)}`);
    assert.equal((await h.f.apiCalls()) - calls, 0, "and makes no API calls");
}

async function clearPendingCreates(h: Harness): Promise<void> {
    await h.timed("refresh", () => h.stack.refresh({ color: "never", clearPendingCreates: true }));
    assert.deepEqual(await pendingOperations(h.stack), [], "refresh --clear-pending-creates drops the pending creates");
}

const upOutputs = async (h: Harness, step = "up") => outputValues((await h.timed(step, () => h.stack.up({ color: "never" }))).outputs);

/** Each `adopt` an up's diagnostics ask for, by the resource they name: `fleio:OpenstackPlan (reseller-plan): ... set adopt: "2" on this OpenstackPlan`. */
function adoptsAskedFor(message: string): Record<string, string> {
    const asked: Record<string, string> = {};
    for (const m of message.matchAll(/fleio:(\w+) \(([^)]+)\):\s*\n\s*error: [^\n]*?set adopt: "(\d+)" on this \1\b/g)) asked[m[2]] = m[3];
    return asked;
}

/**
 * The runbook's last step: `up`; where it stops naming objects and their adopt, add
 * those adopts to the program and run `up` again (at most once per resource).
 */
async function upAddingAdopts(h: Harness): Promise<Record<string, any>> {
    for (let round = 1; ; round++) {
        const r = await h.timed(`up${round}`, () => h.stack.up({ color: "never" }).then((x) => x, (e: Error) => e));
        if (!(r instanceof Error)) return outputValues(r.outputs);
        const asked = adoptsAskedFor(r.message);
        const fresh = Object.entries(asked).filter(([name]) => !(name in h.adopt));
        if (fresh.length === 0) throw r;
        Object.assign(h.adopt, Object.fromEntries(fresh));
        console.log(`      up stopped and asked for adopt ${JSON.stringify(asked)}: added`);
    }
}

/** The runbook; objects with a unique key are taken over, any other the up names is adopted. */
function takenOverAfterKill(title: string, seed: number, match: Match, orphanKind: keyof Census) {
    describe(title, function () {
        this.timeout(600_000);
        const h = harness(seed);
        it("cancel, refresh --clear-pending-creates and up end with exactly the declared objects", async () => {
            await interrupt(h, match, orphanKind);
            await clearPendingCreates(h);
            await assertExactlyDeclared(h, await upAddingAdopts(h));
        });
    });
}

takenOverAfterKill("an up killed while a pricing rule was being created: the next up takes the rule over", 31, post("openstack/billing/pricerule"), "rules");
takenOverAfterKill(
    "an up killed while the reseller service was being ordered: the next up takes the service over",
    32,
    postMatching(/^clients\/\d+\/create_reseller_service$/),
    "services",
);
takenOverAfterKill("an up killed while the reseller client was being created: the next up takes it over by externalBillingId", 35, post("clients"), "clients");
takenOverAfterKill("an up killed while the reseller's configuration was being created: the next up takes it over", 36, post("configurations"), "configurations");

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
