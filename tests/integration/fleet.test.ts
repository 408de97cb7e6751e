import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import { startEmulator, RunningEmulator } from "../../emulator";
import { runFleet, assignShards, shardLookup, shardNames, FleetReport } from "../../fleet";
import { assertFleetDidAsPreviewed, fleetUpAsPreviewed } from "./support/preview-matches-up";
import { writeResellerFiles } from "../../scripts/bench/data";
import { FleioDirect } from "./support/fleio-direct";
import { allText, fleetOptions, freshArea } from "./support/fleet-env";
import { ensurePulumiCli } from "../../scripts/pulumi-cli";

// The fleet runner on a file backend: resellers spread over stacks, run side by side,
// and a reseller removed from the data leaves its own stack without touching others.

/** Engine step counts summed over the stacks (each stack counts its own pulumi:pulumi:Stack too). */
const total = (r: FleetReport, kind: string) => r.stacks.reduce((n, s) => n + (s.changes[kind] ?? 0), 0);

describe("fleet runner (file backend)", function () {
    this.timeout(600_000);
    let em: RunningEmulator;
    let f: FleioDirect;
    const dirs = freshArea("fleet-test");
    const backendUrl = `file://${dirs.fileBackend}`;
    let names: string[];

    before(async () => {
        em = await startEmulator({ seed: 21, deleteDelayMs: 50 });
        // An operator's Fleio has a default staff plan (a fresh one has none, and then refuses to update staff plans).
        await new FleioDirect(em).defaultStaffPlanId();
        f = new FleioDirect(em);
        names = writeResellerFiles(dirs.data, 5);
    });
    // The last step destroys; the emulator goes with this process.
    after(async () => {
        await em?.close();
    });

    it("two resellers' files with one domain are refused before any stack runs, naming both files", async () => {
        const clash = path.join(dirs.data, "zz-clash.yaml");
        fs.writeFileSync(clash, fs.readFileSync(path.join(dirs.data, `${names[0]}.yaml`), "utf8").replace(/externalBillingId: .*/, "externalBillingId: clash-1"));
        const before = await f.apiCalls();
        try {
            await assert.rejects(runFleet(fleetOptions(em, dirs, { operation: "preview", backendUrl })), new RegExp(`${names[0]}\\.yaml and zz-clash\\.yaml both have domain`));
        } finally {
            fs.rmSync(clash);
        }
        assert.equal((await f.apiCalls()) - before, 0);
        assert.deepEqual(fs.readdirSync(dirs.fileBackend), [], "no stack was made");
    });

    it("the token reaches each stack's config as a secret and never stands on a command line the fleet starts", async () => {
        // A `pulumi` that logs its arguments, beside the real CLI's other binaries.
        const area = freshArea("fleet-argv");
        const real = process.env.PULUMI_FLEIO_CLI_DIR ?? ensurePulumiCli();
        const bin = path.join(area.root, "bin");
        fs.mkdirSync(bin, { recursive: true });
        for (const f of fs.readdirSync(real)) if (f !== "pulumi") fs.symlinkSync(path.join(real, f), path.join(bin, f));
        const log = path.join(area.root, "argv.log");
        fs.writeFileSync(path.join(bin, "pulumi"), `#!/bin/sh\nprintf '%s\\n' "$*" >> '${log}'\nexec '${path.join(real, "pulumi")}' "$@"\n`, { mode: 0o755 });
        writeResellerFiles(area.data, 2);
        const r = await runFleet(fleetOptions(em, area, { operation: "preview", backendUrl: `file://${area.fileBackend}`, shards: 1, pulumi: path.join(bin, "pulumi") }));
        assert.ok(r.ok, JSON.stringify(r.stacks));
        const argv = fs.readFileSync(log, "utf8");
        assert.match(argv, /config set --secret fleio:token --stack shard-00/, "the token is set by its own command");
        assert.ok(!argv.includes(em.staffToken), "no command line holds the token");
        const settings = fs.readFileSync(path.join(area.projects, "shard-00", "Pulumi.shard-00.yaml"), "utf8");
        assert.match(settings, /fleio:token:\n\s+secure: /, "stored encrypted");
        assert.ok(![area.projects, area.fileBackend].some((d) => allText(d).includes(em.staffToken)), "nor any file of the run");
    });

    it("up creates every reseller in the stack the bounded-load hashing places it in, 2 stacks at once; who holds which domain is scanned once for the fleet", async () => {
        const preview = await runFleet(fleetOptions(em, dirs, { operation: "preview", backendUrl }));
        const logged = (await f.requests()).length;
        const r = await runFleet(fleetOptions(em, dirs, { operation: "up", backendUrl }));
        assertFleetDidAsPreviewed(preview, r);
        assert.ok(r.ok, JSON.stringify(r.stacks));
        assert.equal(r.parallel, 2);
        assert.equal(r.perStackConcurrency, 2, "budget 4 over 2 stacks at once");
        const ran = r.stacks.filter((s) => !s.skipped).length;
        assert.equal(total(r, "create"), 5 * 9 + ran, "per reseller: the component and its 8 resources; per stack: the stack");
        for (const s of r.stacks) {
            const expected = assignShards(names, shardNames(3)).get(s.stack)!.length;
            assert.equal(s.resellers, expected, s.stack);
        }
        const scans = (await f.requests()).slice(logged).filter((q) => q.method === "GET" && /\/clients$/.test(q.path));
        assert.equal(scans.length, 1, `the domain scan (the client list) was read ${scans.length} times by ${ran} stacks`);
    });

    it("the token is a secret: in no stack config, state or project file in clear", () => {
        const text = allText(dirs.fileBackend) + allText(dirs.projects);
        assert.ok(text.includes("fleio:token"), "the config key is there");
        assert.ok(!text.includes(em.staffToken));
    });

    it("a second preview changes nothing and makes no Fleio call", async () => {
        const before = await f.apiCalls();
        const r = await runFleet(fleetOptions(em, dirs, { operation: "preview", backendUrl }));
        assert.ok(r.ok);
        assert.equal(total(r, "create") + total(r, "update") + total(r, "delete") + total(r, "replace"), 0);
        assert.equal((await f.apiCalls()) - before, 0);
    });

    it("removing one reseller's file deletes only that reseller, in its own stack", async () => {
        const gone = names[2];
        fs.rmSync(path.join(dirs.data, `${gone}.yaml`));
        const r = await fleetUpAsPreviewed(fleetOptions(em, dirs, { operation: "up", backendUrl }));
        assert.ok(r.ok, JSON.stringify(r.stacks));
        const touched = r.stacks.filter((s) => (s.changes.delete ?? 0) > 0 || (s.changes.create ?? 0) > 0 || (s.changes.update ?? 0) > 0);
        assert.deepEqual(touched.map((s) => [s.stack, s.changes.delete]), [[shardLookup(assignShards(names, shardNames(3)))(gone), 9]]);
    });

    it("destroy empties every stack, also shard stacks beyond the count it is given (a fleet whose shard count went down)", async () => {
        const r = await runFleet(fleetOptions(em, dirs, { operation: "destroy", backendUrl, shards: 1 }));
        assert.ok(r.ok, JSON.stringify(r.stacks));
        // shard-00 by the count; the others the up made (a shard given no reseller has no stack) from the backend.
        const names = r.stacks.map((s) => s.stack);
        assert.equal(names[0], "shard-00");
        assert.ok(names.length > 1 && names.every((n) => shardNames(3).includes(n)), names.join(", "));
        // With one shard, shard-00's program names every reseller: the components of those whose state is in
        // another stack are made by the run and removed with the rest (no Fleio object: a component calls nothing).
        assert.equal(total(r, "delete") - total(r, "create"), 4 * 9 + r.stacks.filter((s) => !s.skipped).length, JSON.stringify(r.stacks));
    });
});
