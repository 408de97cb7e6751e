import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import { startEmulator, RunningEmulator } from "../../emulator";
import { runFleet, FleetReport } from "../../fleet";
import { writeResellerFiles } from "../../scripts/bench/data";
import { FleioDirect } from "./support/fleio-direct";
import { fleetOptions, freshArea } from "./support/fleet-env";
import { fleetUpAsPreviewed } from "./support/preview-matches-up";

/**
 * Moving a fleet to the native plugin is one step, `provider: native` in the data
 * folder's `.fleio-fleet` (or `--provider native`), the same on every runner: the stacks'
 * resources move to the native types through their aliases with nothing changed in
 * Fleio, and every run from any work folder (a CI job's is always fresh) serves them
 * with the plugin. A `fleio:native` left in a work folder's stack config decides nothing.
 */
const changes = (r: FleetReport) => r.stacks.flatMap((s) => Object.entries(s.changes).filter(([k, n]) => k !== "same" && n > 0).map(([k, n]) => `${s.stack} ${k} ${n}`));

describe("fleet: moving to the native plugin is one setting in the data folder, honoured from any work folder", function () {
    this.timeout(900_000);
    let em: RunningEmulator;
    let f: FleioDirect;
    const dirs = freshArea("fleet-native");
    const backendUrl = `file://${dirs.fileBackend}`;
    let fresh = 0;
    const options = (operation: "preview" | "up") => fleetOptions(em, { data: dirs.data, projects: path.join(dirs.projects, `run-${++fresh}`) }, { operation, backendUrl, shards: 2 });
    const typesInState = () =>
        fs
            .readdirSync(path.join(dirs.fileBackend, ".pulumi", "stacks", "fleio-fleet"))
            .filter((n) => n.endsWith(".json"))
            .flatMap((n) => (JSON.parse(fs.readFileSync(path.join(dirs.fileBackend, ".pulumi", "stacks", "fleio-fleet", n), "utf8")).checkpoint.latest.resources as { type: string }[]).map((r) => r.type))
            .filter((t) => /fleio:(index:)?(Reseller|OpenstackPlan|PricingRule|ResellerService|FrontendDomain|Configuration)$/.test(t));

    before(async () => {
        em = await startEmulator({ seed: 63, deleteDelayMs: 20 });
        f = new FleioDirect(em);
        await f.defaultStaffPlanId();
        writeResellerFiles(dirs.data, 3);
        const r = await fleetUpAsPreviewed(options("up"));
        assert.ok(r.ok, JSON.stringify(r.stacks));
        assert.ok(typesInState().every((t) => t.startsWith("pulumi-nodejs:dynamic/fleio:")));
    });
    after(async () => {
        await em?.close();
    });

    it("with provider: native in .fleio-fleet, a preview from a fresh work folder shows no change and makes no Fleio call", async () => {
        fs.writeFileSync(path.join(dirs.data, ".fleio-fleet"), "provider: native\n");
        const calls = await f.apiCalls();
        const p = await runFleet(options("preview"));
        assert.ok(p.ok, JSON.stringify(p.stacks));
        assert.deepEqual(changes(p), []);
        assert.equal((await f.apiCalls()) - calls, 0);
    });

    it("up from another fresh work folder moves every resource to the native types with no Fleio write; the next preview, fresh again, is empty with 0 calls", async () => {
        const logged = (await f.requests()).length;
        const u = await runFleet(options("up"));
        assert.ok(u.ok, JSON.stringify(u.stacks));
        assert.deepEqual(changes(u), []);
        assert.deepEqual((await f.requests()).slice(logged).filter((r) => r.method !== "GET"), [], "nothing written to Fleio");
        const types = typesInState();
        assert.equal(types.length, 3 * 8);
        assert.ok(types.every((t) => t.startsWith("fleio:index:")), types.join(", "));
        const calls = await f.apiCalls();
        assert.deepEqual(changes(await runFleet(options("preview"))), []);
        assert.equal((await f.apiCalls()) - calls, 0);
    });

    it("a --provider that disagrees with the data folder is refused before anything runs; a work folder's leftover fleio:native does not decide", async () => {
        await assert.rejects(runFleet({ ...options("preview"), provider: "dynamic" }), /--provider dynamic disagrees with .*\.fleio-fleet \(provider: native\)/);
        // A work folder whose stack config says dynamic (set by hand): the data folder still decides.
        const o = options("preview");
        const first = await runFleet(o);
        assert.deepEqual(changes(first), []);
        for (const dir of fs.readdirSync(o.workDir).filter((d) => d.startsWith("shard-"))) {
            const file = path.join(o.workDir, dir, `Pulumi.${dir}.yaml`);
            fs.writeFileSync(file, fs.readFileSync(file, "utf8").replace(/fleio:native: "true"/, 'fleio:native: "false"'));
        }
        const calls = await f.apiCalls();
        assert.deepEqual(changes(await runFleet(o)), []);
        assert.equal((await f.apiCalls()) - calls, 0);
    });
});
