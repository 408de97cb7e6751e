import { execFileSync } from "node:child_process";
import * as path from "node:path";

const root = path.resolve(__dirname, "../..");

/**
 * The directory of a usable `pulumi` CLI (v3.248.0 or newer), built from Pulumi's Go
 * modules the first time and cached under ~/.cache/pulumi-fleio; the build's progress
 * streams to this process's stderr. Also puts that directory first on PATH, so the
 * dynamic-provider shim beside the binary is found.
 */
export function ensurePulumiCli(): string {
    const dir = execFileSync("bash", [path.join(root, "scripts", "get-pulumi.sh")], { stdio: ["ignore", "pipe", "inherit"], encoding: "utf8" })
        .trim()
        .split("\n")
        .pop()!;
    if (!(process.env.PATH ?? "").split(path.delimiter).includes(dir)) process.env.PATH = `${dir}${path.delimiter}${process.env.PATH ?? ""}`;
    return dir;
}

/**
 * The directory of `pulumi-language-yaml` (for `runtime: yaml` programs such as
 * examples/yaml), built from the Go module proxy the first time and cached like the CLI.
 */
export function ensurePulumiYaml(): string {
    return execFileSync("bash", [path.join(root, "scripts", "get-pulumi-yaml.sh")], { stdio: ["ignore", "pipe", "inherit"], encoding: "utf8" })
        .trim()
        .split("\n")
        .pop()!;
}
