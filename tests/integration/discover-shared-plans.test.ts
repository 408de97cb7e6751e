import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import { parse, stringify } from "yaml";
import { startEmulator, RunningEmulator } from "../../emulator";
import { loadGitopsData } from "../../sdk/gitops";
import { pulumiFleio } from "./support/cli";
import { assertFleetDidAsPreviewed } from "./support/preview-matches-up";
import { FleioDirect } from "./support/fleio-direct";
import { FLEET_PASSPHRASE, freshArea } from "./support/fleet-env";
import { seedSharedPlansFleio, SharedPlansFleio } from "./support/shared-plans-fleio";

/**
 * An operator's Fleio that followed Fleio's reseller guide: most resellers on two shared
 * reseller plans, seeded by hand over the raw API. discover describes every reseller
 * (the shared plans in the plan catalog), the fleet takes everything over without a
 * write, and repricing a shared plan's rule is one update of one object, seen by every
 * reseller on the plan. Run on a Fleio whose staff default plan Fleio made on demand
 * (as after its migrations: the "factory" case, which discover leaves to --staff-plans
 * when no reseller is on it) and on one whose operator made a default staff plan.
 */
const CASES = [
    { title: "a Fleio whose default staff plan Fleio made on demand (factory)", count: 200, defaultStaffPlan: false, seed: 41, staffPlans: undefined as string | undefined },
    { title: "a Fleio with the operator's default staff plan, every staff plan in the catalog", count: 20, defaultStaffPlan: true, seed: 43, staffPlans: "all" },
];

for (const c of CASES)
    describe(`discover-shared-plans: ${c.count} resellers on shared plans brought under code, on ${c.title}`, function () {
        this.timeout(3_600_000);
        let em: RunningEmulator;
        let f: FleioDirect;
        let made: SharedPlansFleio;
        let env: Record<string, string>;
        const dirs = freshArea(`discover-shared-${c.defaultStaffPlan ? "default" : "factory"}`);
        const backend = `file://${dirs.fileBackend}`;
        const fleetArgs = (op: string) => ["fleet", op, "--data", dirs.data, "--backend", backend, "--shards", "4", "--parallel", "2", "--budget", "8", "--work-dir", dirs.projects, "--json"];
        const discoverArgs = ["discover", "--out", dirs.data, "--json", ...(c.staffPlans ? ["--staff-plans", c.staffPlans] : [])];

        const stats = async () => (await (await fetch(`${em.url}/__emulator/stats`)).json()) as { total: number; byRoute: Record<string, number> };
        const resetStats = () => fetch(`${em.url}/__emulator/stats/reset`, { method: "POST", headers: { "content-type": "application/json" }, body: "{}" });
        const writes = async () => Object.entries((await stats()).byRoute).filter(([route]) => !route.startsWith("GET")).map(([route, n]) => `${route} ×${n}`);
        const fleioState = async () => (await fetch(`${em.url}/__emulator/state`)).json();
        /** Every data file's bytes, to show a rerun changes none. */
        const snapshotFiles = () => Object.fromEntries((fs.readdirSync(dirs.data, { recursive: true }) as string[]).filter((p) => fs.statSync(path.join(dirs.data, p)).isFile()).map((p) => [p, fs.readFileSync(path.join(dirs.data, p), "utf8")]));
        const changed = (report: { stacks: { changes: Record<string, number> }[] }) => report.stacks.flatMap((s) => Object.entries(s.changes).filter(([k, n]) => k !== "same" && n > 0));
        const total = (report: { stacks: { changes: Record<string, number> }[] }, kind: string) => report.stacks.reduce((n, s) => n + (s.changes[kind] ?? 0), 0);

        before(async () => {
            em = await startEmulator({ seed: c.seed, deleteDelayMs: 50 });
            f = new FleioDirect(em);
            made = await seedSharedPlansFleio(f, c.count, { defaultStaffPlan: c.defaultStaffPlan });
            env = { FLEIO_URL: em.url, FLEIO_TOKEN: em.staffToken, PULUMI_CONFIG_PASSPHRASE: FLEET_PASSPHRASE };
        });
        after(async () => {
            await em?.close();
        });

        let before0: unknown;
        let files0: Record<string, string>;
        it("discover leaves out no reseller: shared plans go to the catalog, the report lists only objects outside any reseller; GETs only, at most 3 per reseller", async () => {
            before0 = await fleioState();
            await resetStats();
            const r = await pulumiFleio(discoverArgs, env);
            assert.equal(r.code, 0, r.stderr);
            assert.deepEqual(await writes(), [], "discover sends GET requests only");
            const report = JSON.parse(r.stdout) as { written: string[]; catalog: { written: string[] }; leftOut: { object: string; why: string }[]; requests: number; seconds: number; reportBytes: number };
            const gets = (await stats()).total;
            assert.ok(gets <= 3 * c.count, `${gets} GETs for ${c.count} resellers`);
            const data = loadGitopsData(dirs.data);
            assert.deepEqual([...data.resellers.values()].map((x) => Number(x.client.adopt)).sort(), [...made.resellers].sort(), "every reseller has its file");
            // The shared plans are described once each, and every reseller on one names it.
            for (const [name, plan] of Object.entries(made.shared)) {
                const key = [...data.catalog].find(([, p]) => p.adopt === String(plan.id))?.[0];
                assert.ok(key, `${name} is in the catalog`);
                assert.equal(data.catalog.get(key)!.pricing.length, 3, `${name}'s three rules`);
                for (const id of plan.clients) assert.equal([...data.resellers.values()].find((x) => x.client.adopt === String(id))!.plan?.catalog, key);
            }
            const defaultKey = [...data.catalog].find(([, p]) => p.adopt === String(made.defaultPlanId))?.[0];
            assert.ok(defaultKey && data.catalog.get(defaultKey)!.isDefault, "the staff default plan resellers are on is in the catalog, marked default");
            for (const id of made.ownPlan) assert.equal([...data.resellers.values()].find((x) => x.client.adopt === String(id))!.plan?.catalog, undefined, "a plan one reseller is on stays its own");
            // Every rule shape is written whole: tiers without an attribute, tiers with one, a condition with a percentage modifier.
            const rules = [...data.catalog.values()].flatMap((p) => p.pricing);
            assert.ok(rules.some((x) => x.prices?.length === 2 && x.attribute === undefined));
            assert.ok(rules.some((x) => x.prices?.length === 2 && x.attribute === "size"));
            assert.ok(rules.some((x) => x.conditions?.[0]?.attribute === "instance_type" && x.modifiers?.[0]?.pricePercent === true));
            const file = (id: number) => [...data.resellers.values()].find((x) => x.client.adopt === String(id))!;
            assert.equal(file(made.twoConfigurations).configurations?.length, 2);
            assert.equal(file(made.twoEndUserPlans).endUserPlans?.length, 2);
            for (const id of made.withoutDomain) assert.equal(file(id).domain, undefined);
            for (const id of made.withoutConfiguration) assert.deepEqual([file(id).configuration, file(id).configurations], [undefined, undefined]);
            // Left out: only objects outside any reseller, each once, with why.
            const objects = report.leftOut.map((l) => l.object);
            const expected = [`staff configuration 1 (default)`, `staff configuration ${made.staffConfiguration} (staff-extra)`];
            if (!c.staffPlans) expected.push(`plan ${made.unusedStaffPlan} (Unused legacy)`);
            assert.deepEqual([...objects].sort(), [...expected].sort(), JSON.stringify(report.leftOut, null, 1));
            assert.ok(report.leftOut.every((l) => l.why.length > 10));
            const md = fs.readFileSync(path.join(dirs.data, "discover-report.md"), "utf8");
            assert.equal(Buffer.byteLength(md), report.reportBytes);
            console.log(`      [measured] ${c.count} resellers: discover ${report.seconds.toFixed(1)} s, ${report.requests} GETs (${(report.requests / c.count).toFixed(2)} per reseller), report ${report.reportBytes} bytes, ${data.resellers.size} reseller files, ${data.catalog.size} catalog plans`);
            files0 = snapshotFiles();
        });

        it("fleet up over the output takes everything over: nothing made in Fleio, deleted or replaced, no write, Fleio unchanged", async () => {
            await resetStats();
            const t0 = Date.now();
            const r = await pulumiFleio(fleetArgs("up"), env);
            const seconds = (Date.now() - t0) / 1000;
            assert.equal(r.code, 0, r.stdout + r.stderr);
            const report = JSON.parse(r.stdout) as { ok: boolean; stacks: { changes: Record<string, number> }[] };
            assert.ok(report.ok);
            for (const kind of ["update", "delete", "replace"]) assert.equal(total(report, kind), 0, kind);
            const w = await writes();
            assert.deepEqual(w, [], "the up sends no write");
            assert.deepEqual(await fleioState(), before0, "Fleio holds exactly what it held (a full dump)");
            console.log(`      [measured] ${c.count} resellers: fleet up ${seconds.toFixed(0)} s, ${(await stats()).total} requests, ${w.length} writes, ${total(report, "create")} resources adopted`);
        });

        it("the next fleet preview --json is empty and makes no Fleio call", async () => {
            await resetStats();
            const r = await pulumiFleio(fleetArgs("preview"), env);
            assert.equal(r.code, 0, r.stdout + r.stderr);
            assert.deepEqual(changed(JSON.parse(r.stdout)), []);
            assert.equal((await stats()).total, 0);
        });

        it("a rerun of discover changes no file", async () => {
            await resetStats();
            const r = await pulumiFleio(discoverArgs, env);
            assert.equal(r.code, 0, r.stderr);
            const report = JSON.parse(r.stdout) as { written: string[]; catalog: { written: string[] } };
            assert.deepEqual([report.written, report.catalog.written], [[], []]);
            assert.deepEqual(snapshotFiles(), files0);
            assert.deepEqual(await writes(), []);
        });

        it("a shared plan's rule repriced in its catalog file: preview shows one update, up sends one write, every reseller on the plan sees the new price", async () => {
            const data = loadGitopsData(dirs.data);
            const key = [...data.catalog].find(([, p]) => p.adopt === String(made.shared.Gold.id))![0];
            const file = path.join(dirs.data, "plans", `${key}.yaml`);
            const doc = parse(fs.readFileSync(file, "utf8"));
            const rule = doc.pricing.find((x: { displayName: string }) => x.displayName === "Instance hours");
            rule.prices[1].price = "0.0123";
            fs.writeFileSync(file, stringify(doc));

            await resetStats();
            const p = await pulumiFleio(fleetArgs("preview"), env);
            assert.equal(p.code, 0, p.stdout + p.stderr);
            assert.deepEqual(changed(JSON.parse(p.stdout)), [["update", 1]], "exactly one update, in one stack");
            assert.deepEqual(await writes(), []);

            await resetStats();
            const u = await pulumiFleio(fleetArgs("up"), env);
            assert.equal(u.code, 0, u.stdout + u.stderr);
            assertFleetDidAsPreviewed(JSON.parse(p.stdout), JSON.parse(u.stdout));
            assert.equal(total(JSON.parse(u.stdout), "update"), 1);
            assert.deepEqual(await writes(), [`PUT /backend/staffapi/openstack/billing/pricerule/{id} ×1`], "the one write");
            const held = await f.ok<{ pricing: { prices: { f: number; p: number }[] } }>("GET", `openstack/billing/pricerule/${rule.adopt}`);
            assert.deepEqual(held.pricing.prices.map((x) => Number(x.p)), [0.021, 0.0123]);
            for (const id of made.shared.Gold.clients) {
                const rs = await f.ok<{ resources: Record<string, { plan: { id: number } }> }>("GET", `clients/${id}/reseller_services`);
                assert.equal(Object.values(rs.resources)[0].plan.id, made.shared.Gold.id, `client ${id} is priced by Gold, whose rule now says 0.0123`);
            }
            await resetStats();
            const again = await pulumiFleio(fleetArgs("preview"), env);
            assert.deepEqual(changed(JSON.parse(again.stdout)), []);
            assert.equal((await stats()).total, 0);
        });
    });
