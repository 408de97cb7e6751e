/**
 * `npm run package-plugin`: the native plugin as a Pulumi plugin tarball,
 * pulumi-resource-fleio-v<version>-<os>-<arch>.tar.gz, for
 * `pulumi plugin install resource fleio <version> --file <tarball>`.
 *
 * The tarball holds one executable, pulumi-resource-fleio: the plugin and every module it
 * loads bundled by esbuild into a single Node 20 script, so the machine needs Node 20 and
 * nothing from npm. The script is the same on every OS and CPU (gRPC is pure JavaScript
 * in @grpc/grpc-js); the name carries the os-arch because that is how Pulumi names
 * plugin archives. Windows is not built: Pulumi runs a plugin there as an .exe or .cmd.
 *
 * Usage: node dist/scripts/package-plugin.js [--out <dir>] [--os linux|darwin] [--arch amd64|arm64]
 */
import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { buildSync } from "esbuild";
import { repoRoot } from "./engine";

const PLUGIN = "pulumi-resource-fleio";

/** Pulumi's names for the OS and the CPU (as in its own plugin archives). */
export function pulumiPlatform(platform: string = process.platform, arch: string = process.arch): { os: string; arch: string } {
    const archName = ({ x64: "amd64", arm64: "arm64" } as Record<string, string>)[arch] ?? arch;
    return { os: platform, arch: archName };
}

export function pluginTarballName(version: string, target: { os: string; arch: string }): string {
    return `${PLUGIN}-v${version}-${target.os}-${target.arch}.tar.gz`;
}

/** Builds the tarball into `outDir` and returns its path. Needs `npm run build` first (it bundles dist/). */
export function packagePlugin(o: { outDir: string; os?: string; arch?: string }): string {
    const version = (JSON.parse(fs.readFileSync(path.join(repoRoot, "package.json"), "utf8")) as { version: string }).version;
    const here = pulumiPlatform();
    const target = { os: o.os ?? here.os, arch: o.arch ?? here.arch };
    if (!["linux", "darwin"].includes(target.os)) throw new Error(`--os ${target.os}: only linux and darwin are built (Windows needs an .exe or .cmd launcher)`);
    const stage = fs.mkdtempSync(path.join(os.tmpdir(), "pulumi-fleio-plugin-"));
    try {
        const entry = path.join(repoRoot, "bin", PLUGIN);
        const out = path.join(stage, PLUGIN);
        const result = buildSync({
            entryPoints: [entry],
            bundle: true,
            platform: "node",
            target: "node20",
            format: "cjs",
            outfile: out,
            // bin/ is a script without an extension; its hashbang line is kept.
            loader: { "": "js" },
            legalComments: "none",
            logLevel: "silent",
            // A clear error on an older Node instead of a syntax error deep in a dependency.
            banner: {
                js: `"use strict";\nif (Number(process.versions.node.split(".")[0]) < 20) { process.stderr.write("${PLUGIN}: needs Node.js 20 or later on PATH (found " + process.version + ")\\n"); process.exit(1); }`,
            },
        });
        if (result.errors.length) throw new Error(`esbuild: ${result.errors.map((e) => e.text).join("; ")}`);
        fs.chmodSync(out, 0o755);
        fs.writeFileSync(
            path.join(stage, "README.md"),
            `# ${PLUGIN} ${version}\n\nThe Fleio resource plugin for Pulumi (pulumi-fleio ${version}), one Node.js script with everything it loads.\nIt needs Node.js 20 or later on PATH, and nothing else.\n\n    pulumi plugin install resource fleio ${version} --file ${pluginTarballName(version, target)}\n`,
        );
        fs.mkdirSync(o.outDir, { recursive: true });
        const tarball = path.join(o.outDir, pluginTarballName(version, target));
        // Fixed owner and mode, no directory prefix: the engine unpacks it into plugins/resource-fleio-v<version>/.
        execFileSync("tar", ["-czf", tarball, "--owner=0", "--group=0", "--numeric-owner", "-C", stage, PLUGIN, "README.md"]);
        return tarball;
    } finally {
        fs.rmSync(stage, { recursive: true, force: true });
    }
}

if (require.main === module) {
    const args = process.argv.slice(2);
    const flag = (name: string) => {
        const i = args.indexOf(name);
        return i >= 0 ? args[i + 1] : undefined;
    };
    try {
        const tarball = packagePlugin({ outDir: path.resolve(flag("--out") ?? path.join(repoRoot, "dist", "plugin")), os: flag("--os"), arch: flag("--arch") });
        const version = (JSON.parse(fs.readFileSync(path.join(repoRoot, "package.json"), "utf8")) as { version: string }).version;
        console.log(`${tarball} (${(fs.statSync(tarball).size / 1024 / 1024).toFixed(1)} MB)`);
        console.log(`install: pulumi plugin install resource fleio ${version} --file ${tarball}`);
    } catch (e) {
        console.error(`package-plugin: ${e instanceof Error ? e.message : String(e)}`);
        process.exit(1);
    }
}
