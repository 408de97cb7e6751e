import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import pLimit from "p-limit";
import { LocalWorkspace, PulumiCommand, Stack } from "@pulumi/pulumi/automation";
import { gitopsProgram, loadResellers } from "../sdk/gitops";
import { findPulumi } from "./pulumi-cli";
import { assignShards, shardNames } from "./shards";
import { BudgetPlan, splitBudget } from "./budget";
import { checkFleetUnique } from "./unique";
import { DOMAIN_HOLDERS_ENV } from "../provider/domain-holders";

export type FleetOperation = "preview" | "up" | "destroy";

export interface FleetOptions {
    operation: FleetOperation;
    /** Folder of GitOps reseller files (the GitOps data format, docs/gitops-format.md). */
    dataDir: string;
    /** Any Pulumi backend URL: file://<dir>, or s3://<bucket>?endpoint=…&s3ForcePathStyle=true&region=… */
    backendUrl: string;
    shards: number;
    /**
     * Only these shards' stacks (e.g. one CI job of a matrix per shard); default all. The
     * whole folder is still checked for clashes across files.
     */
    only?: string[];
    /** Stacks running at once. */
    parallel: number;
    /** Fleio requests in flight across the whole fleet (split across the stacks running at once). */
    budget: number;
    fleioUrl: string;
    /** Stored as a secret config value of every stack; never passed on a command line. */
    fleioToken: string;
    apiScope?: "staff" | "reseller";
    /** Encrypts the stacks' secrets (the token) in the backend. */
    passphrase: string;
    projectName?: string;
    /**
     * Project directory. It must sit inside a tree whose node_modules has
     * @pulumi/pulumi and pulumi-fleio: the dynamic provider resolves them from there.
     */
    workDir: string;
    /** PULUMI_HOME (plugins, credentials); default <workDir>/.pulumi-home. */
    pulumiHome?: string;
    /** The `pulumi` binary; default: the first `pulumi` on PATH. */
    pulumi?: string;
    /** Extra environment for the engine, e.g. AWS_ACCESS_KEY_ID for an S3 backend. */
    env?: Record<string, string>;
    /** Called as each stack starts and ends (the CLI prints it). */
    onEvent?: (e: { stack: string; event: "start" | "done" | "failed"; detail?: string }) => void;
}

export interface StackReport {
    stack: string;
    resellers: number;
    /** Resource changes by kind of step, as the engine counts them (same, create, update, delete, …). */
    changes: Record<string, number>;
    seconds: number;
    error?: string;
    skipped?: string;
}

export interface FleetReport {
    operation: FleetOperation;
    stacks: StackReport[];
    parallel: number;
    perStackConcurrency: number;
    seconds: number;
    ok: boolean;
}

/**
 * Runs preview, up or destroy over a fleet of stacks, one per shard of the resellers
 * (fleet/shards.ts), at most `parallel` at once, sharing one Fleio request budget
 * (fleet/budget.ts). A stack that fails does not stop the others; the report says
 * which failed and why. Each stack holds its own state and lock in the backend, so
 * two runs on disjoint stacks proceed side by side and two runs on the same stack
 * are kept apart by Pulumi's lock (the second is refused, not merged).
 */
export async function runFleet(o: FleetOptions): Promise<FleetReport> {
    const started = Date.now();
    const resellers = loadResellers(o.dataDir);
    if (o.operation !== "destroy") checkFleetUnique(resellers);
    const names = [...resellers.keys()];
    const shards = onlyShards(assignShards(names, shardNames(o.shards)), o.only);
    const plan = splitBudget(o.budget, o.parallel, shards.size);
    const projectName = o.projectName ?? "fleio-fleet";
    const { command: pulumiCommand, dir: cliDir } = await findPulumi(o.pulumi);
    const pulumiHome = o.pulumiHome ?? path.join(o.workDir, ".pulumi-home");
    fs.mkdirSync(pulumiHome, { recursive: true });
    const envVars: Record<string, string> = {
        ...o.env,
        PULUMI_BACKEND_URL: o.backendUrl,
        PULUMI_CONFIG_PASSPHRASE: o.passphrase,
        PULUMI_HOME: pulumiHome,
        PULUMI_SKIP_UPDATE_CHECK: "true",
        PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION: "true",
        PATH: `${cliDir}${path.delimiter}${process.env.PATH ?? ""}`,
        // Credentials come from each stack's config only: an outer FLEIO_* must not leak in.
        FLEIO_URL: "",
        FLEIO_TOKEN: "",
    };
    // The first stack that needs to know who holds which domain scans Fleio and leaves
    // the scan here for the others (provider/domain-holders.ts); gone when the run ends.
    const runDir = fs.mkdtempSync(path.join(os.tmpdir(), "fleio-fleet-run-"));
    envVars[DOMAIN_HOLDERS_ENV] = path.join(runDir, "domain-holders.json");
    try {
        return await runStacks({ o, shards, plan, projectName, pulumiCommand, envVars, started });
    } finally {
        fs.rmSync(runDir, { recursive: true, force: true });
    }
}

/** One fleet run, as runFleet prepared it. */
interface FleetRun {
    o: FleetOptions;
    /** stack name → its resellers' file names */
    shards: Map<string, string[]>;
    plan: BudgetPlan;
    projectName: string;
    pulumiCommand: PulumiCommand;
    envVars: Record<string, string>;
    started: number;
}

async function runStacks({ o, shards, plan, projectName, pulumiCommand, envVars, started }: FleetRun): Promise<FleetReport> {
    // A project directory per stack: the workspace rewrites Pulumi.yaml when it starts,
    // and stacks starting side by side must not read each other's half-written file.
    const workspace = (stackName: string, program: () => Promise<object>) => {
        const workDir = path.join(o.workDir, stackName);
        fs.mkdirSync(workDir, { recursive: true });
        return LocalWorkspace.createOrSelectStack(
            { stackName, projectName, program },
            { workDir, pulumiCommand, projectSettings: { name: projectName, runtime: "nodejs", backend: { url: o.backendUrl } }, envVars },
        );
    };
    const existing = await existingStacks(o, projectName, pulumiCommand, envVars);

    const limit = pLimit(plan.parallel);
    const reports = await Promise.all(
        [...shards].map(([stackName, members]) =>
            limit(async (): Promise<StackReport> => {
                const base = { stack: stackName, resellers: members.length, changes: {}, seconds: 0 };
                if (members.length === 0 && !existing.has(stackName)) return { ...base, skipped: "no resellers and no state" };
                const t0 = Date.now();
                o.onEvent?.({ stack: stackName, event: "start", detail: `${members.length} resellers` });
                try {
                    const only = new Set(members);
                    const stack = await workspace(stackName, async () => gitopsProgram(o.dataDir, only));
                    await configure(stack, o, plan.perStack);
                    const changes = await runOne(stack, o.operation);
                    const report = { ...base, changes, seconds: (Date.now() - t0) / 1000 };
                    o.onEvent?.({ stack: stackName, event: "done", detail: describeChanges(changes) });
                    return report;
                } catch (e) {
                    const error = firstLines(e instanceof Error ? e.message : String(e), o.fleioToken);
                    o.onEvent?.({ stack: stackName, event: "failed", detail: error });
                    return { ...base, seconds: (Date.now() - t0) / 1000, error };
                }
            }),
        ),
    );
    return { operation: o.operation, stacks: reports, parallel: plan.parallel, perStackConcurrency: plan.perStack, seconds: (Date.now() - started) / 1000, ok: reports.every((r) => !r.error) };
}

async function configure(stack: Stack, o: FleetOptions, perStack: number): Promise<void> {
    await stack.setAllConfig({
        "fleio:url": { value: o.fleioUrl },
        "fleio:token": { value: o.fleioToken, secret: true },
        "fleio:apiScope": { value: o.apiScope ?? "staff" },
        "fleio:maxConcurrency": { value: String(perStack) },
    });
}

async function runOne(stack: Stack, op: FleetOperation): Promise<Record<string, number>> {
    if (op === "preview") return { ...(await stack.preview()).changeSummary } as Record<string, number>;
    const result = op === "up" ? await stack.up() : await stack.destroy();
    return { ...(result.summary.resourceChanges ?? {}) } as Record<string, number>;
}

/** The fleet's stacks already in the backend (a shard left without resellers still has resources to remove). */
async function existingStacks(o: FleetOptions, projectName: string, pulumiCommand: PulumiCommand, envVars: Record<string, string>): Promise<Set<string>> {
    const ws = await LocalWorkspace.create({ workDir: o.workDir, pulumiCommand, projectSettings: { name: projectName, runtime: "nodejs", backend: { url: o.backendUrl } }, envVars });
    return new Set((await ws.listStacks()).map((s) => s.name.split("/").pop()!));
}

/** The shards asked for, or an error naming the ones that do not exist. */
function onlyShards(all: Map<string, string[]>, only: string[] | undefined): Map<string, string[]> {
    if (!only?.length) return all;
    const unknown = only.filter((n) => !all.has(n));
    if (unknown.length) throw new Error(`no shard ${unknown.join(", ")} among ${all.size} shards (${[...all.keys()].join(", ")}); --shard takes a name of --shards' list`);
    return new Map([...all].filter(([n]) => only.includes(n)));
}

export function describeChanges(changes: Record<string, number>): string {
    const parts = Object.entries(changes).filter(([, n]) => n > 0).map(([k, n]) => `${k} ${n}`);
    return parts.length ? parts.join(", ") : "no resources";
}

/** An engine error is long (the whole CLI output); the summary keeps its gist, never the token. */
function firstLines(message: string, token: string): string {
    const lines = message.split("\n").map((l) => l.trim()).filter((l) => l && !/^(code|stdout|stderr|err\?):?\s*$/i.test(l));
    const gist = lines.filter((l) => /error|locked|failed|refused/i.test(l)).slice(0, 3);
    return (gist.length ? gist : lines.slice(0, 3)).join(" | ").split(token).join("[redacted]").slice(0, 500);
}
