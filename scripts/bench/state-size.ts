import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { startEmulator } from "../../emulator";
import { gitopsProgram } from "../../sdk/gitops";
import { engineStack, stateArea } from "../engine";
import { writeResellerFiles } from "./data";

export interface StateSize {
    native: boolean;
    /** Average bytes of a Fleio resource's entry in the checkpoint (JSON, as the engine stores it). */
    bytesPerResource: number;
    /** Of which its recorded call stack. */
    stackTraceBytes: number;
    byKind: Record<string, number>;
}

/** One stack of `n` resellers: what each Fleio resource's state entry weighs after `up`. */
export async function stateSize(n: number, native: boolean): Promise<StateSize> {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), `fleio-state-size-`));
    const em = await startEmulator({ seed: n });
    try {
        writeResellerFiles(dir, n);
        const projectName = `state-size-${n}${native ? "-native" : ""}`;
        const stack = await engineStack(async () => gitopsProgram(dir), { area: "bench", projectName, fleioUrl: em.url, fleioToken: em.staffToken, fresh: true, native });
        await stack.up();
        const file = path.join(stateArea("bench"), "backend", ".pulumi", "stacks", projectName, "dev.json");
        const resources = (JSON.parse(fs.readFileSync(file, "utf8")) as { checkpoint: { latest: { resources: Record<string, unknown>[] } } }).checkpoint.latest.resources;
        const fleio = resources.filter((r) => /^(pulumi-nodejs:dynamic\/fleio:|fleio:index:)/.test(String(r.type)) && r.type !== "fleio:index:ResellerOnboarding");
        const size = (v: unknown) => JSON.stringify(v ?? null).length;
        const byKind: Record<string, number> = {};
        for (const r of fleio) byKind[String(r.type).split(":").pop()!] = size(r);
        await stack.destroy();
        return {
            native,
            bytesPerResource: Math.round(fleio.reduce((a, r) => a + size(r), 0) / fleio.length),
            stackTraceBytes: Math.round(fleio.reduce((a, r) => a + (r.stackTrace ? size(r.stackTrace) : 0), 0) / fleio.length),
            byKind,
        };
    } finally {
        await em.close();
        fs.rmSync(dir, { recursive: true, force: true });
    }
}
