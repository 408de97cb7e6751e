import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import * as pulumi from "@pulumi/pulumi";
import { startEmulator, RunningEmulator } from "../../emulator";
import { discover, ImportFile } from "../../discover";
import { gitopsProgram } from "../../sdk/gitops";
import { FleioDirect } from "../integration/support/fleio-direct";
import { HandMade, seedHandMadeFleio } from "../integration/support/hand-made-fleio";

/**
 * `discover --import-file`: Pulumi's bulk import file names every object of the data
 * files by its Fleio id, under the name the GitOps program gives it. Checked on the
 * emulator seeded by hand over the raw API (6 resellers: one without a domain, one with two configurations and two end-user plans, own
 * configurations and an end-user plan, two on a shared plan, which is the catalog's), against Fleio's own
 * answers and against the names the GitOps program registers (Pulumi's runtime mocks).
 */
describe("discover --import-file: every discovered object by its Fleio id, named as the GitOps program names it", function () {
    this.timeout(60_000);
    let em: RunningEmulator;
    let f: FleioDirect;
    let made: HandMade;
    let dir: string;
    let file: ImportFile;

    before(async () => {
        em = await startEmulator({ seed: 31 });
        f = new FleioDirect(em);
        made = await seedHandMadeFleio(f, 6);
        // The first reseller gets a second configuration and a second end-user plan: its file has both lists.
        const rs = await f.ok<{ services: { id: number }[]; resources: Record<string, { id: number }> }>("GET", `clients/${made.describable[0]}/reseller_services`);
        const rr = rs.resources[String(rs.services[0].id)].id;
        await f.ok("POST", "configurations", { name: "second", is_default: false, reseller_resources: rr });
        await f.ok("POST", "openstack/billing/plan", { name: "Retail second", currency: "EUR", is_default: false, reseller_resources: rr });
        dir = fs.mkdtempSync(path.join(os.tmpdir(), "discover-import-"));
        await fetch(`${em.url}/__emulator/stats/reset`, { method: "POST", headers: { "content-type": "application/json" }, body: "{}" });
        const report = await discover({ outDir: path.join(dir, "resellers"), importFile: path.join(dir, "import.json"), env: { FLEIO_URL: em.url, FLEIO_TOKEN: em.staffToken } });
        const stats = (await (await fetch(`${em.url}/__emulator/stats`)).json()) as { byRoute: Record<string, number> };
        assert.deepEqual(Object.keys(stats.byRoute).filter((r) => !r.startsWith("GET")), [], "discover sends GET requests only");
        file = JSON.parse(fs.readFileSync(path.join(dir, "import.json"), "utf8"));
        assert.deepEqual(report.importFile, { path: path.join(dir, "import.json"), resources: file.resources.length });
    });
    after(async () => {
        await em?.close();
        if (dir) fs.rmSync(dir, { recursive: true, force: true });
    });

    it("names each object of every reseller once, by the id Fleio gives it, the plan two resellers share once (the catalog's)", async () => {
        const expected: string[] = [];
        const plansSeen = new Set<number>();
        for (const client of [...made.describable, ...made.sharingPlan]) {
            const rs = await f.ok<{ services: { id: number }[]; resources: Record<string, { id: number; plan: { id: number } | number; enduser_panel_url: string | null }> }>("GET", `clients/${client}/reseller_services`);
            const service = rs.services[0].id;
            const rr = rs.resources[String(service)];
            const planId = typeof rr.plan === "number" ? rr.plan : rr.plan.id;
            const rulesOf = async (plan: number) => (await f.ok<{ pricing_rules: { id: number }[] }>("GET", `openstack/billing/plan/${plan}`)).pricing_rules.map((r) => `PricingRule ${r.id}`);
            expected.push(`Reseller ${client}`, `ResellerService ${service}`);
            if (!plansSeen.has(planId)) expected.push(`OpenstackPlan ${planId}`, ...(await rulesOf(planId)));
            plansSeen.add(planId);
            if (rr.enduser_panel_url) expected.push(`FrontendDomain ${service}`);
            const configs = (await f.ok<{ objects: { id: number; name: string; is_default: boolean; reseller_resources: number | null }[] }>("GET", "configurations?page_size=500")).objects;
            for (const c of configs.filter((x) => x.reseller_resources === rr.id && !(x.name === "default" && x.is_default))) expected.push(`Configuration ${c.id}`);
            const plans = (await f.ok<{ objects: { id: number; reseller_resources: number | null }[] }>("GET", "openstack/billing/plan?page_size=500")).objects;
            for (const p of plans.filter((x) => x.reseller_resources === rr.id)) expected.push(`OpenstackPlan ${p.id}`, ...(await rulesOf(p.id)));
        }
        const got = file.resources.map((r) => `${r.type.replace("fleio:index:", "")} ${r.id}`);
        assert.deepEqual([...got].sort(), [...expected].sort());
        const noDomain = file.resources.find((r) => r.type === "fleio:index:Reseller" && r.id === String(made.withoutDomain))!.name.replace(/-client$/, "");
        assert.ok(!file.resources.some((r) => r.name === `${noDomain}-domain`), "no panel domain for the reseller without one");
        assert.ok(file.resources.some((r) => r.type === "fleio:index:OpenstackPlan" && r.id === String(made.sharedPlanId) && /^catalog-[a-z0-9-]+-plan$/.test(r.name)), "the shared plan under its catalog name");
        assert.equal(new Set(file.resources.map((r) => r.name)).size, file.resources.length, "every logical name once");
        assert.ok(file.resources.some((r) => /-configuration-second$/.test(r.name)) && file.resources.some((r) => /-enduser-plan-retail-second$/.test(r.name)), "lists of configurations and end-user plans, by key");
    });

    it("gives each object the name and type the GitOps program registers for its adopt id", async () => {
        const registered: { type: string; name: string; adopt: unknown }[] = [];
        await pulumi.runtime.setMocks(
            {
                newResource: (a) => {
                    registered.push({ type: a.type, name: a.name, adopt: a.inputs.adopt });
                    return { id: `${a.name}-id`, state: { ...a.inputs, clientId: "11", planId: "22", serviceId: "33", configurationId: "44" } };
                },
                call: () => ({}),
            },
            "project",
            "stack",
            true,
        );
        gitopsProgram(path.join(dir, "resellers"));
        const start = Date.now();
        const adopted = () => registered.filter((r) => r.adopt !== undefined);
        while (Date.now() - start < 10_000 && adopted().length < file.resources.length) await new Promise((r) => setTimeout(r, 20));
        await new Promise((r) => setTimeout(r, 200));
        const program = adopted().map((r) => `${r.name} ${String(r.adopt)}`).sort();
        assert.deepEqual(file.resources.map((r) => `${r.name} ${r.id}`).sort(), program);
        for (const r of file.resources) {
            const t = registered.find((x) => x.name === r.name)!.type;
            // The dynamic provider's type (pulumi-nodejs:dynamic/fleio:<Kind>) names the same kind as the native one.
            assert.equal(t.replace(/^pulumi-nodejs:dynamic\/fleio:/, "fleio:index:"), r.type, r.name);
        }
    });
});
