import * as assert from "node:assert/strict";
import { ChildProcess, execFileSync, spawn } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { startEmulator, RunningEmulator } from "../../emulator";
import { repoRoot } from "../../scripts/engine";
import { writeResellerFiles, resellerData } from "../../scripts/bench/data";
import { assignShards, shardNames } from "../../fleet";
import type { FleetReport } from "../../fleet";
import { FleioDirect } from "./support/fleio-direct";
import { FLEET_PASSPHRASE, freshArea } from "./support/fleet-env";
import { added, census, Census } from "./support/census";
import { holdingProxy, HoldingProxy } from "./support/holding-proxy";
import { processTree, waitsOnFifo } from "./support/interrupt";

/**
 * A CI matrix job SIGKILLed during its `fleet up` (the runner cancelled or lost), on a
 * shared file backend: 12 resellers over 4 shards, one job per shard, each its own
 * process tree (the fleet CLI, the pulumi CLI, the provider processes). Three jobs are
 * killed, each at another point of its `up`, while the fourth runs normally:
 *   - before its first create: its first POST never reaches Fleio;
 *   - mid-creates: Fleio has made a plan (a kind whose name Fleio does not keep unique)
 *     and the answer never comes back;
 *   - during a state save: the stack file's `.attrs` companion is a FIFO, so the save
 *     that opens it waits there, and the kill lands inside the save. A regular file is
 *     left empty at that point (the save truncates it, then writes): the test puts an
 *     empty file in its place, which is what every later command then meets.
 * Then each killed job runs once more, as CI would on a fresh runner (a fresh work
 * folder, nothing typed by hand), and must converge; the other shards' jobs run
 * normally throughout, and the fleet ends with exactly the declared objects in Fleio and
 * a preview with no change and no Fleio call.
 */
const RESELLERS = 12;
const SHARDS = 4;
const cli = path.join(repoRoot, "dist", "cli", "index.js");
const STAFF = "/backend/staffapi/";
const anyPost = (m: string, p: string) => m === "POST" && p.startsWith(STAFF);
const planPost = (m: string, p: string) => m === "POST" && p === `${STAFF}openstack/billing/plan`;

interface Job {
    child: ChildProcess;
    done: Promise<{ code: number; stdout: string; stderr: string }>;
}

function killedJobs(title: string, seed: number, skipCheckpoints: boolean) {
    describe(title, function () {
        this.timeout(1_800_000);
        let em: RunningEmulator;
        let f: FleioDirect;
        const area = freshArea(`fleet-killed-${seed}`);
        const backend = `file://${area.fileBackend}`;
        const stacksDir = path.join(area.fileBackend, ".pulumi", "stacks", "fleio-fleet");
        let env: Record<string, string>;
        /** What Fleio held before the fleet: its factory objects and the operator's default plan. */
        let baseline: Census;
        let runs = 0;
        /** The first reseller's number: the 12 are chosen so that each of the 4 shards holds some. */
        let first = 0;
        const nameOf = (i: number) => `reseller-${String(i).padStart(4, "0")}`;
        const outputs: string[] = [];

        const job = (args: string[], fleioUrl: string): Job => {
            const workDir = path.join(area.projects, `run-${++runs}`);
            const child = spawn(
                process.execPath,
                [cli, "fleet", ...args, "--data", area.data, "--backend", backend, "--shards", String(SHARDS), "--parallel", "2", "--budget", "4", "--fleio-url", fleioUrl, "--work-dir", workDir, "--json", ...(skipCheckpoints ? ["--skip-checkpoints"] : [])],
                { cwd: repoRoot, env, stdio: ["ignore", "pipe", "pipe"] },
            );
            let stdout = "";
            let stderr = "";
            child.stdout!.on("data", (d) => (stdout += d));
            child.stderr!.on("data", (d) => (stderr += d));
            const done = new Promise<{ code: number; stdout: string; stderr: string }>((resolve) =>
                child.on("close", (code) => {
                    outputs.push(stdout + stderr);
                    resolve({ code: code ?? 137, stdout, stderr });
                }),
            );
            return { child, done };
        };
        const upShard = (shard: string, url = em.url) => job(["up", "--shard", shard], url);
        const report = (r: { code: number; stdout: string; stderr: string }, what: string): FleetReport => {
            assert.equal(r.code, 0, `${what}: ${r.stdout}${r.stderr}`);
            return JSON.parse(r.stdout) as FleetReport;
        };
        /** SIGKILL the job and everything under it at once, as a runner that is gone. */
        const kill = async (j: Job) => {
            for (const pid of processTree(j.child.pid!)) {
                try {
                    process.kill(pid, "SIGKILL");
                } catch {
                    // already gone
                }
            }
            const r = await j.done;
            assert.notEqual(r.code, 0, "the killed job did not succeed");
        };
        const until = async (what: string, j: Job, ready: () => boolean) => {
            let ended = false;
            void j.done.then(() => (ended = true));
            for (const t0 = Date.now(); !ready(); await new Promise((r) => setTimeout(r, 20))) {
                if (ended) throw new Error(`the job ended before ${what}: ${(await j.done).stdout}${(await j.done).stderr}`);
                if (Date.now() - t0 > 600_000) throw new Error(`timed out waiting for ${what}`);
            }
        };

        before(async () => {
            em = await startEmulator({ seed, deleteDelayMs: 20 });
            f = new FleioDirect(em);
            await f.defaultStaffPlanId();
            baseline = await census(f);
            const spread = (from: number) => [...assignShards(Array.from({ length: RESELLERS }, (_, k) => nameOf(from + k)), shardNames(SHARDS)).values()].every((m) => m.length > 0);
            while (!spread(first)) first++;
            writeResellerFiles(area.data, RESELLERS, first);
            env = { PATH: process.env.PATH ?? "", HOME: process.env.HOME ?? "", FLEIO_TOKEN: em.staffToken, PULUMI_CONFIG_PASSPHRASE: FLEET_PASSPHRASE };
        });
        after(async () => {
            await em?.close();
        });

        it("each killed job converges with one re-run, nothing made twice; the other shards' jobs run normally throughout; then exactly the declared objects and an empty preview with 0 calls", async () => {
            const members = assignShards(fs.readdirSync(area.data).map((f) => f.replace(/\.yaml$/, "")), shardNames(SHARDS));
            const used = [...members].filter(([, m]) => m.length > 0).map(([s]) => s);
            assert.equal(used.length, 4, `every shard holds resellers: ${JSON.stringify([...members])}`);
            const [early, mid, saving, normal] = used;
            const proxies: HoldingProxy[] = await Promise.all([early, mid, saving].map(() => holdingProxy(em.url)));
            const [pEarly, pMid, pSaving] = proxies;
            try {
                // Before the first create: from the first POST on, none reaches Fleio.
                const stalled = pEarly.stallNext(anyPost, { andAfter: true });
                const held = pMid.holdNext(planPost);
                const jobs = { early: upShard(early, pEarly.url), mid: upShard(mid, pMid.url), saving: upShard(saving, pSaving.url), normal: upShard(normal) };

                const killEarly = (async () => {
                    await stalled;
                    await kill(jobs.early);
                    assert.equal(pEarly.count(anyPost), 0, "the early job was killed before Fleio saw any create");
                })();
                const killMid = (async () => {
                    await held;
                    await kill(jobs.mid);
                })();
                const attrs = path.join(stacksDir, `${saving}.json.attrs`);
                const killSaving = (async () => {
                    // Mid-run: after a few creates, the next save of this stack waits in its .attrs companion.
                    await until("its third create", jobs.saving, () => pSaving.count(anyPost) >= 3);
                    for (let done = false; !done; ) {
                        fs.rmSync(attrs, { force: true });
                        try {
                            execFileSync("mkfifo", [attrs], { stdio: "ignore" });
                            done = true;
                        } catch {
                            // a save re-created it between the two calls: again
                        }
                    }
                    await until("a state save", jobs.saving, () => waitsOnFifo(processTree(jobs.saving.child.pid!)));
                    await kill(jobs.saving);
                    // Another job reading the stack meanwhile would wait in the FIFO for a writer: it gets end of file.
                    try {
                        fs.closeSync(fs.openSync(attrs, fs.constants.O_WRONLY | fs.constants.O_NONBLOCK));
                    } catch {
                        // no reader waits
                    }
                    fs.rmSync(attrs);
                    fs.writeFileSync(attrs, "");
                })();
                await Promise.all([killEarly, killMid, killSaving]);
                const normalReport = report(await jobs.normal.done, `${normal}'s job, run beside the killed ones`);
                assert.ok((normalReport.stacks[0].changes.create ?? 0) > 0);

                // The kills left locks, and a stack file whose companion is empty.
                for (const s of [early, mid, saving]) assert.ok(fs.readdirSync(path.join(area.fileBackend, ".pulumi", "locks", "organization", "fleio-fleet", s)).length > 0, `${s} is left locked`);
                assert.equal(fs.statSync(attrs).size, 0);

                // Another shard's job is not blocked by any of it.
                const again = report(await upShard(normal).done, `${normal}'s job after the kills`);
                assert.deepEqual(Object.entries(again.stacks[0].changes).filter(([k, n]) => k !== "same" && n > 0), []);
                // It names the broken stack and its files; a kill elsewhere may have hit a save too (the engine saves after every step).
                const warned = again.warnings ?? [];
                assert.ok(warned.some((w) => w.startsWith(`stack ${saving} cannot be read`) && w.includes(attrs)), JSON.stringify(warned));
                assert.ok(warned.every((w) => [early, mid, saving].some((s) => w.startsWith(`stack ${s} cannot be read`))), JSON.stringify(warned));

                // One re-run of each killed job, the first two while the third stack is still broken.
                // Not compared with a preview: the re-run itself must clear the dead run's lock and pending creates, as a CI job does with no preview first.
                const [rEarly, rMid] = await Promise.all([upShard(early).done, upShard(mid).done]);
                const rSaving = await upShard(saving).done;
                const resolved: Record<string, string[]> = {};
                for (const [s, r] of [[early, rEarly], [mid, rMid], [saving, rSaving]] as const) {
                    const rep = report(r, `the one re-run of ${s}'s job`);
                    assert.ok(rep.ok);
                    resolved[s] = rep.stacks[0].resolved ?? [];
                    assert.ok(resolved[s].some((x) => /lock of a killed run .* released/.test(x)), `${s}: ${JSON.stringify(resolved[s])}`);
                }
                console.log(`      resolved: ${JSON.stringify(resolved, null, 1)}`);
                assert.ok(resolved[saving].some((x) => x.includes(`${saving}.json.attrs`)), JSON.stringify(resolved[saving]));
                if (!skipCheckpoints) assert.ok(resolved[mid].some((x) => /pending operations/.test(x) && /plan/.test(x)), JSON.stringify(resolved[mid]));
                // The plan Fleio made before the kill (a name Fleio does not keep unique) is taken over, and said so.
                assert.ok(resolved[mid].some((x) => /^took over plan .* made by the interrupted run/.test(x)), JSON.stringify(resolved[mid]));

                // Exactly the declared objects, each once.
                const now = added(baseline, await census(f));
                const active = now.clients.filter((c) => c.status === "active");
                assert.equal(now.clients.length, RESELLERS, `no client twice: ${JSON.stringify(now.clients)}`);
                assert.equal(active.length, RESELLERS);
                for (let i = first; i < first + RESELLERS; i++) {
                    const name = nameOf(i);
                    assert.equal(now.plans.filter((p) => p.name === `Reseller pricing - ${name}`).length, 1, `${name}'s plan exists once`);
                    assert.equal(now.configurations.filter((c) => c.name === resellerData(i).configuration!.name).length, 1, `${name}'s configuration exists once`);
                }
                assert.equal(now.plans.length, RESELLERS);
                assert.equal(now.rules.length, RESELLERS * 3);
                assert.equal(now.services.length, RESELLERS);
                assert.equal(now.configurations.length, RESELLERS);

                // The whole fleet, from a fresh work folder: nothing to change, no Fleio call.
                const calls = await f.apiCalls();
                const preview = report(await job(["preview"], em.url).done, "fleet preview");
                assert.deepEqual(preview.stacks.flatMap((s) => Object.entries(s.changes).filter(([k, n]) => k !== "same" && n > 0)), []);
                assert.equal((await f.apiCalls()) - calls, 0, "the preview makes no Fleio call");
                for (const out of outputs) assert.doesNotMatch(out, /Command failed with exit code|--client=|error: EOF$/m, "no error shows the CLI's command line or a bare EOF");
            } finally {
                await Promise.all(proxies.map((p) => p.close()));
            }
        });
    });
}

killedJobs("fleet: CI jobs SIGKILLed before a create, mid-creates and during a state save converge with one re-run each", 61, false);
killedJobs("fleet --skip-checkpoints: the same kills, with the state written once per run, converge with one re-run each", 62, true);
