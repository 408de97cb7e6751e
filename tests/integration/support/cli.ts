import { execFile } from "node:child_process";
import * as path from "node:path";
import { repoRoot } from "../../../scripts/engine";

const cli = path.join(repoRoot, "dist", "cli", "index.js");

/** `pulumi-fleio <args>` as an operator runs it (asynchronous: the emulator answers from this process). */
export function pulumiFleio(args: string[], env: Record<string, string>, cwd = repoRoot): Promise<{ code: number; stdout: string; stderr: string }> {
    return new Promise((resolve) => {
        execFile(process.execPath, [cli, ...args], { cwd, env: { PATH: process.env.PATH ?? "", HOME: process.env.HOME ?? "", ...env }, timeout: 600_000, maxBuffer: 64 << 20 }, (err, stdout, stderr) => {
            const code = err ? (typeof (err as { code?: unknown }).code === "number" ? (err as { code: number }).code : 1) : 0;
            resolve({ code, stdout, stderr });
        });
    });
}
