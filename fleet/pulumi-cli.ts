import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { PulumiCommand } from "@pulumi/pulumi/automation";

/**
 * The `pulumi` CLI a fleet runs: the one given (`--pulumi <path>`), else the first
 * `pulumi` on PATH. Its folder goes first on the stacks' PATH, so the nodejs language
 * host and dynamic-provider shim installed beside it are the ones found.
 */
export async function findPulumi(given?: string): Promise<{ command: PulumiCommand; dir: string }> {
    const binary = given ? path.resolve(given) : onPath("pulumi");
    if (!binary) throw new Error("no `pulumi` CLI on PATH: install it (https://www.pulumi.com/docs/install/) or pass --pulumi <path to the pulumi binary>");
    if (!isExecutable(binary)) throw new Error(`--pulumi ${given}: not an executable file`);
    const real = fs.realpathSync(binary);
    // PulumiCommand runs <root>/bin/pulumi: give it a root whose bin/pulumi is this binary.
    let root = path.dirname(path.dirname(real));
    if (path.basename(path.dirname(real)) !== "bin" || path.basename(real) !== "pulumi") {
        root = fs.mkdtempSync(path.join(os.tmpdir(), "pulumi-fleio-cli-"));
        fs.mkdirSync(path.join(root, "bin"));
        fs.symlinkSync(real, path.join(root, "bin", "pulumi"));
    }
    return { command: await PulumiCommand.get({ root }), dir: path.dirname(real) };
}

function onPath(name: string): string | undefined {
    for (const dir of (process.env.PATH ?? "").split(path.delimiter)) {
        if (!dir) continue;
        const candidate = path.join(dir, name);
        if (isExecutable(candidate)) return candidate;
    }
    return undefined;
}

function isExecutable(file: string): boolean {
    try {
        fs.accessSync(file, fs.constants.X_OK);
        return fs.statSync(file).isFile();
    } catch {
        return false;
    }
}
