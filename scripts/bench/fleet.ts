import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { startEmulator } from "../../emulator";
import { runFleet, FleetOptions, FleetReport } from "../../fleet";
import { repoRoot } from "../engine";
import { ensurePulumiCli } from "../pulumi-cli";
import { writeResellerFiles } from "./data";
import { emulatorCalls, measure } from "./engine-round";
import { loadResellers } from "../../sdk/gitops";
import { rawClient, rawDestroy, rawUp } from "./raw";
import { sampleMemory, MemoryPeaks } from "./memory";
import { startSeaweed, RunningSeaweed } from "../seaweedfs";

export interface FleetBenchOptions {
    resellers: number;
    shards: number;
    parallel: number;
    latencyMs: number;
    /** Fleio requests in flight across the fleet (the same cap the single stack gets). */
    budget: number;
    s3: boolean;
    /** Also run all resellers as one stack (the slow row, growing with the square of the fleet). */
    single: boolean;
}

interface Row {
    backend: string;
    layout: string;
    op: string;
    s: number;
    calls: number;
    failed: number;
    /** Empty for the raw API, which runs in this process. */
    mem: Partial<MemoryPeaks>;
}

/**
 * The fleet runner at scale: the same resellers as one stack and as `shards` stacks
 * (`parallel` at once), each with state in a file backend and in SeaweedFS, under the
 * same Fleio request budget. Up, a no-change preview and destroy of each.
 */
export async function fleetBench(o: FleetBenchOptions): Promise<void> {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "fleio-fleet-bench-"));
    writeResellerFiles(dataDir, o.resellers);
    const rows: Row[] = [];
    let s3: RunningSeaweed | undefined;
    try {
        if (o.s3) s3 = await startSeaweed();
        const backends: [string, (area: string) => { url: string; env?: Record<string, string> }][] = [["file", (area) => ({ url: `file://${path.join(repoRoot, ".state", area, "backend")}` })]];
        if (s3) backends.push(["s3", () => ({ url: s3!.backendUrl, env: s3!.env })]);
        const layouts: [string, number, number][] = [
            ...(o.single ? [["1 stack", 1, 1] as [string, number, number]] : []),
            [`${o.shards} shards, ${o.parallel} at once`, o.shards, o.parallel],
        ];
        console.log(`\nfleet runner, ${o.resellers} resellers, emulator ${o.latencyMs} ms per request, budget ${o.budget} requests in flight`);
        rows.push(...(await rawRows(dataDir, o)));
        for (const [backend, where] of backends) {
            for (const [layout, shards, parallel] of layouts) {
                const area = `bench-fleet-${backend}-${shards}`;
                fs.rmSync(path.join(repoRoot, ".state", area), { recursive: true, force: true });
                const { url, env } = where(area);
                if (url.startsWith("file://")) fs.mkdirSync(url.slice("file://".length), { recursive: true });
                const em = await startEmulator({ seed: 7, deleteDelayMs: 50, faults: { latencyMs: o.latencyMs } });
                try {
                    const options = (operation: FleetOptions["operation"]): FleetOptions => ({
                        operation, dataDir, backendUrl: url, env, shards, parallel, budget: o.budget, fleioUrl: em.url, fleioToken: em.staffToken,
                        passphrase: "fleet-bench", projectName: `fleet-bench-${shards}`, workDir: path.join(repoRoot, ".state", area, "projects"),
                        // The repository's own CLI build (the package's fleet takes the one on PATH).
                        pulumi: path.join(ensurePulumiCli(), "pulumi"),
                    });
                    for (const op of ["up", "preview", "destroy"] as const) {
                        const c0 = await emulatorCalls(em);
                        const sampler = sampleMemory(250);
                        const t0 = Date.now();
                        const report: FleetReport = await runFleet(options(op));
                        const row = { backend, layout, op, s: (Date.now() - t0) / 1000, calls: (await emulatorCalls(em)) - c0, failed: report.stacks.filter((s) => s.error).length, mem: sampler.stop() };
                        rows.push(row);
                        console.error(`[bench-fleet] ${backend} ${layout} ${op}: ${row.s.toFixed(1)} s, ${row.calls} calls, ${row.failed} failed`);
                        for (const s of report.stacks) if (s.error) console.error(`  ${s.stack}: ${s.error}`);
                    }
                } finally {
                    await em.close();
                }
            }
        }
    } finally {
        await s3?.close();
        fs.rmSync(dataDir, { recursive: true, force: true });
    }
    const raw = new Map(rows.filter((r) => r.backend === "-").map((r) => [r.op, r.s]));
    console.log("  backend  layout                   op        seconds   ÷ raw   s/reseller   calls  failed  program MiB  providers MiB  engines MiB");
    for (const r of rows) {
        const base = raw.get(r.op);
        console.log(
            `  ${r.backend.padEnd(8)} ${r.layout.padEnd(24)} ${r.op.padEnd(8)} ${r.s.toFixed(1).padStart(8)} ${(base ? `${(r.s / base).toFixed(1)}x` : "-").padStart(7)} ${(r.s / o.resellers).toFixed(3).padStart(12)} ${String(r.calls).padStart(7)} ${String(r.failed).padStart(7)} ${String(r.mem.programMiB ?? "-").padStart(12)} ${String(r.mem.providersMiB ?? "-").padStart(14)} ${String(r.mem.engineMiB ?? "-").padStart(12)}`,
        );
    }
}

/** The same resellers straight through the API (scripts/bench/raw.ts): what the fleet's times are divided by. */
async function rawRows(dataDir: string, o: FleetBenchOptions): Promise<Row[]> {
    const em = await startEmulator({ seed: 7, deleteDelayMs: 50, faults: { latencyMs: o.latencyMs } });
    try {
        const api = rawClient(em.url, em.staffToken, o.budget);
        const up = await measure(em, () => rawUp(api, [...loadResellers(dataDir).values()]));
        const destroy = await measure(em, () => rawDestroy(api, up.result.shared, up.result.made));
        return [
            { backend: "-", layout: "raw API", op: "up", s: up.s, calls: up.calls, failed: 0, mem: {} },
            { backend: "-", layout: "raw API", op: "destroy", s: destroy.s, calls: destroy.calls, failed: 0, mem: {} },
        ];
    } finally {
        await em.close();
    }
}
