import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { execFile } from "node:child_process";
import { promisify } from "node:util";
import pLimit from "p-limit";
import { LocalWorkspace, PulumiCommand, Stack } from "@pulumi/pulumi/automation";
import { gitopsProgram, loadResellers } from "../sdk/gitops";
import { findPulumi } from "./pulumi-cli";
import { assignShards, shardLookup, shardNames } from "./shards";
import { fleetShards } from "./stack-size";
import { BudgetPlan, splitBudget } from "./budget";
import { checkFleetUnique } from "./unique";
import { describeMove, Move, MovePlan, planMoves, resellersInState, StateReseller } from "./moves";
import { stackWaits } from "./order";
import { DOMAIN_HOLDERS_ENV, forgetSharedScan } from "../provider/domain-holders";

const execFileAsync = promisify(execFile);

export type FleetOperation = "preview" | "up" | "destroy";

export interface FleetOptions {
    operation: FleetOperation;
    /** Folder of GitOps reseller files (the GitOps data format, docs/gitops-format.md). */
    dataDir: string;
    /** Any Pulumi backend URL: file://<dir>, or s3://<bucket>?endpoint=…&s3ForcePathStyle=true&region=… */
    backendUrl: string;
    /** Stacks the resellers are spread over; default: from the measured stack-size curve (fleet/stack-size.ts). */
    shards?: number;
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
    /**
     * One scan of who holds which domain for a whole pipeline run (provider/domain-holders.ts):
     * a file the run's jobs share (a shared folder, or handed from job to job). The first
     * stack that needs the holders scans Fleio and leaves them there; every later stack of
     * any job takes them. Default: a file of this run only.
     */
    domainHolders?: string;
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
    /** Something the operator should know about a stack that did not fail (e.g. it was applied by another run). */
    note?: string;
}

export interface FleetReport {
    operation: FleetOperation;
    stacks: StackReport[];
    parallel: number;
    perStackConcurrency: number;
    seconds: number;
    ok: boolean;
    /** Resellers carried to another stack (`up`: done before the stacks ran; `preview`: what `up` will do). */
    moves: string[];
    /** Stacks that ran after others, because they take a domain the others let go of. */
    waits: string[];
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
    const assigned = assignShards(names, shardNames(fleetShards(names.length, o.shards)));
    const shards = onlyShards(assigned, o.only);
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
    envVars[DOMAIN_HOLDERS_ENV] = o.domainHolders ? path.resolve(o.domainHolders) : path.join(runDir, "domain-holders.json");
    try {
        return await runStacks({ o, resellers, shards, shardOf: shardLookup(assigned), plan, projectName, pulumiCommand, cliDir, envVars, scanFile: envVars[DOMAIN_HOLDERS_ENV], started });
    } finally {
        fs.rmSync(runDir, { recursive: true, force: true });
    }
}

/** One fleet run, as runFleet prepared it. */
interface FleetRun {
    o: FleetOptions;
    resellers: ReturnType<typeof loadResellers>;
    /** stack name → its resellers' file names */
    shards: Map<string, string[]>;
    shardOf: (name: string) => string;
    plan: BudgetPlan;
    projectName: string;
    pulumiCommand: PulumiCommand;
    cliDir: string;
    envVars: Record<string, string>;
    /** This run's shared scan of who holds which domain (provider/domain-holders.ts). */
    scanFile: string;
    started: number;
}

async function runStacks(run: FleetRun): Promise<FleetReport> {
    const { o, shards, plan, projectName, pulumiCommand, envVars, started } = run;
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
    const ws = await LocalWorkspace.create({ workDir: o.workDir, pulumiCommand, projectSettings: { name: projectName, runtime: "nodejs", backend: { url: o.backendUrl } }, envVars });
    const existing = new Map((await ws.listStacks()).map((s) => [s.name.split("/").pop()!, s.name]));

    // Where each reseller is now (the stacks' state) against where the data puts it.
    let layout: Layout = { members: shards, aliases: new Map(), moves: [], waits: new Map() };
    if (o.operation !== "destroy") {
        const inState = (await Promise.all([...existing].map(async ([name, full]) => resellersInState(name, (await ws.exportStack(full)).deployment)))).flat();
        const moves = planMoves(inState, run.resellers, run.shardOf);
        const waits = stackWaits(inState, moves, run.resellers, run.shardOf);
        if (o.operation === "up") await moveState(run, moves.moves, workspace, existing);
        layout = { ...arrange(shards, moves, o.operation), waits };
    }

    const limit = pLimit(plan.parallel);
    const running = new Map<string, Promise<StackReport>>();
    const start = (stackName: string): Promise<StackReport> => {
        if (!running.has(stackName)) running.set(stackName, runAfterWaits(stackName));
        return running.get(stackName)!;
    };
    const runAfterWaits = async (stackName: string): Promise<StackReport> => {
        const members = layout.members.get(stackName) ?? [];
        const base = { stack: stackName, resellers: members.length, changes: {}, seconds: 0 };
        const waitFor = [...(layout.waits.get(stackName) ?? [])];
        const before = await Promise.all(waitFor.map(start));
        const failed = before.filter((r) => r.error || r.skipped?.startsWith("waits"));
        if (failed.length && o.operation === "up") return { ...base, skipped: `waits for ${failed.map((r) => r.stack).join(", ")} (which did not apply) to let go of a domain it takes` };
        // The run's scan of who holds which domain was taken before those stacks let go of theirs.
        if (waitFor.length && o.operation === "up") await forgetSharedScan(run.scanFile);
        return limit(() => runStack(stackName, members, base));
    };
    const runStack = async (stackName: string, members: string[], base: StackReport): Promise<StackReport> => {
        if (members.length === 0 && !existing.has(stackName)) return { ...base, skipped: "no resellers and no state" };
        const t0 = Date.now();
        o.onEvent?.({ stack: stackName, event: "start", detail: `${members.length} resellers` });
        try {
            const only = new Set(members);
            const renamed = layout.aliases.get(stackName);
            const stack = await workspace(stackName, async () => gitopsProgram(o.dataDir, only, renamed));
            await configure(stack, o, plan.perStack);
            const changes = await lockRetried(() => runOne(stack, o.operation));
            const note = o.operation === "up" && !changed(changes) ? await appliedElsewhere(stack, started) : undefined;
            const report = { ...base, changes, seconds: (Date.now() - t0) / 1000, note };
            o.onEvent?.({ stack: stackName, event: "done", detail: describeChanges(changes) + (note ? ` (${note})` : "") });
            return report;
        } catch (e) {
            const error = errorGist(e instanceof Error ? e.message : String(e), o.fleioToken);
            o.onEvent?.({ stack: stackName, event: "failed", detail: error });
            return { ...base, seconds: (Date.now() - t0) / 1000, error };
        }
    };
    const reports = await Promise.all(stacksToRun(shards, existing, o).map(start));
    return {
        operation: o.operation,
        stacks: reports,
        parallel: plan.parallel,
        perStackConcurrency: plan.perStack,
        seconds: (Date.now() - started) / 1000,
        ok: reports.every((r) => !r.error && !r.skipped?.startsWith("waits")),
        moves: layout.moves.map(describeMove),
        waits: [...layout.waits].map(([s, on]) => `${s} after ${[...on].join(", ")}`),
    };
}

/** Which resellers each stack runs, under which names, after which stacks. */
interface Layout {
    members: Map<string, string[]>;
    aliases: Map<string, Map<string, string>>;
    moves: Move[];
    waits: Map<string, Set<string>>;
}

/**
 * The resellers each stack runs. After `up`'s moves every reseller is in the stack its
 * name shards to. A preview changes no state, so it shows each moving reseller where its
 * state still is (under its new name, aliased to the old): the changes `up` will make.
 */
function arrange(shards: Map<string, string[]>, plan: MovePlan, op: FleetOperation): Omit<Layout, "waits"> {
    if (op !== "preview") return { members: shards, aliases: plan.aliases, moves: plan.moves };
    const members = new Map([...shards].map(([s, list]) => [s, [...list]]));
    const aliases = new Map([...plan.aliases].map(([s, m]) => [s, new Map(m)]));
    for (const m of plan.moves) {
        members.set(m.to, members.get(m.to)!.filter((n) => n !== m.newName));
        members.get(m.from)?.push(m.newName);
        if (m.oldName !== m.newName) {
            aliases.get(m.to)?.delete(m.newName);
            aliases.set(m.from, (aliases.get(m.from) ?? new Map<string, string>()).set(m.newName, m.oldName));
        }
    }
    return { members, aliases, moves: plan.moves };
}

/**
 * Carries each moving reseller's resources to its new stack with `pulumi state move`
 * (the component's URN; its children come with it), before any stack runs. The
 * destination stack is made first if it has no state yet. A move that fails stops the
 * run: running the stacks then would delete in one what the other takes over.
 */
async function moveState(run: FleetRun, moves: Move[], workspace: (stack: string, program: () => Promise<object>) => Promise<Stack>, existing: Map<string, string>): Promise<void> {
    const byPair = new Map<string, Move[]>();
    for (const m of moves) byPair.set(`${m.from} ${m.to}`, [...(byPair.get(`${m.from} ${m.to}`) ?? []), m]);
    for (const group of byPair.values()) {
        const { from, to } = group[0];
        if (!existing.has(to)) {
            const stack = await workspace(to, async () => ({}));
            await configure(stack, run.o, run.plan.perStack);
            existing.set(to, to);
        }
        // Run in the source stack's project directory: its Pulumi.<stack>.yaml holds the
        // passphrase salt; the destination's is copied beside it for the same reason.
        const dir = path.join(run.o.workDir, from);
        const destConfig = path.join(run.o.workDir, to, `Pulumi.${to}.yaml`);
        if (fs.existsSync(destConfig)) fs.copyFileSync(destConfig, path.join(dir, `Pulumi.${to}.yaml`));
        const args = ["state", "move", "--source", from, "--dest", to, "--yes", "--color", "never", ...group.map((m) => m.urn)];
        try {
            await execFileAsync(path.join(run.cliDir, "pulumi"), args, { cwd: dir, env: { ...process.env, ...run.envVars } });
        } catch (e) {
            const err = e as { stderr?: string; stdout?: string; message: string };
            throw new Error(
                `moving ${group.map(describeMove).join("; ")} failed, so no stack ran (each would otherwise act on the other's objects): ` +
                    errorGist(`${err.stderr ?? ""}\n${err.stdout ?? ""}\n${err.message}`, run.o.fleioToken),
            );
        }
        run.o.onEvent?.({ stack: to, event: "done", detail: `moved in with pulumi state move: ${group.map(describeMove).join("; ")}` });
    }
}

/**
 * Pulumi's lock on a file or bucket backend is a lock file written and then checked:
 * two runs that write theirs at the same moment both see the other's and both give up,
 * and then neither applies. So a refusal for a lock is tried again, twice, after a
 * random pause: runs that collided fall apart and one of them goes first, while a run
 * that holds the lock for a whole update is still there when the other tries again,
 * which is refused as before.
 */
async function lockRetried<T>(op: () => Promise<T>): Promise<T> {
    for (let attempt = 0; ; attempt++) {
        try {
            return await op();
        } catch (e) {
            if (attempt >= 2 || !/currently locked/i.test(e instanceof Error ? e.message : String(e))) throw e;
            await new Promise((r) => setTimeout(r, 300 + Math.random() * 1500));
        }
    }
}

/**
 * An `up` that found nothing to change, when the stack's previous update started after
 * this run did: another run applied it meanwhile.
 */
async function appliedElsewhere(stack: Stack, since: number): Promise<string | undefined> {
    const [, previous] = await stack.history(2, 1).catch(() => []);
    if (previous && previous.kind === "update" && new Date(previous.startTime).getTime() >= since - 1000) return "already applied by another run that started at the same time";
    return undefined;
}

const changed = (changes: Record<string, number>) => Object.entries(changes).some(([k, n]) => k !== "same" && n > 0);

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
    // destroy runs the program so the provider gets the token set just now, not the one
    // the stack's last up recorded (a rotated token: client/unauthorized.ts).
    const result = op === "up" ? await stack.up() : await stack.destroy({ runProgram: true });
    return { ...(result.summary.resourceChanges ?? {}) } as Record<string, number>;
}

/**
 * The shards' stacks, and for a destroy of the whole fleet also the shard stacks an
 * earlier shard count left in the backend (the default count follows the data, so a
 * fleet that shrank has stacks beyond it): destroy empties every one.
 */
function stacksToRun(shards: Map<string, string[]>, existing: Map<string, string>, o: FleetOptions): string[] {
    const names = [...shards.keys()];
    if (o.operation !== "destroy" || o.only?.length) return names;
    return [...names, ...[...existing.keys()].filter((s) => /^shard-\d+$/.test(s) && !shards.has(s)).sort()];
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

/**
 * An engine error is long (the whole CLI output, then the command line that failed): the
 * summary keeps its reason, first, never the token. Pulumi's diagnostics (`error:` lines,
 * with the resource they are under) come before anything else, generic ones ("update
 * failed") last; the command line (`pulumi up … --client=…`) and the framing are dropped.
 */
export function errorGist(message: string, token: string): string {
    const lines = message
        .split("\n")
        .map((l) => l.trim().replace(/^(code|stdout|stderr|err\?):\s*/i, "").trim())
        .filter((l) => l && !/^\d+$/.test(l) && !/Command failed with exit code|--client=|^at /.test(l));
    const generic = (l: string) => /error: (update|preview|destroy|refresh) failed$|^error: an error occurred/i.test(l);
    const diagnostics = lines.flatMap((l, i) => {
        if (!/^error:/i.test(l) || generic(l)) return [];
        const under = /^(\S+) \((.+)\):$/.exec(lines[i - 1] ?? "");
        return [under ? `${under[2]}: ${l}` : l];
    });
    const mentions = lines.filter((l) => /error|locked|refused/i.test(l) && !generic(l));
    const reasons = [...new Set(diagnostics.length ? diagnostics : mentions)];
    const gist = reasons.length ? reasons.slice(0, 3) : lines.filter(generic).slice(0, 1);
    return (gist.length ? gist : lines.slice(0, 3)).join(" | ").split(token).join("[redacted]").slice(0, 500);
}
