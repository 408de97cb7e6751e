/**
 * Benchmarks (`npm run bench`): speed and size are measured here, not asserted by
 * timed tests. Prints tables; nothing here fails on a number.
 *
 *   npm run bench                          10, 50 and 100 resellers
 *   npm run bench -- --sizes 10,50         choose N
 *   npm run bench -- --max 50              skip the sizes above 50
 *   npm run bench -- --table [50,200]      raw, floor, dynamic, native, fleet one runner, fleet matrix (slowest job alone)
 *   npm run bench -- --curve               up per reseller against stack size (the fleet's default shard count)
 *   npm run bench -- --fleet               the fleet runner at 200 resellers (scripts/bench/fleet.ts)
 *
 * Each size runs the same generated GitOps resellers (examples/gitops) twice on an
 * emulator that answers every request after --latency-ms: once straight through the
 * API with the fewest calls and the same requests in flight (the physical limit,
 * scripts/bench/raw.ts), once through the real engine. Ratios are engine ÷ raw.
 */
import { Command } from "commander";
import { providerText } from "../../sdk/provider-handle";
import { resources } from "../../provider/registry";
import { engineRound, EngineRound, Measured } from "./engine-round";
import { fleetBench } from "./fleet";
import { floorRound, FloorRound } from "./floor";
import { printCurve, stackSizeCurve } from "./curve";
import { benchTable } from "./table";
import { stateSize } from "./state-size";

/** What the engine should reach (design targets; the bench only reports them). */
const TARGETS = { upRatio: 5, callsPerReseller: 13, stateBytes: 2048, previewCalls: 0, flatness: 1.3 };

function providerTextSizes(): void {
    console.log("\nprovider text per resource kind (stored twice in every resource's state):");
    for (const kind of Object.keys(resources)) console.log(`  ${kind.padEnd(16)} ${providerText(kind).length} bytes`);
}

async function checkDiffThroughput(): Promise<void> {
    const rule = resources.PricingRule;
    const raw = { planId: "1", displayName: "x", resourceName: "instance", timeUnit: "hour", prices: [{ from: 0, price: "0.0100" }, { from: 100, price: 0.005 }], attribute: "vcpus", conditions: [{ attribute: "flavor", value: "m1" }] };
    const n = 20_000;
    const t0 = process.hrtime.bigint();
    for (let i = 0; i < n; i++) {
        const { inputs } = await rule.check!({}, raw);
        await rule.diff!("1", inputs, inputs);
    }
    const ms = Number(process.hrtime.bigint() - t0) / 1e6;
    console.log(`\ncheck()+diff() of a PricingRule: ${Math.round((n / ms) * 1000)} per second (${((ms / n) * 1000).toFixed(1)} µs each)`);
}

const col = (v: string | number, w: number) => String(v).padStart(w);
const ratio = (a: number, b: number) => (b > 0 ? `${(a / b).toFixed(1)}x` : "-");

function printRound(r: EngineRound): void {
    const rows: [string, Measured, Measured | undefined][] = [
        ["up", r.engine.up, r.raw.up],
        ["preview", r.engine.preview, undefined],
        ["refresh", r.engine.refresh, r.raw.refresh],
        ["update 1", r.engine.update, r.raw.update],
        ["destroy", r.engine.destroy, r.raw.destroy],
    ];
    console.log(`\nN=${r.n} resellers (${r.resources} resources, ${r.native ? "native plugin" : "dynamic provider"}), engine ÷ raw:`);
    console.log("  op        engine s   raw s   ratio   calls  raw calls  calls/reseller  program MiB  providers MiB  engine MiB");
    for (const [op, e, raw] of rows) {
        console.log(
            `  ${op.padEnd(8)} ${col(e.s.toFixed(2), 9)} ${col(raw ? raw.s.toFixed(2) : "-", 7)} ${col(raw ? ratio(e.s, raw.s) : "-", 7)} ${col(e.calls, 7)} ${col(raw ? raw.calls : 0, 10)} ${col((e.calls / r.n).toFixed(1), 15)} ${col(e.mem?.programMiB ?? "-", 12)} ${col(e.mem?.providersMiB ?? "-", 14)} ${col(e.mem?.engineMiB ?? "-", 11)}`,
        );
    }
    console.log(`  state: ${r.stateBytesPerResource} bytes per resource (${r.native ? "no provider text: the plugin is named by the provider reference" : `provider text ${r.providerTextBytes} bytes, stored twice`})`);
}

/** Each provider's time over the engine's own (a provider that does nothing, same stack shape). */
function printFloor(floor: FloorRound, rounds: EngineRound[]): void {
    const ops = ["up", "preview", "refresh", "destroy"] as const;
    console.log(`\nN=${rounds[0].n}: the engine floor (a no-op dynamic provider, so the dynamic host's own cost is in it; the same number of resources wired the same way), and each provider ÷ floor:`);
    console.log(`  ${"".padEnd(18)}${ops.map((o) => col(o, 10)).join("")}`);
    console.log(`  ${"floor s".padEnd(18)}${ops.map((o) => col(floor[o].s.toFixed(2), 10)).join("")}`);
    for (const r of rounds) console.log(`  ${(r.native ? "native ÷ floor" : "dynamic ÷ floor").padEnd(18)}${ops.map((o) => col(ratio(r.engine[o].s, floor[o].s), 10)).join("")}`);
}

function printSummary(rounds: EngineRound[]): void {
    if (rounds.length === 0) return;
    console.log("\nsummary against the targets:");
    console.log("  N     up ratio  calls/reseller  preview calls  state B/res  s/reseller (up)");
    for (const r of rounds) {
        console.log(
            `  ${String(r.n).padEnd(5)} ${col(ratio(r.engine.up.s, r.raw.up.s), 8)} ${col((r.engine.up.calls / r.n).toFixed(1), 15)} ${col(r.engine.preview.calls, 14)} ${col(r.stateBytesPerResource, 12)} ${col((r.engine.up.s / r.n).toFixed(3), 16)}`,
        );
    }
    const first = rounds[0];
    const last = rounds[rounds.length - 1];
    if (rounds.length > 1) {
        const flat = last.engine.up.s / last.n / (first.engine.up.s / first.n);
        console.log(`  per-reseller up time, N=${last.n} ÷ N=${first.n}: ${flat.toFixed(2)} (target ≤ ${TARGETS.flatness})`);
    }
    console.log(
        `  targets: up ≤ ${TARGETS.upRatio}x raw at 50 and 100 · ≤ ${TARGETS.callsPerReseller} calls per reseller · state ≤ ${TARGETS.stateBytes} B per resource · no-change preview ${TARGETS.previewCalls} calls`,
    );
}

async function main(): Promise<void> {
    const opts = new Command()
        .option("--sizes <list>", "reseller counts for the engine runs", "10,50,100")
        .option("--max <n>", "skip sizes above this")
        .option("--latency-ms <ms>", "emulator latency added to every request", "20")
        .option("--concurrency <n>", "requests in flight, raw and fleio:maxConcurrency", "8")
        .option("--fleet", "benchmark the fleet runner instead (one stack vs shards, file and S3 state)")
        .option("--fleet-size <n>", "resellers for --fleet", "200")
        .option("--shards <n>", "shards for --fleet", "8")
        .option("--parallel <n>", "stacks at once for --fleet", "4")
        .option("--no-s3", "with --fleet: skip the SeaweedFS state backend")
        .option("--no-single", "with --fleet: skip the one-stack rows")
        .option("--curve [sizes]", "up per reseller against stack size, dynamic and native (fleet/stack-size.ts)", false)
        .option("--table [sizes]", "the issue-20 table: raw, floor, dynamic, native, fleet one runner, fleet matrix slowest job (default 50,200)", false)
        .option("--state-size [n]", "bytes per Fleio resource in the state after up, dynamic and native (default 10 resellers)", false)
        .option("--single-max <n>", "with --table: the floor and one-stack rows only up to this size", "200")
        .option("--native", "run each size with the dynamic provider, then with the native plugin (bin/pulumi-resource-fleio), then the engine floor (a no-op provider, same stack shape)")
        .option("--skip-checkpoints", "let the engine write state once at the end instead of after every step (PULUMI_SKIP_CHECKPOINTS: faster, but a crash mid-run loses that run's record)")
        .parse()
        .opts<{ sizes: string; max?: string; latencyMs: string; concurrency: string; fleet?: boolean; curve: string | boolean; table: string | boolean; stateSize: string | boolean; singleMax: string; native?: boolean; fleetSize: string; shards: string; parallel: string; s3: boolean; single: boolean; skipCheckpoints?: boolean }>();
    // The Automation API passes this process's environment on to the engine.
    if (opts.skipCheckpoints) process.env.PULUMI_SKIP_CHECKPOINTS = "true";
    const latency = Number(opts.latencyMs);
    const concurrency = Number(opts.concurrency);
    if (opts.stateSize) {
        const n = typeof opts.stateSize === "string" ? Number(opts.stateSize) : 10;
        console.log(`\nstate per Fleio resource after up, ${n} resellers (JSON bytes of its checkpoint entry):`);
        for (const native of [false, true]) {
            const s = await stateSize(n, native);
            console.log(`  ${native ? "native " : "dynamic"} ${s.bytesPerResource} bytes per resource, of which ${s.stackTraceBytes} its recorded call stack; by kind ${JSON.stringify(s.byKind)}`);
        }
        return;
    }
    if (opts.table) {
        const sizes = (typeof opts.table === "string" ? opts.table : "50,200").split(",").map(Number);
        await benchTable({ sizes, singleMax: Number(opts.singleMax), latencyMs: latency, budget: concurrency, parallel: 2, matrixBudget: 16 });
        return;
    }
    if (opts.curve) {
        printCurve(await stackSizeCurve((typeof opts.curve === "string" ? opts.curve : "10,25,50,100").split(",").map(Number), latency, concurrency));
        return;
    }
    if (opts.fleet) {
        await fleetBench({ resellers: Number(opts.fleetSize), shards: Number(opts.shards), parallel: Number(opts.parallel), latencyMs: latency, budget: concurrency, s3: opts.s3, single: opts.single });
        return;
    }
    providerTextSizes();
    await checkDiffThroughput();
    const sizes = opts.sizes.split(",").map(Number).filter((n) => !opts.max || n <= Number(opts.max));
    console.log(`\nreal engine vs the raw API on the emulator (${latency} ms per request, ${concurrency} requests in flight${opts.skipCheckpoints ? ", PULUMI_SKIP_CHECKPOINTS" : ""})`);
    const rounds: EngineRound[] = [];
    for (const n of sizes) {
        const r = await engineRound(n, latency, concurrency);
        printRound(r);
        rounds.push(r);
        if (opts.native) {
            const native = await engineRound(n, latency, concurrency, true);
            printRound(native);
            printFloor(await floorRound(n, r.resources), [r, native]);
        }
    }
    printSummary(rounds);
}

main().catch((e) => {
    console.error(e instanceof Error ? e.stack ?? e.message : e);
    process.exitCode = 1;
});
