import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { startEmulator, RunningEmulator } from "../../emulator";
import { runFleet, FleetOptions, FleetReport, fleetShards, shardNames } from "../../fleet";
import { gitopsProgram, loadResellers } from "../../sdk/gitops";
import { engineStack, repoRoot } from "../engine";
import { ensurePulumiCli } from "../pulumi-cli";
import { writeResellerFiles } from "./data";
import { emulatorCalls, measure, Measured } from "./engine-round";
import { floorRound } from "./floor";
import { MemoryPeaks, sampleMemory } from "./memory";
import { rawClient, rawDestroy, rawUp } from "./raw";

/**
 * The issue-20 table: the same N generated resellers as the raw API script, the engine
 * floor (a no-op provider), one dynamic stack, one native stack, the fleet on one runner,
 * and the fleet as a CI matrix whose jobs run alone one after another (on separate
 * runners they would run at once: the slowest job is the matrix's wall time). Each with
 * `up`, a no-change preview and destroy: seconds, Fleio calls, peak memory per process.
 */
export interface TableOptions {
    sizes: number[];
    /** Above this size only the raw script and the fleet rows run (a 1,000-reseller stack is what the fleet exists to avoid). */
    singleMax: number;
    latencyMs: number;
    /** Requests in flight of the raw script, one stack, and the fleet on one runner (the CLI's --budget default). */
    budget: number;
    /** Stacks at once of the one runner (the CLI's --parallel default). */
    parallel: number;
    /** Requests in flight over all the matrix's jobs (examples/gitops/pipeline.ts's MATRIX_DEFAULTS), split evenly. */
    matrixBudget: number;
}

export interface TableRow {
    n: number;
    layout: string;
    up?: Measured;
    preview?: Measured;
    destroy?: Measured;
    /** The matrix: the resellers of its slowest `up` job, and the most calls per reseller of any job. */
    detail?: string;
    callsPerReseller?: number;
}

const emulator = (latencyMs: number, seed: number) => startEmulator({ seed, deleteDelayMs: 50, faults: { latencyMs } });

async function rawRow(n: number, dir: string, o: TableOptions): Promise<TableRow> {
    const em = await emulator(o.latencyMs, n);
    try {
        const api = rawClient(em.url, em.staffToken, o.budget);
        const up = await measure(em, () => rawUp(api, [...loadResellers(dir).values()]), true);
        const destroy = await measure(em, () => rawDestroy(api, up.result.shared, up.result.made), true);
        return { n, layout: "raw API", up, destroy };
    } finally {
        await em.close();
    }
}

async function stackRow(n: number, dir: string, o: TableOptions, native: boolean): Promise<TableRow> {
    const em = await emulator(o.latencyMs, n);
    try {
        const stack = await engineStack(async () => gitopsProgram(dir), { area: "bench", projectName: `table-${n}${native ? "-native" : ""}`, fleioUrl: em.url, fleioToken: em.staffToken, fresh: true, native });
        await stack.setConfig("fleio:maxConcurrency", { value: String(o.budget) });
        const up = await measure(em, () => stack.up(), true);
        const preview = await measure(em, () => stack.preview(), true);
        const destroy = await measure(em, () => stack.destroy(), true);
        return { n, layout: native ? "native, one stack" : "dynamic, one stack", up, preview, destroy };
    } finally {
        await em.close();
    }
}

/** A fleet operation measured: wall time, calls, memory, and the report. */
async function fleetOp(em: RunningEmulator, options: FleetOptions): Promise<Measured & { report: FleetReport }> {
    const c0 = await emulatorCalls(em);
    const sampler = sampleMemory(250);
    const t0 = process.hrtime.bigint();
    const report = await runFleet(options);
    const s = Number(process.hrtime.bigint() - t0) / 1e9;
    const failed = report.stacks.filter((x) => x.error || x.skipped?.startsWith("waits"));
    for (const x of failed) console.error(`  [table] ${options.operation} ${x.stack} FAILED: ${x.error ?? x.skipped}`);
    return { s, calls: (await emulatorCalls(em)) - c0, mem: sampler.stop(), report };
}

async function fleetRows(n: number, dir: string, o: TableOptions): Promise<TableRow[]> {
    const shards = fleetShards(n);
    const rows: TableRow[] = [];
    // The one runner again with --skip-checkpoints up to --single-max: what the engine's per-step state writes cost a fleet.
    const layouts = n <= o.singleMax ? (["one runner", "one runner, --skip-checkpoints", "matrix"] as const) : (["one runner", "matrix"] as const);
    for (const layout of layouts) {
        const area = path.join(repoRoot, ".state", `table-fleet-${n}-${layout === "matrix" ? "matrix" : "runner"}`);
        fs.rmSync(area, { recursive: true, force: true });
        fs.mkdirSync(path.join(area, "backend"), { recursive: true });
        const em = await emulator(o.latencyMs, 7);
        try {
            const base = (operation: FleetOptions["operation"]): FleetOptions => ({
                operation, dataDir: dir, backendUrl: `file://${path.join(area, "backend")}`, parallel: o.parallel, budget: o.budget,
                fleioUrl: em.url, fleioToken: em.staffToken, passphrase: "table-bench", projectName: `table-${n}`, workDir: path.join(area, "projects"),
                pulumi: path.join(ensurePulumiCli(), "pulumi"),
            });
            if (layout !== "matrix") {
                const skipCheckpoints = layout !== "one runner";
                const [up, preview, destroy] = [await fleetOp(em, { ...base("up"), skipCheckpoints }), await fleetOp(em, base("preview")), await fleetOp(em, base("destroy"))];
                rows.push({ n, layout: `fleet, one runner${skipCheckpoints ? ", --skip-checkpoints" : ""} (${shards} shards, ${o.parallel} at once)`, up, preview, destroy });
                continue;
            }
            // One job per shard, alone, one after another; the jobs of one operation share one domain scan (--domain-holders).
            const perJob = Math.max(1, Math.floor(o.matrixBudget / shards));
            const slowest: Partial<Record<FleetOptions["operation"], Measured & { job: string; resellers: number }>> = {};
            let worstPerReseller = 0;
            for (const operation of ["up", "preview", "destroy"] as const) {
                const scan = path.join(area, `domain-holders-${operation}.json`);
                for (const shard of shardNames(shards)) {
                    const job = await fleetOp(em, { ...base(operation), shards, only: [shard], parallel: 1, budget: perJob, domainHolders: scan, workDir: path.join(area, "projects", shard) });
                    const resellers = job.report.stacks.reduce((a, x) => a + x.resellers, 0);
                    if (operation === "up" && resellers) worstPerReseller = Math.max(worstPerReseller, job.calls / resellers);
                    if (!slowest[operation] || job.s > slowest[operation]!.s) slowest[operation] = { ...job, job: shard, resellers };
                    console.error(`  [table] N=${n} matrix ${operation} ${shard}: ${job.s.toFixed(1)} s, ${resellers} resellers, ${job.calls} calls`);
                }
            }
            rows.push({
                n, layout: `fleet matrix, slowest job (${shards} jobs, ${perJob} requests each)`, up: slowest.up, preview: slowest.preview, destroy: slowest.destroy,
                callsPerReseller: worstPerReseller, detail: `slowest up: ${slowest.up?.job} with ${slowest.up?.resellers} resellers`,
            });
        } finally {
            await em.close();
        }
    }
    return rows;
}

const fmt = (m?: Measured) => (m ? m.s.toFixed(1) : "-");
const peak = (m?: MemoryPeaks) => (m ? `${m.programMiB} / ${m.oneProviderMiB || "-"} / ${m.oneEngineMiB || "-"}` : "-");

function printRow(r: TableRow, raw: Map<number, TableRow>): string {
    const rawUpS = raw.get(r.n)?.up?.s;
    const raw200 = raw.get(200)?.up?.s;
    const perReseller = r.callsPerReseller ?? (r.up ? r.up.calls / r.n : undefined);
    const mems = [r.up?.mem, r.preview?.mem, r.destroy?.mem].filter((m): m is MemoryPeaks => !!m);
    const mem = mems.length ? { programMiB: Math.max(...mems.map((m) => m.programMiB)), oneProviderMiB: Math.max(...mems.map((m) => m.oneProviderMiB)), oneEngineMiB: Math.max(...mems.map((m) => m.oneEngineMiB)), providersMiB: 0, engineMiB: 0 } : undefined;
    return `| ${r.n} | ${r.layout} | ${fmt(r.up)} | ${rawUpS && r.up ? (r.up.s / rawUpS).toFixed(1) + "x" : "-"} | ${raw200 && r.up ? (r.up.s / raw200).toFixed(2) + "x" : "-"} | ${fmt(r.preview)} | ${r.preview ? r.preview.calls : "-"} | ${fmt(r.destroy)} | ${r.up?.calls ?? "-"} | ${perReseller !== undefined ? perReseller.toFixed(1) : "-"} | ${peak(mem)} |${r.detail ? ` ${r.detail}` : ""}`;
}

export async function benchTable(o: TableOptions): Promise<TableRow[]> {
    console.log(`\nthe issue-20 table: emulator ${o.latencyMs} ms per request; raw, one stack and one runner ${o.budget} requests in flight; one runner ${o.parallel} stacks at once; matrix ${o.matrixBudget} requests over its jobs`);
    const rows: TableRow[] = [];
    const raw = new Map<number, TableRow>();
    const header = "| N | layout | up s | ÷ raw (N) | ÷ raw (200) | preview s | preview calls | destroy s | up calls | calls/reseller | peak MiB per process (program / provider / engine) |\n|---|---|---|---|---|---|---|---|---|---|---|";
    console.error(header);
    for (const n of o.sizes) {
        const dir = fs.mkdtempSync(path.join(os.tmpdir(), `fleio-table-${n}-`));
        try {
            writeResellerFiles(dir, n);
            const add = (r: TableRow) => {
                rows.push(r);
                if (r.layout === "raw API") raw.set(n, r);
                console.error(printRow(r, raw));
            };
            add(await rawRow(n, dir, o));
            for (const r of await fleetRows(n, dir, o)) add(r);
            if (n <= o.singleMax) {
                const floor = await floorRound(n, n * 8, false);
                add({ n, layout: "engine floor (no-op provider)", up: floor.up, preview: floor.preview, destroy: floor.destroy });
                add(await stackRow(n, dir, o, false));
                add(await stackRow(n, dir, o, true));
            }
        } finally {
            fs.rmSync(dir, { recursive: true, force: true });
        }
    }
    console.log(header);
    for (const r of rows) console.log(printRow(r, raw));
    const r200 = raw.get(200)?.up?.s;
    if (r200) {
        const at = (n: number, prefix: string) => rows.find((r) => r.n === n && r.layout.startsWith(prefix));
        const m = at(200, "fleet matrix");
        const one = at(200, "fleet, one runner");
        console.log(`targets (÷ raw up for all 200, same run): matrix slowest job ${m?.up ? (m.up.s / r200).toFixed(2) : "-"}x (≤ 2x) · one runner ${one?.up ? (one.up.s / r200).toFixed(2) : "-"}x (≤ 6x)`);
    }
    const fleet = rows.filter((r) => r.layout.startsWith("fleet"));
    console.log(`calls per reseller (fleet up, worst job for the matrix): ${fleet.map((r) => `${r.n} ${r.layout.split(" (")[0]}: ${(r.callsPerReseller ?? r.up!.calls / r.n).toFixed(1)}`).join(" · ")} (≤ 11)`);
    console.log(`no-change preview calls: ${rows.filter((r) => r.preview && r.layout !== "engine floor (no-op provider)").map((r) => `${r.n} ${r.layout.split(" (")[0]}: ${r.preview!.calls}`).join(" · ")} (0 at every size)`);
    return rows;
}
