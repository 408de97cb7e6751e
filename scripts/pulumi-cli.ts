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

/**
 * The directory of `pulumi-language-yaml` (for `runtime: yaml` programs such as
 * examples/yaml), built from the Go module proxy the first time and cached like the CLI.
 */
export function ensurePulumiYaml(): string {
    const known = process.env.PULUMI_FLEIO_YAML_DIR;
    return known && fs.existsSync(path.join(known, "pulumi-language-yaml")) ? known : lastLineOf("get-pulumi-yaml.sh");
}

function findCli(): string {
    return lastLineOf("get-pulumi.sh");
}

/** The get-*.sh scripts print the folder they found or built as their last line. */
function lastLineOf(script: string): string {
    return execFileSync("bash", [path.join(root, "scripts", script)], { stdio: ["ignore", "pipe", "inherit"], encoding: "utf8" })
        .trim()
        .split("\n")
        .pop()!;
}
