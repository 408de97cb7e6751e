import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { startEmulator } from "../../emulator";
import { gitopsProgram } from "../../sdk/gitops";
import { CurvePoint, stackSizeFromCurve, STACK_SIZE_CURVE } from "../../fleet/stack-size";
import { engineStack } from "../engine";
import { writeResellerFiles } from "./data";
import { measure } from "./engine-round";

export interface CurveRow extends CurvePoint {
    native: boolean;
    upSeconds: number;
    destroySeconds: number;
}

/**
 * `up` per reseller against stack size: one stack of each size, dynamic provider and
 * native plugin, each on a fresh emulator, then destroyed. What fleet/stack-size.ts's
 * STACK_SIZE_CURVE holds.
 */
export async function stackSizeCurve(sizes: number[], latencyMs: number, concurrency: number): Promise<CurveRow[]> {
    const rows: CurveRow[] = [];
    for (const native of [false, true]) {
        for (const size of sizes) {
            const dir = fs.mkdtempSync(path.join(os.tmpdir(), `fleio-curve-${size}-`));
            const em = await startEmulator({ seed: size, deleteDelayMs: 50, faults: { latencyMs } });
            try {
                writeResellerFiles(dir, size);
                const stack = await engineStack(async () => gitopsProgram(dir), { area: "bench", projectName: `curve-${size}${native ? "-native" : ""}`, fleioUrl: em.url, fleioToken: em.staffToken, fresh: true, native });
                await stack.setConfig("fleio:maxConcurrency", { value: String(concurrency) });
                const up = await measure(em, () => stack.up());
                const destroy = await measure(em, () => stack.destroy());
                const row = { native, size, upSeconds: up.s, destroySeconds: destroy.s, upSecondsPerReseller: up.s / size };
                console.error(`[curve] ${native ? "native" : "dynamic"} ${size}: up ${up.s.toFixed(1)} s (${row.upSecondsPerReseller.toFixed(3)} s/reseller), destroy ${destroy.s.toFixed(1)} s`);
                rows.push(row);
            } finally {
                await em.close();
                fs.rmSync(dir, { recursive: true, force: true });
            }
        }
    }
    return rows;
}

export function printCurve(rows: CurveRow[]): void {
    console.log("\n`up` per reseller against stack size (one stack, fresh Fleio):");
    console.log("| resellers per stack | dynamic up s | dynamic s/reseller | native up s | native s/reseller |\n|---|---|---|---|---|");
    for (const size of [...new Set(rows.map((r) => r.size))]) {
        const d = rows.find((r) => r.size === size && !r.native);
        const n = rows.find((r) => r.size === size && r.native);
        const cell = (r?: CurveRow) => (r ? `${r.upSeconds.toFixed(1)} | ${r.upSecondsPerReseller.toFixed(3)}` : "- | -");
        console.log(`| ${size} | ${cell(d)} | ${cell(n)} |`);
    }
    const dynamic = rows.filter((r) => !r.native).map(({ size, upSecondsPerReseller }) => ({ size, upSecondsPerReseller: Number(upSecondsPerReseller.toFixed(3)) }));
    if (dynamic.length) {
        console.log(`rule: the largest stack size within 10% of the cheapest per reseller (dynamic, the fleet's provider): ${stackSizeFromCurve(dynamic)} resellers per stack`);
        console.log(`this run as fleet/stack-size.ts's STACK_SIZE_CURVE: ${JSON.stringify(dynamic)}`);
    }
    if (STACK_SIZE_CURVE.length) console.log(`the fleet's default now: ${stackSizeFromCurve(STACK_SIZE_CURVE)} resellers per stack (STACK_SIZE_CURVE ${JSON.stringify(STACK_SIZE_CURVE)})`);
}
