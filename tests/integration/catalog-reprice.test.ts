import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import { stringify } from "yaml";
import { startEmulator, RunningEmulator } from "../../emulator";
import { runFleet, shardOf, shardNames, FleetReport } from "../../fleet";
import { resellerData } from "../../scripts/bench/data";
import { FleioDirect } from "./support/fleio-direct";
import { added, census, Census, sorted } from "./support/census";
import { fleetOptions, freshArea } from "./support/fleet-env";
import { assertFleetDidAsPreviewed, fleetUpAsPreviewed } from "./support/preview-matches-up";

/**
 * A plan shared by several resellers, as Fleio's reseller guide recommends, described
 * once in the plan catalog (format version 2) and owned by the fleet's catalog stack:
 * repricing one of its rules is one update of one object, whichever resellers it prices
 * and whichever shards they live in. Run on a factory Fleio and on one with a default
 * staff plan (an operator's).
 */

const total = (r: FleetReport, kind: string) => r.stacks.reduce((n, s) => n + (s.changes[kind] ?? 0), 0);
const changes = (r: FleetReport) => r.stacks.flatMap((s) => Object.entries(s.changes).filter(([k, n]) => k !== "same" && n > 0).map(([k, n]) => `${s.stack}: ${k} ${n}`));
const SHARED = ["shared-1", "shared-2", "shared-3", "shared-4"];
const OWN = "own-1";
const SHARDS = 3;

function goldFile(smallPrice: string) {
    const rules = resellerData(0).pricing!.map((r) => (r.key === "small" ? { ...r, price: smallPrice } : r));
    return { formatVersion: 2, name: "Gold resellers", currency: "EUR", pricing: rules };
}

function writeData(dir: string, smallPrice: string) {
    fs.mkdirSync(path.join(dir, "plans"), { recursive: true });
    fs.writeFileSync(path.join(dir, "plans", "gold.yaml"), stringify(goldFile(smallPrice)));
    SHARED.forEach((name, i) => {
        const { pricing: _own, configuration, ...rest } = resellerData(10 + i);
        // One reseller with two configurations, one with none, the others with one; one with two end-user plans (one without rules).
        const configs = i === 0 ? { configurations: [{ name: `${name}-retail` }, { key: "b2b", name: `${name}-wholesale` }] } : i === 1 ? {} : { configuration };
        const endUserPlans = i === 2 ? { endUserPlans: [{ key: "basic", name: `${name} basic`, pricing: [resellerData(0).pricing![0]] }, { key: "premium", name: `${name} premium`, isDefault: true }] } : {};
        fs.writeFileSync(path.join(dir, `${name}.yaml`), stringify({ ...rest, formatVersion: 2, plan: { catalog: "gold" }, ...configs, ...endUserPlans }));
    });
    // A reseller with its own plan, in a version 1 file, beside them.
    fs.writeFileSync(path.join(dir, `${OWN}.yaml`), stringify(resellerData(20)));
}

// The factory Fleio only: on a Fleio with the operator's default staff plan, the reprice of a
// shared plan is shown by discover-shared-plans and the catalog stack by the removal block below,
// so a second run of this whole flow would add engine minutes and no new case.
for (const kind of ["factory"] as ("factory" | "default staff plan")[]) {
    describe(`catalog-reprice: a catalog plan shared by ${SHARED.length} resellers across the fleet's shards (${kind} Fleio)`, function () {
        this.timeout(900_000);
        let em: RunningEmulator;
        let f: FleioDirect;
        let baseline: Census;
        const dirs = freshArea(`catalog-reprice-${kind === "factory" ? "factory" : "default"}`);
        const backendUrl = `file://${dirs.fileBackend}`;
        const fleet = (operation: "preview" | "up" | "destroy", only?: string[]) => runFleet(fleetOptions(em, dirs, { operation, backendUrl, shards: SHARDS, only }));
        let goldId: string;

        /** Fleio holds exactly the declared objects: one Gold plan with its rules that every shared reseller is on, and own-1 on its own plan. */
        const holdsExactly = async (smallPrice: string, resellers = [...SHARED, OWN]) => {
            const now = added(baseline, await census(f));
            const fleioDefault = now.plans.filter((p) => p.name === "default" && p.resellerResources === null);
            assert.ok(kind === "factory" ? fleioDefault.length <= 1 : fleioDefault.length === 0, `Fleio's own default staff plan: ${JSON.stringify(fleioDefault)}`);
            const endUser = resellers.includes(SHARED[2]) ? [`${SHARED[2]} basic`, `${SHARED[2]} premium`] : [];
            assert.deepEqual(now.plans.filter((p) => p.resellerResources !== null).map((p) => p.name).sort(), endUser, "shared-3's two end-user plans, in its scope");
            const plans = now.plans.filter((p) => !fleioDefault.includes(p) && p.resellerResources === null);
            const gold = plans.filter((p) => p.name === "Gold resellers");
            assert.equal(gold.length, 1, "one Gold plan, however many resellers it prices");
            goldId = gold[0].id;
            const own = resellers.includes(OWN) ? [`Reseller pricing - ${OWN}`] : [];
            assert.deepEqual(plans.map((p) => p.name).sort(), ["Gold resellers", ...own].sort(), "plans = the catalog plan and own-1's");
            const rules = await f.ok<{ objects: { plan: number; display_name: string; pricing: { prices: { p: string }[] } }[] }>("GET", "openstack/billing/pricerule?page_size=10000");
            const goldRules = rules.objects.filter((r) => String(r.plan) === goldId);
            assert.deepEqual(goldRules.map((r) => r.display_name).sort(), resellerData(0).pricing!.map((r) => r.displayName).sort(), "the Gold plan has exactly its rules");
            assert.equal(Number(goldRules.find((r) => r.display_name === "m1.small per hour")!.pricing.prices[0].p), Number(smallPrice));
            assert.equal(now.rules.length, goldRules.length + own.length * 3 + (endUser.length ? 1 : 0), "no other rules (shared-3's basic plan has one, its premium plan none)");
            const active = now.clients.filter((c) => c.status === "active");
            assert.equal(active.length, resellers.length, "one active client per declared reseller");
            const live = now.services.filter((s) => s.status === "active");
            assert.equal(live.length, resellers.length);
            const onGold = live.filter((s) => s.plan === goldId);
            assert.equal(onGold.length, resellers.filter((r) => r !== OWN).length, "every shared reseller's service is on the Gold plan");
            if (resellers.includes(OWN)) assert.equal(live.filter((s) => s.plan === plans.find((p) => p.name === `Reseller pricing - ${OWN}`)!.id).length, 1);
            const expectedConfigs = resellers.filter((r) => r !== SHARED[1]).reduce((n, r) => n + (r === SHARED[0] ? 2 : 1), 0);
            assert.equal(now.configurations.length, expectedConfigs, "two configurations for shared-1, none for shared-2, one for the others");
            return { onGold };
        };

        before(async () => {
            em = await startEmulator({ seed: 53, deleteDelayMs: 50 });
            f = new FleioDirect(em);
            if (kind === "default staff plan") await f.defaultStaffPlanId();
            baseline = await census(f);
            writeData(dirs.data, "0.02");
        });
        after(async () => {
            await em?.close();
        });

        it("the shared resellers fall in more than one shard, and the catalog has a stack of its own", () => {
            const shards = new Set(SHARED.map((n) => shardOf(n, shardNames(SHARDS))));
            assert.ok(shards.size >= 2, `shared resellers in ${[...shards].join(", ")}`);
        });

        it("fleet up: the catalog stack makes the plan and its rules once; the shards put their resellers on it", async () => {
            const r = await fleetUpAsPreviewed(fleetOptions(em, dirs, { operation: "up", backendUrl, shards: SHARDS }));
            assert.ok(r.ok, JSON.stringify(r.stacks));
            const catalog = r.stacks.find((s) => s.stack === "catalog")!;
            assert.equal(r.stacks[0].stack, "catalog");
            assert.equal(catalog.changes.create, 1 + 1 + 1 + 3, "the stack, the CatalogPlan component, the plan and its 3 rules");
            const plansMadeByShards = total(r, "create") - catalog.changes.create!;
            // Per shared reseller: component, client, service, domain, configurations (2, 0, 1, 1); shared-3's 2 end-user plans and 1 rule; own-1: 9; per shard stack: the stack.
            const shardStacks = r.stacks.filter((s) => s.stack !== "catalog" && !s.skipped).length;
            assert.equal(plansMadeByShards, 4 * 4 + 2 + 0 + 1 + 1 + 3 + 9 + shardStacks);
            await holdsExactly("0.02");
        });

        it("then fleet preview --json is empty and makes no Fleio call", async () => {
            const before = await f.apiCalls();
            const r = await fleet("preview");
            assert.ok(r.ok, JSON.stringify(r.stacks));
            assert.deepEqual(changes(r), []);
            assert.equal((await f.apiCalls()) - before, 0);
        });

        it("repricing one rule of the catalog plan: preview shows one update, up sends one write, every reseller on the plan sees the new price", async () => {
            writeData(dirs.data, "0.025");
            let logged = (await f.requests()).length;
            const preview = await fleet("preview");
            assert.ok(preview.ok, JSON.stringify(preview.stacks));
            assert.deepEqual(changes(preview), ["catalog: update 1"], "one update of one object, in the stack that owns it");
            assert.deepEqual((await f.requests()).slice(logged).filter((q) => q.method !== "GET"), [], "a preview writes nothing");

            logged = (await f.requests()).length;
            const up = await fleet("up");
            assert.ok(up.ok, JSON.stringify(up.stacks));
            assertFleetDidAsPreviewed(preview, up);
            assert.deepEqual(changes(up), ["catalog: update 1"]);
            const writes = (await f.requests()).slice(logged).filter((q) => q.method !== "GET");
            assert.equal(writes.length, 1, JSON.stringify(writes));
            assert.match(`${writes[0].method} ${writes[0].path}`, /^(PUT|PATCH) .*pricerule\/\d+/);

            const { onGold } = await holdsExactly("0.025");
            for (const s of onGold) {
                const res = await f.ok<{ resources: Record<string, { plan: { id: number } }> }>("GET", `clients/${s.client}/reseller_services`);
                const planId = String(res.resources[s.id].plan.id);
                const rules = await f.ok<{ objects: { plan: number; display_name: string; pricing: { prices: { p: string }[] } }[] }>("GET", "openstack/billing/pricerule?page_size=10000");
                const small = rules.objects.find((x) => String(x.plan) === planId && x.display_name === "m1.small per hour");
                assert.equal(Number(small?.pricing.prices[0].p), 0.025, `client ${s.client} is priced at the new m1.small price`);
            }

            const before = await f.apiCalls();
            const again = await fleet("preview");
            assert.deepEqual(changes(again), []);
            assert.equal((await f.apiCalls()) - before, 0);
        });

        it("removing the catalog plan while reseller files still name it fails at preview, naming the files, with no Fleio call", async () => {
            const file = path.join(dirs.data, "plans", "gold.yaml");
            const text = fs.readFileSync(file, "utf8");
            fs.rmSync(file);
            const before = await f.apiCalls();
            try {
                await assert.rejects(fleet("preview"), /the catalog plan "gold" \(plans\/gold\.yaml\) has no file, but shared-1\.yaml, shared-2\.yaml, shared-3\.yaml, shared-4\.yaml name it/);
            } finally {
                fs.writeFileSync(file, text);
            }
            assert.equal((await f.apiCalls()) - before, 0);
        });

        it("destroying a reseller stack leaves the catalog plan, its rules and the other resellers on it", async () => {
            const shard = shardOf(SHARED[0], shardNames(SHARDS));
            const r = await fleet("destroy", [shard]);
            assert.ok(r.ok, JSON.stringify(r.stacks));
            assert.deepEqual(r.stacks.map((s) => s.stack), [shard], "only that shard's stack ran");
            const left = [...SHARED, OWN].filter((n) => shardOf(n, shardNames(SHARDS)) !== shard);
            // Fleio keeps a destroyed reseller's client suspended: count only the active ones.
            await holdsExactly("0.025", left);
            const before = await f.apiCalls();
            const preview = await fleet("preview", ["catalog"]);
            assert.deepEqual(changes(preview), [], "the catalog stack still holds its plan as declared");
            assert.equal((await f.apiCalls()) - before, 0);
        });
    });
}

describe("catalog-reprice: a plan removed from the catalog is deleted after its resellers leave it (default staff plan Fleio)", function () {
    this.timeout(900_000);
    let em: RunningEmulator;
    let f: FleioDirect;
    const dirs = freshArea("catalog-remove");
    const backendUrl = `file://${dirs.fileBackend}`;
    const fleet = (operation: "preview" | "up" | "destroy", only?: string[]) => runFleet(fleetOptions(em, dirs, { operation, backendUrl, shards: SHARDS, only }));
    const silver = () => ({ ...goldFile("0.03"), name: "Silver resellers" });
    const write = (plans: Record<string, object>, onPlan: Record<string, string>) => {
        fs.rmSync(dirs.data, { recursive: true, force: true });
        fs.mkdirSync(path.join(dirs.data, "plans"), { recursive: true });
        for (const [key, p] of Object.entries(plans)) fs.writeFileSync(path.join(dirs.data, "plans", `${key}.yaml`), stringify(p));
        SHARED.forEach((name, i) => {
            const { pricing: _own, ...rest } = resellerData(10 + i);
            fs.writeFileSync(path.join(dirs.data, `${name}.yaml`), stringify({ ...rest, formatVersion: 2, plan: { catalog: onPlan[name] } }));
        });
    };
    const planNames = async () => (await census(f)).plans.filter((p) => p.resellerResources === null && p.name !== "Default").map((p) => p.name).sort();

    before(async () => {
        em = await startEmulator({ seed: 59, deleteDelayMs: 50 });
        f = new FleioDirect(em);
        await f.defaultStaffPlanId();
        // shared-3 and shared-4 (shard-01) on Silver, the others on Gold.
        write({ gold: goldFile("0.02"), silver: silver() }, { "shared-1": "gold", "shared-2": "gold", "shared-3": "silver", "shared-4": "silver" });
        const r = await fleet("up");
        assert.ok(r.ok, JSON.stringify(r.stacks));
        assert.deepEqual(await planNames(), ["Gold resellers", "Silver resellers"]);
    });
    after(async () => {
        await em?.close();
    });

    it("the catalog job alone does not delete a plan resellers of other stacks are still on: it says so, succeeds, and writes nothing", async () => {
        write({ gold: goldFile("0.02") }, { "shared-1": "gold", "shared-2": "gold", "shared-3": "gold", "shared-4": "gold" });
        const logged = (await f.requests()).length;
        const r = await fleet("up", ["catalog"]);
        assert.ok(r.ok, JSON.stringify(r.stacks));
        assert.match(r.stacks[0].skipped ?? "", /deletes catalog plans that resellers of other stacks are still on \(silver: shared-3 \(shard-01\), shared-4 \(shard-01\)\)/);
        assert.deepEqual((await f.requests()).slice(logged).filter((q) => q.method !== "GET"), []);
    });

    it("fleet up moves the resellers off the removed plan, then deletes it: preview and up agree, and the next preview is empty with no call", async () => {
        const preview = await fleet("preview");
        assert.deepEqual(changes(preview).sort(), ["catalog: delete 5", "shard-01: update 2"], "the Silver component, plan and 3 rules; shared-3's and shared-4's services");
        const up = await fleet("up");
        assert.ok(up.ok, JSON.stringify(up.stacks));
        assertFleetDidAsPreviewed(preview, up);
        assert.deepEqual(changes(up).sort(), ["catalog: delete 5", "shard-01: update 2"]);
        assert.deepEqual(await planNames(), ["Gold resellers"], "Silver is gone, once no reseller was on it");
        const live = (await census(f)).services.filter((s) => s.status === "active");
        assert.equal(new Set(live.map((s) => s.plan)).size, 1, "every reseller is on Gold");
        const before = await f.apiCalls();
        assert.deepEqual(changes(await fleet("preview")), []);
        assert.equal((await f.apiCalls()) - before, 0);
    });
});
