import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";

const root = path.resolve(__dirname, "../..");

/**
 * The directory of a usable `pulumi` CLI (v3.248.0 or newer), built from Pulumi's Go
 * modules the first time and cached under ~/.cache/pulumi-fleio; the build's progress
 * streams to this process's stderr. Also puts that directory first on PATH, so the
 * dynamic-provider shim beside the binary is found.
 */
export function ensurePulumiCli(): string {
    // The test runner found it once for all its workers: no script and `pulumi version` per stack.
    const known = process.env.PULUMI_FLEIO_CLI_DIR;
    const dir = known && fs.existsSync(path.join(known, "pulumi")) ? known : findCli();
    if (!(process.env.PATH ?? "").split(path.delimiter).includes(dir)) process.env.PATH = `${dir}${path.delimiter}${process.env.PATH ?? ""}`;
    return dir;
}

function findCli(): string {
    return execFileSync("bash", [path.join(root, "scripts", "get-pulumi.sh")], { stdio: ["ignore", "pipe", "inherit"], encoding: "utf8" })
        .trim()
        .split("\n")
        .pop()!;
}
