import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { stringify } from "yaml";
import { startEmulator, RunningEmulator } from "../../emulator";
import { engineStack, repoRoot } from "../engine";
import { gitopsProgram, loadResellers } from "../../sdk/gitops";
import { resellerData, writeResellerFiles } from "./data";
import { rawClient, rawDestroy, rawRefresh, rawUp } from "./raw";
import { MemoryPeaks, sampleMemory } from "./memory";

/** One measured operation: wall time, Fleio calls, and memory peaks while it ran. */
export interface Measured {
    s: number;
    calls: number;
    mem?: MemoryPeaks;
}

export interface EngineRound {
    n: number;
    resources: number;
    raw: { up: Measured; refresh: Measured; update: Measured; destroy: Measured };
    engine: { up: Measured; preview: Measured; refresh: Measured; update: Measured; destroy: Measured };
    stateBytesPerResource: number;
    providerTextBytes: number;
    /** Served by the native plugin (bin/pulumi-resource-fleio) instead of the dynamic provider. */
    native?: boolean;
}

export async function emulatorCalls(em: RunningEmulator): Promise<number> {
    return ((await (await fetch(`${em.url}/__emulator/stats`)).json()) as { total: number }).total;
}

export async function measure<T>(em: RunningEmulator, run: () => Promise<T>, memory = false): Promise<Measured & { result: T }> {
    const c0 = await emulatorCalls(em);
    const sampler = memory ? sampleMemory() : undefined;
    const t0 = process.hrtime.bigint();
    const result = await run();
    const s = Number(process.hrtime.bigint() - t0) / 1e9;
    return { result, s, calls: (await emulatorCalls(em)) - c0, mem: sampler?.stop() };
}

/** The same N resellers, first straight through the API (the limit), then through the engine. */
export async function engineRound(n: number, latencyMs: number, concurrency: number, native = false): Promise<EngineRound> {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), `fleio-bench-${n}-`));
    try {
        writeResellerFiles(dir, n);
        const data = [...loadResellers(dir).values()];

        const rawEm = await startEmulator({ seed: n, deleteDelayMs: 50, faults: { latencyMs } });
        let raw: EngineRound["raw"];
        try {
            const api = rawClient(rawEm.url, rawEm.staffToken, concurrency);
            const up = await measure(rawEm, () => rawUp(api, data));
            const refresh = await measure(rawEm, () => rawRefresh(api, up.result.made));
            const rule = up.result.made[0].ruleIds[0];
            const update = await measure(rawEm, () => api.patch(`openstack/billing/pricerule/${rule}`, { display_name: "m1.small per hour (new)" }));
            const destroy = await measure(rawEm, () => rawDestroy(api, up.result.shared, up.result.made));
            raw = { up, refresh, update, destroy };
        } finally {
            await rawEm.close();
        }

        const em = await startEmulator({ seed: n, deleteDelayMs: 50, faults: { latencyMs } });
        try {
            const projectName = `bench-${n}${native ? "-native" : ""}`;
            const stack = await engineStack(async () => gitopsProgram(dir), { area: "bench", projectName, fleioUrl: em.url, fleioToken: em.staffToken, fresh: true, native });
            await stack.setConfig("fleio:maxConcurrency", { value: String(concurrency) });
            const up = await measure(em, () => stack.up(), true);
            const statePath = path.join(repoRoot, ".state", "bench", "backend", ".pulumi", "stacks", projectName, "dev.json");
            const state = JSON.parse(fs.readFileSync(statePath, "utf8")) as { checkpoint: { latest: { resources: { type: string; inputs?: { __provider?: string } }[] } } };
            const fleioResources = state.checkpoint.latest.resources.filter((r) => r.type.startsWith("pulumi-nodejs:dynamic/fleio:") || r.type.startsWith("fleio:index:"));
            const stateBytesPerResource = Math.round(fleioResources.reduce((a, r) => a + JSON.stringify(r).length, 0) / fleioResources.length);
            const providerTextBytes = Math.max(...fleioResources.map((r) => r.inputs?.__provider?.length ?? 0));
            const preview = await measure(em, () => stack.preview(), true);
            const refresh = await measure(em, () => stack.refresh(), true);
            fs.writeFileSync(path.join(dir, "reseller-0000.yaml"), stringify({ ...resellerData(0), pricing: resellerData(0).pricing!.map((p, i) => (i === 0 ? { ...p, displayName: "m1.small per hour (new)" } : p)) }));
            const update = await measure(em, () => stack.up(), true);
            const destroy = await measure(em, () => stack.destroy(), true);
            return { n, resources: fleioResources.length, raw, engine: { up, preview, refresh, update, destroy }, stateBytesPerResource, providerTextBytes, native };
        } finally {
            await em.close();
        }
    } finally {
        fs.rmSync(dir, { recursive: true, force: true });
    }
}
