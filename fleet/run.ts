import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { execFile } from "node:child_process";
import { promisify } from "node:util";
import pLimit from "p-limit";
import { LocalWorkspace, PulumiCommand, Stack } from "@pulumi/pulumi/automation";
import { GitopsData, gitopsProgram, loadGitopsData } from "../sdk/gitops";
import { findPulumi } from "./pulumi-cli";
import { assignShards, shardLookup, shardNames } from "./shards";
import { fleetShards } from "./stack-size";
import { BudgetPlan, splitBudget } from "./budget";
import { checkFleetUnique } from "./unique";
import { describeMove, Move, planMoves, resellersInState } from "./moves";
import { stackWaits } from "./order";
import { CATALOG_STACK, catalogIdsOf, catalogPhase, rootOutputs, servicesInState, ServiceOnPlan, stillOnPlans } from "./catalog";
import { arrange, Layout, onlyShards, stacksToRun } from "./layout";
import { appliedElsewhere, changed, configure, describeChanges, FleetOperation, lockRetried, runOne } from "./stack-ops";
import { DOMAIN_HOLDERS_ENV, forgetSharedScan } from "../provider/domain-holders";
import { RESUME_ENV } from "../provider/resources/resumed-creates";
import { errorGist } from "./errors";
import { listStacks } from "./stack-health";
import { readStates, StackStates } from "./states";
import { clearPending, pendingCreates, pendingOperations, writeResumed } from "./resume";
import { unlockedIfHolderGone } from "./stale-lock";
import { chooseProvider, FleetProvider, projectPlugins } from "./provider-choice";

const execFileAsync = promisify(execFile);

export interface FleetOptions {
    operation: FleetOperation;
    /** Folder of GitOps reseller files (the GitOps data format, docs/gitops-format.md). */
    dataDir: string;
    /** Any Pulumi backend URL: file://<dir>, or s3://<bucket>?endpoint=…&s3ForcePathStyle=true&region=… */
    backendUrl: string;
    /** Stacks the resellers are spread over; default: from the measured stack-size curve (fleet/stack-size.ts). */
    shards?: number;
    /**
     * Only these shards' stacks (e.g. one CI job of a matrix per shard); default all.
     * `catalog` is the stack of the plan catalog (fleet/catalog.ts). The whole folder is
     * still checked for clashes across files.
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
     * `up` writes each stack's state once at its end instead of after every step
     * (PULUMI_SKIP_CHECKPOINTS). A run killed midway then records nothing of what it
     * made; the next run, seeing the killed run's lock, takes over what it finds by
     * natural key (docs: "Fewer checkpoint writes").
     */
    skipCheckpoints?: boolean;
    /** A lock on this run's stacks is the one of a run that has ended (on another runner): release it (fleet/stale-lock.ts). */
    releaseLock?: boolean;
    /** The provider serving the stacks' resources (fleet/provider-choice.ts); default: the data folder's `.fleio-fleet`, else dynamic. */
    provider?: FleetProvider;
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
    /** What this run resolved that an interrupted run left behind (a dead run's lock, pending creates, a broken state file). */
    resolved?: string[];
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
    /** Other stacks this run could not read (never fatal to this run's own). */
    warnings?: string[];
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
    const data = loadGitopsData(o.dataDir);
    const resellers = data.resellers;
    o = { ...o, provider: chooseProvider(o.dataDir, o.provider) };
    if (o.operation !== "destroy") checkFleetUnique(resellers);
    const names = [...resellers.keys()];
    const shardList = shardNames(fleetShards(names.length, o.shards));
    const assigned = assignShards(names, shardList);
    const onlyShardNames = o.only?.filter((s) => s !== CATALOG_STACK);
    // `--shard catalog` alone runs the catalog stack and no shard.
    const shards = o.only?.length && !onlyShardNames?.length ? new Map<string, string[]>() : onlyShards(assigned, onlyShardNames);
    const withCatalog = !o.only?.length || o.only.includes(CATALOG_STACK);
    const plan = splitBudget(o.budget, o.parallel, shards.size + (withCatalog ? 1 : 0));
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
        ...(o.skipCheckpoints && o.operation === "up" ? { PULUMI_SKIP_CHECKPOINTS: "true" } : {}),
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
        return await runStacks({ o, data, withCatalog, shards, shardOf: shardLookup(assigned), plan, projectName, pulumiCommand, cliDir, envVars, scanFile: envVars[DOMAIN_HOLDERS_ENV], started });
    } finally {
        fs.rmSync(runDir, { recursive: true, force: true });
    }
}

/** One fleet run, as runFleet prepared it. */
interface FleetRun {
    o: FleetOptions;
    /** The data folder as this run read it once: every stack's program takes it from here. */
    data: GitopsData;
    /** Whether this run includes the catalog stack (every run but one given only shards). */
    withCatalog: boolean;
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
    const workspace = (stackName: string, program: () => Promise<object>, extraEnv: Record<string, string> = {}) => {
        const workDir = path.join(o.workDir, stackName);
        fs.mkdirSync(workDir, { recursive: true });
        return LocalWorkspace.createOrSelectStack(
            { stackName, projectName, program },
            { workDir, pulumiCommand, projectSettings: { name: projectName, runtime: "nodejs", backend: { url: o.backendUrl }, ...projectPlugins(o.provider ?? "dynamic") }, envVars: { ...envVars, ...extraEnv } },
        );
    };
    const ws = await LocalWorkspace.create({ workDir: o.workDir, pulumiCommand, projectSettings: { name: projectName, runtime: "nodejs", backend: { url: o.backendUrl }, ...projectPlugins(o.provider ?? "dynamic") }, envVars });
    const existing = await listStacks(ws, o.backendUrl, projectName);

    // The catalog stack: in this run when asked for and it has plans to hold or delete.
    const catalogInRun = run.withCatalog && (run.data.catalog.size > 0 || existing.has(CATALOG_STACK));
    let idsAfterCatalog: Record<string, string> | undefined;
    let catalogSkip: string | undefined;
    const catalogWaits = new Map<string, Set<string>>();

    // Where each reseller is now (the stacks' state) against where the data puts it.
    let layout: Layout = { members: shards, aliases: new Map(), moves: [], waits: new Map() };
    // Read for destroy too: a state file a kill broke is repaired before the stack is destroyed.
    const states: StackStates = await readStates(ws, existing, new Set([...shards.keys(), ...(catalogInRun ? [CATALOG_STACK] : [])]), o.backendUrl, projectName, o.fleioToken);
    // The catalog plans' ids as the catalog stack holds them now (its outputs, in the state just read: no Fleio call).
    const idsNow = catalogIdsOf(rootOutputs(states.deployments.get(CATALOG_STACK)));
    const warnings = [...states.unreadable].filter(([name]) => !shards.has(name)).map(([, why]) => `${why}: its resellers are left out of this run's move planning (that stack's own job reports it)`);
    for (const w of warnings) o.onEvent?.({ stack: "fleet", event: "done", detail: `warning: ${w}` });
    if (o.operation !== "destroy") {
        const shardStates = [...states.deployments].filter(([name]) => name !== CATALOG_STACK);
        const inState = shardStates.flatMap(([name, deployment]) => resellersInState(name, deployment));
        const services: ServiceOnPlan[] = shardStates.flatMap(([name, deployment]) => servicesInState(name, deployment));
        if (catalogInRun) {
            const { phase, removed } = catalogPhase(idsNow, run.data.catalog, run.data.resellers);
            // A plan is deleted only once no reseller is on it: the stacks of this run leave it first;
            // stacks outside this run (other CI jobs) must have left it already.
            const using = stillOnPlans(removed, idsNow, services.filter((sv) => !shards.has(sv.stack)));
            if (using.length && o.operation === "up")
                catalogSkip = `not run: it deletes catalog plans that resellers of other stacks are still on (${using.join("; ")}); run those stacks, then the catalog stack again (its other changes wait until then)`;
            if (o.operation === "up") {
                if (phase === "before") for (const s of shards.keys()) catalogWaits.set(s, new Set([CATALOG_STACK]));
                else catalogWaits.set(CATALOG_STACK, new Set(shards.keys()));
            }
        }
        const moves = planMoves(inState, run.data.resellers, run.shardOf);
        const waits = stackWaits(inState, moves, run.data.resellers, run.shardOf);
        if (o.operation === "up") await moveState(run, moves.moves, workspace, existing);
        layout = { ...arrange(shards, moves, o.operation), waits };
    } else if (catalogInRun) {
        // Destroy: the shards leave the catalog plans first.
        catalogWaits.set(CATALOG_STACK, new Set(shards.keys()));
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
        if (stackName === CATALOG_STACK && catalogSkip) return { ...base, skipped: catalogSkip };
        const domainWaits = [...(layout.waits.get(stackName) ?? [])];
        const before = await Promise.all(domainWaits.map(start));
        const failed = before.filter((r) => r.error || r.skipped?.startsWith("waits"));
        if (failed.length && o.operation === "up") return { ...base, skipped: `waits for ${failed.map((r) => r.stack).join(", ")} (which did not apply) to let go of a domain it takes` };
        const catalogBefore = await Promise.all([...(catalogWaits.get(stackName) ?? [])].map(start));
        const catalogFailed = catalogBefore.filter((r) => r.error || r.skipped?.startsWith("waits"));
        if (catalogFailed.length && o.operation !== "preview")
            return {
                ...base,
                skipped:
                    stackName === CATALOG_STACK
                        ? `waits for ${catalogFailed.map((r) => r.stack).join(", ")} (which did not apply) to leave the catalog plans it deletes`
                        : `waits for the catalog stack (which did not apply) to make the plans its resellers go on`,
            };
        // The run's scan of who holds which domain was taken before those stacks let go of theirs.
        if (domainWaits.length && o.operation === "up") await forgetSharedScan(run.scanFile);
        return limit(() => runStack(stackName, members, base));
    };
    const runStack = async (stackName: string, members: string[], base: StackReport): Promise<StackReport> => {
        const isCatalog = stackName === CATALOG_STACK;
        if (members.length === 0 && !existing.has(stackName) && !isCatalog) return { ...base, skipped: "no resellers and no state" };
        const t0 = Date.now();
        o.onEvent?.({ stack: stackName, event: "start", detail: `${members.length} resellers` });
        const unreadable = states.unreadable.get(stackName);
        if (unreadable) {
            o.onEvent?.({ stack: stackName, event: "failed", detail: unreadable });
            return { ...base, error: unreadable };
        }
        const resolved = states.repaired.filter((r) => r.startsWith(`${stackName}:`)).map((r) => r.slice(stackName.length + 2));
        try {
            const only = new Set(members);
            const renamed = layout.aliases.get(stackName);
            // The catalog stack declares the catalog's plans and no reseller; a shard's stack the
            // reverse, given the plans' ids (made by now when `up` ran the catalog first).
            const ids = idsAfterCatalog ?? idsNow;
            const program = isCatalog ? async () => gitopsProgram(run.data, new Set(), undefined) : async () => gitopsProgram(run.data, only, renamed, { ids });
            // What an interrupted run left for the provider to take over (fleet/resume.ts).
            const resumeFile = path.join(path.dirname(run.scanFile), `resumed-${stackName}.json`);
            const creates = o.operation === "up" ? pendingCreates(states.deployments.get(stackName)) : [];
            writeResumed(resumeFile, { creates });
            const stack = await workspace(stackName, program, { [RESUME_ENV]: resumeFile });
            await configure(stack, o, plan.perStack);
            const unlocked = await unlockedIfHolderGone(
                { cliDir: run.cliDir, workDir: path.join(o.workDir, stackName), envVars: { ...envVars, [RESUME_ENV]: resumeFile }, backendUrl: o.backendUrl, projectName, stackName, holderEnded: o.releaseLock },
                () => lockRetried(() => runOne(stack, o.operation)),
                // A killed run without checkpoints recorded nothing: every create of this run may repeat one of its.
                () => (o.skipCheckpoints && o.operation === "up" ? writeResumed(resumeFile, { creates, all: true }) : undefined),
            );
            const { changes, takenOver, outputs } = unlocked.result;
            if (isCatalog && o.operation === "up") idsAfterCatalog = catalogIdsOf(outputs ?? {});
            if (unlocked.released) resolved.push(unlocked.released);
            resolved.push(...takenOver);
            // Only a killed run leaves pending operations, and this run read the state it left.
            if (o.operation === "up" && pendingOperations(states.deployments.get(stackName)).length) {
                const cleared = await clearPending(stack);
                if (cleared.length) resolved.push(`${cleared.length} pending operations of an interrupted run, redone by this up and dropped from the state: ${cleared.join(", ")}`);
            }
            for (const r of resolved) o.onEvent?.({ stack: stackName, event: "done", detail: `resolved: ${r}` });
            const note = o.operation === "up" && !changed(changes) ? await appliedElsewhere(stack, started) : undefined;
            const report = { ...base, changes, seconds: (Date.now() - t0) / 1000, note, ...(resolved.length ? { resolved } : {}) };
            o.onEvent?.({ stack: stackName, event: "done", detail: describeChanges(changes) + (note ? ` (${note})` : "") });
            return report;
        } catch (e) {
            const error = errorGist(e instanceof Error ? e.message : String(e), o.fleioToken);
            o.onEvent?.({ stack: stackName, event: "failed", detail: error });
            return { ...base, seconds: (Date.now() - t0) / 1000, error, ...(resolved.length ? { resolved } : {}) };
        }
    };
    const reports = await Promise.all([...(catalogInRun ? [CATALOG_STACK] : []), ...stacksToRun(shards, existing, o)].map(start));
    return {
        operation: o.operation,
        stacks: reports,
        parallel: plan.parallel,
        perStackConcurrency: plan.perStack,
        seconds: (Date.now() - started) / 1000,
        ok: reports.every((r) => !r.error && !r.skipped?.startsWith("waits")),
        moves: layout.moves.map(describeMove),
        waits: [...layout.waits].map(([s, on]) => `${s} after ${[...on].join(", ")}`),
        ...(warnings.length ? { warnings } : {}),
    };
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

export { errorGist } from "./errors";
export { describeChanges, FleetOperation } from "./stack-ops";
