import * as assert from "node:assert/strict";
import { startEmulator, RunningEmulator } from "../../emulator";
import { formatReport, runFleet, FleetOptions, FleetReport } from "../../fleet";
import { startSeaweed, RunningSeaweed } from "../../scripts/seaweedfs";
import { writeResellerFiles } from "../../scripts/bench/data";
import { fleetOptions, freshArea } from "./support/fleet-env";
import { assertFleetDidAsPreviewed } from "./support/preview-matches-up";

// A team's state backend: one S3 bucket (SeaweedFS on loopback) shared by fleet runs
// that may start at the same time. Runs on different stacks proceed side by side;
// runs on the same stack are kept apart by Pulumi's lock, and the loser changes nothing.

const changed = (r: FleetReport) => r.stacks.reduce((n, s) => n + Object.entries(s.changes).filter(([k]) => k !== "same").reduce((a, [, v]) => a + v, 0), 0);

describe("fleet runner on an S3 bucket (SeaweedFS)", function () {
    this.timeout(900_000);
    let em: RunningEmulator;
    let s3: RunningSeaweed;
    const a = freshArea("fleet-s3-a");
    const b = freshArea("fleet-s3-b");
    const a2 = freshArea("fleet-s3-a2");
    let opts: (dirs: typeof a, project: string, over: Partial<FleetOptions> & Pick<FleetOptions, "operation">) => FleetOptions;

    before(async () => {
        em = await startEmulator({ seed: 31, deleteDelayMs: 50 });
        s3 = await startSeaweed({ weed: process.env.PULUMI_FLEIO_WEED });
        writeResellerFiles(a.data, 2, 0);
        writeResellerFiles(b.data, 2, 100);
        writeResellerFiles(a2.data, 2, 0);
        opts = (dirs, project, over) => fleetOptions(em, dirs, { backendUrl: s3.backendUrl, env: s3.env, projectName: project, shards: 1, parallel: 1, budget: 4, ...over });
    });
    // No clean-up destroy: the bucket and the emulator go with this process.
    after(async () => {
        await s3?.close();
        await em?.close();
    });

    it("two runs at once on different stacks of one bucket both succeed, each doing what its preview showed", async () => {
        // Previewed first (also at once), so the two ups still start together.
        const [pa, pb] = await Promise.all([runFleet(opts(a, "fleet-a", { operation: "preview" })), runFleet(opts(b, "fleet-b", { operation: "preview" }))]);
        const [ra, rb] = await Promise.all([runFleet(opts(a, "fleet-a", { operation: "up" })), runFleet(opts(b, "fleet-b", { operation: "up" }))]);
        assert.ok(ra.ok && rb.ok, JSON.stringify([ra.stacks, rb.stacks]));
        assertFleetDidAsPreviewed(pa, ra);
        assertFleetDidAsPreviewed(pb, rb);
        assert.equal(ra.stacks[0].changes.create, 2 * 9 + 1);
        assert.equal(rb.stacks[0].changes.create, 2 * 9 + 1);
    });

    it("two runs at once on the same stack: one applies; the other is refused by Pulumi's lock, or finds it applied and says so; the stack stays sound", async () => {
        // Same project and stack, from two checkouts (project folders) of the same data.
        // A change both runs would make (a2 holds the same resellers as a): a third reseller.
        const edit = writeResellerFiles;
        edit(a.data, 1, 2);
        edit(a2.data, 1, 2);
        // Not compared with a preview: the two runs race on purpose, and one of them is refused or finds the change made.
        const [r1, r2] = await Promise.all([runFleet(opts(a, "fleet-a", { operation: "up" })), runFleet(opts(a2, "fleet-a", { operation: "up" }))]);
        const applied = [r1, r2].filter((r) => r.ok && r.stacks[0].changes.create);
        const [second] = [r1, r2].filter((r) => !applied.includes(r));
        assert.equal(applied.length, 1, JSON.stringify([r1.stacks, r2.stacks]));
        assert.equal(applied[0].stacks[0].changes.create, 9, "the third reseller, once");
        const loser = second.stacks[0];
        if (second.ok) {
            assert.equal(loser.note, "already applied by another run that started at the same time");
            assert.match(formatReport(second), /nothing left to apply: another run applied every stack/);
        } else {
            // The holder is alive on this host: the lock is never released, and the message names the exact command (fleet/stale-lock.ts).
            assert.match(loser.error ?? "", /^stack shard-00 is locked by a run whose process still runs \(pid \d+ on /);
            assert.match(loser.error ?? "", /PULUMI_BACKEND_URL='s3:\/\/[^']+' pulumi cancel --yes --stack organization\/fleet-a\/shard-00$/);
        }
        console.log(`      the other run: ${loser.error ?? loser.note}`);

        const after = await runFleet(opts(a2, "fleet-a", { operation: "preview" }));
        assert.ok(after.ok, JSON.stringify(after.stacks));
        assert.equal(changed(after), 0, "the stack previews clean");
        const other = await runFleet(opts(b, "fleet-b", { operation: "preview" }));
        assert.equal(changed(other), 0, "the neighbour stack too");
    });
});
