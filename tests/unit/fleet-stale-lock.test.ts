import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { spawnSync } from "node:child_process";
import { LockContext, unlockedIfHolderGone } from "../../fleet/stale-lock";

/**
 * The lock a killed run left: released (with `pulumi cancel`, here a script that records
 * its arguments) only when its holder is provably gone or the operator says so for
 * another host; otherwise the error gives the exact command.
 */
describe("fleet: a stack locked by a killed run", () => {
    let dir: string;
    let ctx: LockContext;
    const calls = () => (fs.existsSync(path.join(dir, "calls")) ? fs.readFileSync(path.join(dir, "calls"), "utf8").trim().split("\n") : []);
    const refusal = (host: string, pid: number) =>
        new Error(`error: the stack is currently locked by 1 lock(s). Either wait for the other process(es) to end or delete the lock file with \`pulumi cancel\`.\n  file:///b/.pulumi/locks/organization/p/shard-01/x.json: created by ci@${host} (pid ${pid}) at 2026-12-07`);
    /** An operation refused once for `error`, then succeeding. */
    const lockedOnce = (error: Error) => {
        let tries = 0;
        return async () => {
            if (tries++ === 0) throw error;
            return "applied";
        };
    };
    beforeEach(() => {
        dir = fs.mkdtempSync(path.join(os.tmpdir(), "fleet-lock-"));
        fs.writeFileSync(path.join(dir, "pulumi"), `#!/bin/sh\necho "$@" >> ${path.join(dir, "calls")}\n`, { mode: 0o755 });
        ctx = { cliDir: dir, workDir: dir, envVars: {}, backendUrl: "file:///b", projectName: "p", stackName: "shard-01" };
    });
    afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

    it("a holder on this host whose process is gone: released with pulumi cancel on the full stack name, then the run goes on", async () => {
        const gone = spawnSync(process.execPath, ["-e", "0"]).pid!;
        let before = 0;
        const r = await unlockedIfHolderGone(ctx, lockedOnce(refusal(os.hostname(), gone)), () => before++);
        assert.equal(r.result, "applied");
        assert.match(r.released!, new RegExp(`pid ${gone} on ${os.hostname()}, no longer running`));
        assert.deepEqual(calls(), ["cancel --yes --stack organization/p/shard-01 --color never"]);
        assert.equal(before, 1, "told before the run is tried again");
    });

    it("a holder on another host is left alone, and the error gives the exact command; --release-lock releases it", async () => {
        await assert.rejects(
            unlockedIfHolderGone(ctx, lockedOnce(refusal("runner-9", 42))),
            /stack shard-01 is locked by a run on another host.*pid 42 on runner-9.*--release-lock.*PULUMI_BACKEND_URL='file:\/\/\/b' pulumi cancel --yes --stack organization\/p\/shard-01$/,
        );
        assert.deepEqual(calls(), []);
        const r = await unlockedIfHolderGone({ ...ctx, holderEnded: true }, lockedOnce(refusal("runner-9", 42)));
        assert.match(r.released!, /ended, as --release-lock says/);
        assert.equal(calls().length, 1);
    });

    it("a holder alive on this host keeps its lock, even with --release-lock", async () => {
        await assert.rejects(unlockedIfHolderGone({ ...ctx, holderEnded: true }, lockedOnce(refusal(os.hostname(), process.pid))), /whose process still runs/);
        assert.deepEqual(calls(), []);
    });
});
