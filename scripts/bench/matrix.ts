/**
 * A fleet as the matrix pipeline runs it vs one runner: the same resellers over the same
 * shards and the same total Fleio request budget, once as one `pulumi-fleio fleet` process
 * (`--parallel` stacks at once) and once as one process per shard started together (the
 * CI jobs of examples/gitops/pipeline.ts, here on one machine), each with its own project
 * folder, on one file backend. Up, a no-change preview and destroy of each.
 *
 *   node dist/scripts/bench/matrix.js [--resellers 200] [--shards 8] [--parallel 4] [--budget 16] [--latency 20]
 */
import { execFile } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { Command } from "commander";
import { startEmulator, RunningEmulator } from "../../emulator";
import { shardNames } from "../../fleet";
import { repoRoot } from "../engine";
import { ensurePulumiCli } from "../pulumi-cli";
import { writeResellerFiles } from "./data";
import { emulatorCalls } from "./engine-round";

const cli = path.join(repoRoot, "dist", "cli", "index.js");

function run(args: string[], env: NodeJS.ProcessEnv): Promise<{ ok: boolean; out: string }> {
    return new Promise((resolve) =>
        execFile(process.execPath, [cli, ...args], { env, maxBuffer: 256 << 20, cwd: repoRoot }, (err, stdout, stderr) => resolve({ ok: !err, out: err ? stderr.slice(-2000) : stdout })),
    );
}

async function main(): Promise<void> {
    const o = new Command()
        .option("--resellers <n>", "", "200")
        .option("--shards <n>", "", "8")
        .option("--parallel <n>", "stacks at once of the one runner", "4")
        .option("--budget <n>", "Fleio requests in flight in total", "16")
        .option("--latency <ms>", "emulator latency per request", "20")
        .parse()
        .opts<{ resellers: string; shards: string; parallel: string; budget: string; latency: string }>();
    const [resellers, shards, parallel, budget, latencyMs] = [o.resellers, o.shards, o.parallel, o.budget, o.latency].map(Number);
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "fleio-matrix-bench-"));
    writeResellerFiles(dataDir, resellers);
    const cliDir = ensurePulumiCli();
    const rows: string[] = [];
    for (const layout of ["one runner", "matrix"] as const) {
        const area = path.join(repoRoot, ".state", `bench-matrix-${layout === "matrix" ? "jobs" : "runner"}`);
        fs.rmSync(area, { recursive: true, force: true });
        fs.mkdirSync(path.join(area, "backend"), { recursive: true });
        const em: RunningEmulator = await startEmulator({ seed: 7, deleteDelayMs: 50, faults: { latencyMs } });
        try {
            const env = { ...process.env, PATH: `${cliDir}${path.delimiter}${process.env.PATH}`, FLEIO_URL: em.url, FLEIO_TOKEN: em.staffToken, PULUMI_CONFIG_PASSPHRASE: "bench" };
            const common = ["--data", dataDir, "--backend", `file://${path.join(area, "backend")}`, "--shards", String(shards), "--json"];
            for (const op of ["up", "preview", "destroy"]) {
                const c0 = await emulatorCalls(em);
                const t0 = Date.now();
                const runs =
                    layout === "one runner"
                        ? [run(["fleet", op, ...common, "--parallel", String(parallel), "--budget", String(budget), "--work-dir", path.join(area, "projects")], env)]
                        : shardNames(shards).map((s) => run(["fleet", op, ...common, "--shard", s, "--parallel", "1", "--budget", String(Math.max(1, Math.floor(budget / shards))), "--work-dir", path.join(area, "projects", s)], env));
                const done = await Promise.all(runs);
                const s = (Date.now() - t0) / 1000;
                const failed = done.filter((d) => !d.ok);
                const line = `| ${layout} | ${op} | ${s.toFixed(1)} | ${(await emulatorCalls(em)) - c0} | ${failed.length ? `FAILED: ${failed[0].out.split("\n").slice(-3).join(" ")}` : "ok"} |`;
                rows.push(line);
                console.error(line);
            }
        } finally {
            await em.close();
        }
    }
    console.log(`\n${resellers} resellers, ${shards} shards, budget ${budget} requests in flight in total, emulator ${latencyMs} ms per request, file backend`);
    console.log(`one runner: one process, ${parallel} stacks at once, fleio:maxConcurrency ${Math.floor(budget / parallel)} each; matrix: ${shards} processes at once, ${Math.max(1, Math.floor(budget / shards))} each`);
    console.log("| layout | op | seconds | Fleio calls | result |\n|---|---|---|---|---|");
    for (const r of rows) console.log(r);
    fs.rmSync(dataDir, { recursive: true, force: true });
}

main().catch((e) => {
    console.error(e instanceof Error ? e.message : e);
    process.exitCode = 1;
});
