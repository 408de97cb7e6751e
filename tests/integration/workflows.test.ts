import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import type { Stack } from "@pulumi/pulumi/automation";
import { startEmulator, RunningEmulator } from "../../emulator";
import { engineStack, outputValues, repoRoot } from "../../scripts/engine";
import { seedWorkflow } from "../../examples/seed/program";
import { gitopsProgram } from "../../examples/gitops/program";
import { resellerOwnProgram } from "../../examples/reseller-own/program";
import { FleioDirect } from "./support/fleio-direct";


describe("the seed workflow (the demo's program) under the real engine", function () {
    this.timeout(300_000);
    let em: RunningEmulator;
    let f: FleioDirect;
    let stack: Stack;
    let out: Record<string, any>;

    before(async () => {
        em = await startEmulator({ seed: 3, deleteDelayMs: 50 });
        f = new FleioDirect(em);
        stack = await engineStack(async () => seedWorkflow(), { area: "integration", projectName: "seed-workflow", fleioUrl: em.url, fleioToken: em.staffToken, fresh: true });
    });
    after(async () => {
        await stack?.destroy().catch(() => undefined);
        await em?.close();
    });

    it("sets up the reseller: service on its plan, panel URL on its domain, owned configuration and plan", async () => {
        out = outputValues((await stack.up()).outputs);
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

    it("destroy removes everything it made", async () => {
        await stack.destroy();
        assert.equal((await f.call("GET", `clients/${out.resellerClientId}`)).status, 404);
        assert.equal((await f.call("GET", `openstack/billing/plan/${out.resellerPlanId}`)).status, 404);
        assert.equal((await f.call("GET", `configurations/${out.configurationId}`)).status, 404);
    });
});

describe("GitOps: resellers added and removed by editing data files", function () {
    this.timeout(300_000);
    let em: RunningEmulator;
    let f: FleioDirect;
    let stack: Stack;
    let dir: string;

    before(async () => {
        em = await startEmulator({ seed: 5, deleteDelayMs: 50 });
        f = new FleioDirect(em);
        dir = fs.mkdtempSync(path.join(os.tmpdir(), "gitops-"));
        fs.copyFileSync(path.join(repoRoot, "examples/gitops/resellers/acme.yaml"), path.join(dir, "acme.yaml"));
        stack = await engineStack(async () => gitopsProgram(dir), { area: "integration", projectName: "gitops", fleioUrl: em.url, fleioToken: em.staffToken, fresh: true });
    });
    after(async () => {
        await stack?.destroy().catch(() => undefined);
        await em?.close();
        fs.rmSync(dir, { recursive: true, force: true });
    });

    const resellerCount = async () => (await f.ok<{ count: number }>("GET", "clients?has_reseller_service=true")).count;

    it("one data file is one onboarded reseller", async () => {
        const out = outputValues((await stack.up()).outputs);
        assert.equal(out.acme, "https://cloud.acme.example/");
        assert.equal(await resellerCount(), 1);
    });

    it("adding a file adds exactly that reseller, touching nothing else", async () => {
        fs.copyFileSync(path.join(repoRoot, "examples/gitops/resellers/nimbus.yaml"), path.join(dir, "nimbus.yaml"));
        const p = await stack.preview();
        assert.equal(p.changeSummary.update ?? 0, 0);
        assert.equal(p.changeSummary.delete ?? 0, 0);
        const r = await stack.up();
        assert.ok((r.summary.resourceChanges?.create ?? 0) >= 6);
        assert.equal(await resellerCount(), 2);
    });

    it("repricing is an in-place update of one rule", async () => {
        const file = path.join(dir, "nimbus.yaml");
        fs.writeFileSync(file, fs.readFileSync(file, "utf8").replace('price: "0.018"', 'price: "0.019"'));
        const r = await stack.up();
        assert.equal(r.summary.resourceChanges?.update, 1, JSON.stringify(r.summary.resourceChanges));
    });

    it("a bad data file fails before anything is sent, naming the file and field", async () => {
        fs.writeFileSync(path.join(dir, "broken.yaml"), "client: {}\ndomain: x\npricing: []\n");
        const before = await f.apiCalls();
        await assert.rejects(stack.preview(), /broken\.yaml: pricing: a reseller needs at least one price/);
        assert.equal((await f.apiCalls()) - before, 0);
        fs.rmSync(path.join(dir, "broken.yaml"));
    });

    it("removing a file removes exactly that reseller", async () => {
        fs.rmSync(path.join(dir, "acme.yaml"));
        await stack.up();
        assert.equal(await resellerCount(), 1);
    });
});

describe("a reseller's own stack against the reseller API", function () {
    this.timeout(300_000);
    let em: RunningEmulator;
    let f: FleioDirect;
    let staff: Stack;
    let own: Stack;

    before(async () => {
        em = await startEmulator({ seed: 9, deleteDelayMs: 50 });
        f = new FleioDirect(em);
        staff = await engineStack(async () => seedWorkflow(), { area: "integration", projectName: "own-staff", fleioUrl: em.url, fleioToken: em.staffToken, fresh: true });
    });
    after(async () => {
        await own?.destroy().catch(() => undefined);
        await staff?.destroy().catch(() => undefined);
        await em?.close();
    });

    it("creates the reseller's plan, rule and configuration in its own scope", async () => {
        const seed = outputValues((await staff.up()).outputs);
        const minted = (await (await fetch(`${em.url}/__emulator/reseller-token`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ client_id: Number(seed.resellerClientId) }) })).json()) as { token: string };
        own = await engineStack(async () => resellerOwnProgram(), { area: "integration", projectName: "own-reseller", fleioUrl: em.url, fleioToken: minted.token, apiScope: "reseller", fresh: true });
        const out = outputValues((await own.up()).outputs);
        const plan = await f.ok("GET", `openstack/billing/plan/${out.planId}`);
        const config = await f.ok("GET", `configurations/${out.configurationId}`);
        const service = await f.ok("GET", `clients/${seed.resellerClientId}/reseller_services`);
        const scope = (Object.values(service.resources)[0] as { id: number }).id;
        assert.equal(plan.reseller_resources, scope, "the plan belongs to the reseller");
        assert.equal(config.reseller_resources, scope, "the configuration belongs to the reseller");
        const p = await own.preview();
        assert.equal(p.changeSummary.update ?? 0, 0);
    });
});
