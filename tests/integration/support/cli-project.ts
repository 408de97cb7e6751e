import { execFile } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { repoRoot, stateArea } from "../../../scripts/engine";
import { ensurePulumiCli, ensurePulumiYaml } from "../../../scripts/pulumi-cli";

/**
 * A Pulumi project on disk driven by plain `pulumi` commands, as a user runs it: what
 * YAML programs and `pulumi import` need (the Automation API's inline programs cannot
 * run them). Commands run asynchronously, so an emulator in this process keeps answering.
 */
export class CliProject {
    readonly dir: string;
    private readonly env: NodeJS.ProcessEnv;

    /** `pulumiHome`: a PULUMI_HOME of the caller's (e.g. an empty one outside this checkout); default one per area. */
    constructor(area: string, pulumiYaml: string, opts: { pulumiHome?: string } = {}) {
        const cli = process.env.PULUMI_FLEIO_CLI_DIR ?? ensurePulumiCli();
        // run-tests.ts builds it before the timeouts start when the selection names it; else here (cached after once).
        const yaml = (process.env.PULUMI_FLEIO_YAML_DIR ??= ensurePulumiYaml());
        const state = stateArea(area);
        const backend = path.join(state, "backend");
        fs.rmSync(backend, { recursive: true, force: true });
        for (const d of [backend, path.join(state, "home")]) fs.mkdirSync(d, { recursive: true });
        this.dir = fs.mkdtempSync(path.join(os.tmpdir(), `${area}-`));
        this.write(pulumiYaml);
        this.env = {
            ...process.env,
            PATH: [yaml, cli, process.env.PATH ?? ""].join(path.delimiter),
            PULUMI_BACKEND_URL: `file://${backend}`,
            PULUMI_HOME: opts.pulumiHome ?? path.join(state, "home"),
            PULUMI_CONFIG_PASSPHRASE: "pulumi-fleio-local-state",
            PULUMI_SKIP_UPDATE_CHECK: "true",
            PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION: "true",
            // Credentials come from stack config only.
            FLEIO_URL: "",
            FLEIO_TOKEN: "",
        };
    }

    /** A project file with the plugin path pointing at this checkout's bin/. */
    write(pulumiYaml: string): void {
        fs.writeFileSync(path.join(this.dir, "Pulumi.yaml"), pulumiYaml.replace(/path: \S*bin\s*$/m, `path: ${path.join(repoRoot, "bin")}`));
    }

    /** Runs `pulumi <args>`; fails with the command's output unless `mayFail`; `env` adds to the project's. */
    pulumi(args: string[], mayFail = false, env: NodeJS.ProcessEnv = {}): Promise<{ code: number; out: string; stdout: string }> {
        return new Promise((resolve, reject) => {
            execFile("pulumi", [...args, "--non-interactive"], { cwd: this.dir, env: { ...this.env, ...env }, maxBuffer: 64 * 1024 * 1024 }, (err, stdout, stderr) => {
                const out = `${stdout}\n${stderr}`;
                const code = err ? (typeof err.code === "number" ? err.code : 1) : 0;
                if (code !== 0 && !mayFail) reject(new Error(`pulumi ${args.join(" ")} failed (${code}):\n${out}`));
                else resolve({ code, out, stdout });
            });
        });
    }

    /** A new stack of this project, pointed at a Fleio with its token kept as a secret. */
    async initStack(name: string, fleioUrl: string, token: string): Promise<void> {
        await this.pulumi(["stack", "init", name]);
        await this.pulumi(["config", "set", "fleio:url", fleioUrl]);
        await this.pulumi(["config", "set", "--secret", "fleio:token", token]);
    }

    async outputs(): Promise<Record<string, any>> {
        return JSON.parse((await this.pulumi(["stack", "output", "--json"])).stdout);
    }

    /** The stack's state file, as the file backend keeps it. */
    stateText(project: string, stack: string): string {
        return fs.readFileSync(path.join(this.env.PULUMI_BACKEND_URL!.slice("file://".length), ".pulumi", "stacks", project, `${stack}.json`), "utf8");
    }

    remove(): void {
        fs.rmSync(this.dir, { recursive: true, force: true });
    }
}
