import * as assert from "node:assert/strict";
import { startEmulator, RunningEmulator } from "../../emulator";
import { FleioDirect } from "./support/fleio-direct";
import { CliProject } from "./support/cli-project";
import { cliDestroyAsPreviewed, cliUpAsPreviewed } from "./support/preview-matches-up";

/**
 * Issue 19, item 5: a YAML destroy with three staff plans (the default one, a reseller
 * plan, one made by hand and taken over) deletes them side by side. Each delete names a
 * plan Fleio moves the services to; a target chosen while another delete is in flight was
 * gone when Fleio read it (`plan_to_migrate: Invalid pk "2"`) and the destroy failed.
 */
const PROJECT = "fleio-plan-deletes";
const program = (defaultPlan: string, handMade: string) => `name: ${PROJECT}
runtime: yaml
plugins:
  providers:
    - name: fleio
      path: ../../bin
resources:
  default-plan:
    type: fleio:index:OpenstackPlan
    properties: { name: Default, currency: EUR, isDefault: true, adopt: "${defaultPlan}" }
  reseller-plan:
    type: fleio:index:OpenstackPlan
    properties: { name: Reseller pricing, currency: EUR }
  hand-made-plan:
    type: fleio:index:OpenstackPlan
    properties: { name: Hand made, currency: EUR, adopt: "${handMade}" }
`;

type Plan = { id: number; name: string; is_default: boolean; reseller_resources: number | null };

describe("plan deletes in one run pick a migration target that survives the run (real engine, YAML)", function () {
    this.timeout(600_000);
    let em: RunningEmulator;
    let f: FleioDirect;
    let p: CliProject;
    const plans = async () => (await f.ok<{ objects: Plan[] }>("GET", "openstack/billing/plan?page_size=1000")).objects;

    before(async () => {
        em = await startEmulator({ seed: 71, deleteDelayMs: 50 });
        f = new FleioDirect(em);
        const defaultPlan = await f.defaultStaffPlanId();
        const handMade = String((await f.ok<{ id: number }>("POST", "openstack/billing/plan", { name: "Hand made", currency: "EUR", is_default: false })).id);
        p = new CliProject("plan-deletes", program(defaultPlan, handMade));
        await p.initStack("dev", em.url, em.staffToken);
    });
    after(async () => {
        await em?.close();
        p?.remove();
    });

    it("up takes over two plans and makes one; a no-change preview asks Fleio nothing", async () => {
        await cliUpAsPreviewed(p);
        assert.deepEqual((await plans()).map((x) => x.name).sort(), ["Default", "Hand made", "Reseller pricing"]);
        const before = await f.apiCalls();
        await p.pulumi(["preview", "--expect-no-changes"]);
        assert.equal((await f.apiCalls()) - before, 0);
    });

    it("destroy deletes them side by side without naming a plan that is gone; the last one Fleio must keep is said and left as the default", async () => {
        const destroy = await cliDestroyAsPreviewed(p, [], true);
        assert.equal(destroy.code, 0, destroy.out);
        assert.doesNotMatch(destroy.out, /Invalid pk/);
        const left = await plans();
        // Fleio needs a plan to move services to: one plan of the staff scope stays, and is its default.
        assert.equal(left.length, 1, JSON.stringify(left));
        assert.equal(left[0].is_default, true);
        assert.match(destroy.out, new RegExp(`plan ${left[0].id} is the last plan of its scope .*Fleio keeps it`));
        const deletes = (await f.requests()).filter((r) => r.method === "DELETE" && r.path.includes("openstack/billing/plan/"));
        assert.ok(deletes.length === 2 && deletes.every((r) => r.status === 200), JSON.stringify(deletes));
        const state = JSON.parse(p.stateText(PROJECT, "dev")).checkpoint.latest?.resources ?? [];
        assert.deepEqual(state.filter((r: { type: string }) => r.type.startsWith("fleio:index:")), [], "the stack holds nothing");
    });
});
