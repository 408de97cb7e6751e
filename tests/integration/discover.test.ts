import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import { startEmulator, RunningEmulator } from "../../emulator";
import { loadGitopsData } from "../../sdk/gitops";
import { FleetReport } from "../../fleet";
import { pulumiFleio } from "./support/cli";
import { assertFleetDidAsPreviewed } from "./support/preview-matches-up";
import { FleioDirect } from "./support/fleio-direct";
import { FLEET_PASSPHRASE, freshArea } from "./support/fleet-env";
import { HandMade, seedHandMadeFleio } from "./support/hand-made-fleio";

// An operator's resellers already exist, set up by hand: discover writes them as data
// files, and the fleet takes every object over by its adopt id without a single write.
describe("discover: an existing Fleio brought under code without a write", function () {
    this.timeout(900_000);
    let em: RunningEmulator;
    let f: FleioDirect;
    let made: HandMade;
    let env: Record<string, string>;
    const dirs = freshArea("discover-test");
    const backend = `file://${dirs.fileBackend}`;
    const fleetArgs = (op: string) => ["fleet", op, "--data", dirs.data, "--backend", backend, "--shards", "3", "--parallel", "2", "--budget", "4", "--work-dir", dirs.projects, "--json"];

    const stats = async () => (await (await fetch(`${em.url}/__emulator/stats`)).json()) as { total: number; byRoute: Record<string, number> };
    const resetStats = () => fetch(`${em.url}/__emulator/stats/reset`, { method: "POST", headers: { "content-type": "application/json" }, body: "{}" });
    const writes = async () => Object.entries((await stats()).byRoute).filter(([route]) => !route.startsWith("GET")).map(([route, n]) => `${route} ×${n}`);
    const fleioState = async () => (await fetch(`${em.url}/__emulator/state`)).json();

    before(async () => {
        em = await startEmulator({ seed: 23, deleteDelayMs: 50 });
        f = new FleioDirect(em);
        made = await seedHandMadeFleio(f, 22);
        env = { FLEIO_URL: em.url, FLEIO_TOKEN: em.staffToken, PULUMI_CONFIG_PASSPHRASE: FLEET_PASSPHRASE };
    });
    after(async () => {
        await em?.close();
    });

    let before0: unknown;
    it("discover writes a file per reseller, the shared plan in the catalog, and a report of what is outside every reseller, sending no write", async () => {
        before0 = await fleioState();
        await resetStats();
        const r = await pulumiFleio(["discover", "--out", dirs.data, "--json"], env);
        assert.equal(r.code, 0, r.stderr);
        assert.deepEqual(await writes(), [], "discover sends GET requests only");
        assert.match(r.stderr, /\[discover\] client \d+ .* read/, "progress: each reseller as it is read");
        const report = JSON.parse(r.stdout) as { written: string[]; unchanged: string[]; leftOut: { object: string; why: string }[] };
        const data = loadGitopsData(dirs.data);
        const files = data.resellers;
        const all = [...made.describable, ...made.sharingPlan];
        assert.equal(files.size, all.length);
        assert.equal(report.written.length, all.length);
        assert.deepEqual([...files.values()].map((x) => Number(x.client.adopt)).sort(), [...all].sort());
        // The shared plan: described once in the catalog, named by both resellers on it.
        const [sharedKey, shared] = [...data.catalog].find(([, p]) => p.adopt === String(made.sharedPlanId))!;
        assert.equal(shared.name, "Shared by hand");
        for (const id of made.sharingPlan) assert.deepEqual([...files.values()].find((x) => x.client.adopt === String(id))!.plan, { catalog: sharedKey });
        assert.ok(!report.leftOut.some((l) => /^reseller /.test(l.object)), "no reseller is left out");
        const noDomain = [...files.values()].find((x) => x.client.adopt === String(made.withoutDomain))!;
        assert.equal(noDomain.domain, undefined, "the reseller without a domain keeps none");
        // Rules with tiers, conditions and modifiers are written whole.
        const rules = [...files.values()].flatMap((x) => x.pricing ?? []);
        assert.ok(rules.some((x) => x.prices?.length === 2 && x.attribute === "size"));
        assert.ok(rules.some((x) => x.conditions?.[0]?.attribute === "instance_type" && x.modifiers?.[0]?.pricePercent === true));
        assert.ok([...files.values()].some((x) => x.endUserPlan && x.configuration), "end-user plans and configurations are written with their adopt ids");
    });

    it("fleet up takes every object over by its adopt id: nothing made, deleted or replaced, no write, Fleio unchanged", async () => {
        const preview = await pulumiFleio(fleetArgs("preview"), env);
        assert.equal(preview.code, 0, preview.stdout + preview.stderr);
        await resetStats();
        const r = await pulumiFleio(fleetArgs("up"), env);
        assert.equal(r.code, 0, r.stdout + r.stderr);
        const report = JSON.parse(r.stdout) as FleetReport;
        assert.ok(report.ok);
        assertFleetDidAsPreviewed(JSON.parse(preview.stdout), report);
        for (const kind of ["update", "delete", "replace"]) assert.equal(report.stacks.reduce((n, s) => n + (s.changes[kind] ?? 0), 0), 0, kind);
        assert.deepEqual(await writes(), [], "the up sends no write");
        assert.deepEqual(await fleioState(), before0, "Fleio holds exactly what it held");
        assert.match(r.stderr, /\[fleet\] shard-\d+ done: create \d+/, "progress: each stack as it finishes");
    });

    it("the next fleet preview --json is empty and makes no Fleio call", async () => {
        await resetStats();
        const r = await pulumiFleio(fleetArgs("preview"), env);
        assert.equal(r.code, 0, r.stdout + r.stderr);
        const report = JSON.parse(r.stdout) as { stacks: { changes: Record<string, number> }[] };
        const changed = report.stacks.flatMap((s) => Object.entries(s.changes).filter(([k, n]) => k !== "same" && n > 0));
        assert.deepEqual(changed, []);
        assert.equal((await stats()).total, 0);
    });

    it("discover again over the managed Fleio reports no differences", async () => {
        const r = await pulumiFleio(["discover", "--out", dirs.data, "--json"], env);
        assert.equal(r.code, 0, r.stderr);
        const report = JSON.parse(r.stdout) as { written: string[]; unchanged: string[] };
        assert.deepEqual(report.written, []);
        assert.equal(report.unchanged.length, made.describable.length + made.sharingPlan.length);
    });
});
