import * as fs from "node:fs";
import * as path from "node:path";
import { stateArea } from "../../../scripts/engine";
import type { RunningEmulator } from "../../../emulator";
import type { FleetOptions } from "../../../fleet";

export const FLEET_PASSPHRASE = "fleet-test-passphrase";

/** A clean area (scripts/engine.ts stateArea: inside the repo, so the provider resolves its modules). */
export function freshArea(area: string): { root: string; data: string; projects: string; fileBackend: string } {
    const root = stateArea(area);
    fs.rmSync(root, { recursive: true, force: true });
    const dirs = { root, data: path.join(root, "resellers"), projects: path.join(root, "projects"), fileBackend: path.join(root, "backend") };
    for (const d of Object.values(dirs)) fs.mkdirSync(d, { recursive: true });
    return dirs;
}

export function fleetOptions(em: RunningEmulator, dirs: { data: string; projects: string }, over: Partial<FleetOptions> & Pick<FleetOptions, "operation" | "backendUrl">): FleetOptions {
    return { dataDir: dirs.data, shards: 3, parallel: 2, budget: 4, fleioUrl: em.url, fleioToken: em.staffToken, passphrase: FLEET_PASSPHRASE, workDir: dirs.projects, ...over };
}

/** Every file under a folder, as text (to prove the token is nowhere in clear). */
export function allText(dir: string): string {
    if (!fs.existsSync(dir)) return "";
    return (fs.readdirSync(dir, { recursive: true }) as string[])
        .map((f) => path.join(dir, f))
        .filter((f) => fs.statSync(f).isFile())
        .map((f) => fs.readFileSync(f, "utf8"))
        .join("\n");
}
