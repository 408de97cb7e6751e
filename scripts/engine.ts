import * as fs from "node:fs";
import * as path from "node:path";
import { LocalWorkspace, PulumiCommand, PulumiFn, Stack } from "@pulumi/pulumi/automation";
import { ensurePulumiCli } from "./pulumi-cli";

export const repoRoot = path.resolve(__dirname, "../..");

export interface EngineOptions {
    /** Groups state on disk: .state/<area>/ holds the file backend, PULUMI_HOME and projects. */
    area: string;
    projectName: string;
    stackName?: string;
    fleioUrl: string;
    fleioToken: string;
    apiScope?: "staff" | "reseller";
    /** Start from empty state (the default for tests; the demo keeps its state). */
    fresh?: boolean;
    /** Where the project lives; default .state/<area>/projects/<projectName> inside this repo. */
    workDir?: string;
    /** Set fleio:token as plain config instead of a secret (only to show it is refused). */
    plainToken?: boolean;
    /** Serve the resources with the native plugin (bin/pulumi-resource-fleio): names it in the project and sets fleio:native. */
    native?: boolean;
}

/**
 * Where an area's backend, PULUMI_HOME and projects live: .state/<area>, or under
 * PULUMI_FLEIO_STATE_DIR, which the test runner sets to a folder of each test file's
 * own, so files running side by side never share a backend, a lock or a project.
 */
export const stateArea = (area: string) => path.join(process.env.PULUMI_FLEIO_STATE_DIR || path.join(repoRoot, ".state"), area);

/** A stack's outputs as plain values (the Automation API wraps each as {value, secret}). */
export function outputValues(outputs: Record<string, { value: unknown }>): Record<string, any> {
    return Object.fromEntries(Object.entries(outputs).map(([k, v]) => [k, v.value]));
}

/** One PulumiCommand per CLI and process: PulumiCommand.get runs `pulumi version` each time. */
const commands = new Map<string, Promise<PulumiCommand>>();
function pulumiCommandIn(cliDir: string): Promise<PulumiCommand> {
    let c = commands.get(cliDir);
    if (!c) commands.set(cliDir, (c = PulumiCommand.get({ root: path.dirname(cliDir) })));
    c.catch(() => commands.delete(cliDir));
    return c;
}

/** Local passphrase for the file backend's secrets; the state never leaves this machine. */
const PASSPHRASE = "pulumi-fleio-local-state";

/** The environment an engine run gets: a file backend, its own PULUMI_HOME, no plugin downloads, no outer FLEIO_*. */
export function engineEnvVars(o: { backend: string; home: string; cliDir: string }): Record<string, string> {
    return {
        PULUMI_BACKEND_URL: `file://${o.backend}`,
        PULUMI_CONFIG_PASSPHRASE: PASSPHRASE,
        PULUMI_HOME: o.home,
        PULUMI_SKIP_UPDATE_CHECK: "true",
        PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION: "true",
        PULUMI_FLEIO_NODE_MODULES: path.join(repoRoot, "node_modules"),
        PATH: `${o.cliDir}${path.delimiter}${process.env.PATH ?? ""}`,
        // Credentials come from stack config only: an outer FLEIO_* must not leak in.
        FLEIO_URL: "",
        FLEIO_TOKEN: "",
    };
}

/**
 * A stack for an inline program, run by the real Pulumi engine with a local file
 * backend: no login, no network. The project directory must be inside a tree whose
 * node_modules has @pulumi/pulumi and pulumi-fleio, because the dynamic provider
 * process resolves both from its working directory.
 */
export async function engineStack(program: PulumiFn, o: EngineOptions): Promise<Stack> {
    const cliDir = ensurePulumiCli();
    const area = stateArea(o.area);
    const workDir = o.workDir ?? path.join(area, "projects", o.projectName);
    const backend = path.join(area, "backend");
    if (o.fresh) {
        // Starting over also drops the lock an interrupted earlier run left behind.
        for (const dir of ["stacks", "locks/organization", "history"]) fs.rmSync(path.join(backend, ".pulumi", dir, o.projectName), { recursive: true, force: true });
        // And the stack's old config file: a key an earlier run set (fleio:native) must not carry over.
        fs.rmSync(path.join(workDir, `Pulumi.${o.stackName ?? "dev"}.yaml`), { force: true });
    }
    for (const d of [workDir, backend, path.join(area, "home")]) fs.mkdirSync(d, { recursive: true });

    const pulumiCommand = await pulumiCommandIn(cliDir);
    const stack = await LocalWorkspace.createOrSelectStack(
        { stackName: o.stackName ?? "dev", projectName: o.projectName, program },
        {
            workDir,
            pulumiCommand,
            projectSettings: {
                name: o.projectName,
                runtime: "nodejs",
                backend: { url: `file://${backend}` },
                // Not in the Automation API's type, but written to Pulumi.yaml as given.
                ...(o.native ? { plugins: { providers: [{ name: "fleio", path: path.join(repoRoot, "bin") }] } } : {}),
            } as { name: string; runtime: "nodejs" },
            envVars: engineEnvVars({ backend, home: path.join(area, "home"), cliDir }),
        },
    );
    await stack.setAllConfig({
        "fleio:url": { value: o.fleioUrl },
        "fleio:token": { value: o.fleioToken, secret: !o.plainToken },
        "fleio:apiScope": { value: o.apiScope ?? "staff" },
        ...(o.native ? { "fleio:native": { value: "true" } } : {}),
    });
    return stack;
}
