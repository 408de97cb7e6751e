import { execFile } from "node:child_process";
import * as fs from "node:fs";
import { promisify } from "node:util";
import * as path from "node:path";
import type { Stack, LocalWorkspace } from "@pulumi/pulumi/automation";
import { stateArea } from "../../../scripts/engine";

const run = promisify(execFile);
import type { HeldRequest, HoldingProxy } from "./holding-proxy";

interface Proc {
    pid: number;
    ppid: number;
    cwd?: string;
    exe?: string;
}

function processes(): Proc[] {
    const out: Proc[] = [];
    for (const name of fs.readdirSync("/proc")) {
        if (!/^\d+$/.test(name)) continue;
        try {
            // Field 2 (comm) may hold spaces and parentheses: the fields after its last ")" are fixed.
            const stat = fs.readFileSync(`/proc/${name}/stat`, "utf8");
            const ppid = Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]);
            const p: Proc = { pid: Number(name), ppid };
            try {
                p.cwd = fs.readlinkSync(`/proc/${name}/cwd`);
                p.exe = fs.readlinkSync(`/proc/${name}/exe`);
            } catch {
                // another user's process, or gone: not ours
            }
            out.push(p);
        } catch {
            // the process ended while we looked
        }
    }
    return out;
}

/**
 * The `pulumi` CLI this test process started for the stack (its cwd is the stack's
 * workDir) and everything under it (the dynamic provider processes).
 */
export function cliProcessTree(workDir: string): number[] {
    const all = processes();
    const dir = fs.realpathSync(workDir);
    const roots = all.filter((p) => p.ppid === process.pid && p.cwd === dir && p.exe !== undefined && path.basename(p.exe) === "pulumi");
    const tree = new Set(roots.map((p) => p.pid));
    for (let grew = true; grew; ) {
        grew = false;
        for (const p of all) if (tree.has(p.ppid) && !tree.has(p.pid)) (tree.add(p.pid), (grew = true));
    }
    return [...tree];
}

export interface Interrupted {
    /** The request whose answer was held when the run was killed. */
    trigger: HeldRequest;
    /** Processes killed: the CLI and its provider processes. */
    killed: number[];
    /** How `up` ended (the Automation API's error). */
    upError: Error;
}

/**
 * Runs `up` and SIGKILLs the CLI and its provider processes (a CI runner that lost
 * its machine) once Fleio has applied a request that `match` accepts and before its
 * answer reaches the provider: Fleio holds the object, the state never hears of it.
 */
export async function upKilledWhen(stack: Stack, proxy: HoldingProxy, match: (method: string, path: string) => boolean): Promise<Interrupted> {
    const workDir = (stack.workspace as LocalWorkspace).workDir;
    const held = proxy.holdNext(match);
    const up = stack.up({ color: "never" }).then(
        () => "done" as const,
        (e: Error) => e,
    );
    const first = await Promise.race([held, up]);
    if (first === "done" || first instanceof Error)
        throw new Error(`up ended (${first === "done" ? "successfully" : first.message.slice(0, 400)}) before the kill point was reached`);
    const killed = cliProcessTree(workDir);
    if (killed.length === 0) throw new Error(`no pulumi process runs in ${workDir}`);
    for (const pid of killed) process.kill(pid, "SIGKILL");
    const ended = await up;
    if (ended === "done") throw new Error("up succeeded although its CLI was killed");
    return { trigger: first, killed, upError: ended };
}

/**
 * engineStack's `fresh` removes the stack's state but not its lock: a test that failed
 * between a kill and its `pulumi cancel` would lock the next run out.
 */
export function clearLocks(area: string, projectName: string): void {
    fs.rmSync(path.join(stateArea(area), "backend", ".pulumi", "locks", "organization", projectName), { recursive: true, force: true });
}

/**
 * Runs the stack's own `pulumi` CLI with the stack's environment and in its workDir,
 * for what the Automation API of 3.248 does not offer (e.g. `--import-pending-creates`).
 */
export async function pulumiCli(stack: Stack, args: string[]): Promise<{ stdout: string; stderr: string }> {
    const ws = stack.workspace as LocalWorkspace;
    return run(ws.pulumiCommand.command, [...args, "--stack", stack.name, "--non-interactive", "--color", "never"], { cwd: ws.workDir, env: { ...process.env, ...ws.envVars } });
}

/** The pending operations the state holds (what a killed run was doing). */
export async function pendingOperations(stack: Stack): Promise<{ type: string; urn: string }[]> {
    const d = (await stack.exportStack()).deployment as { pending_operations?: { type: string; resource: { urn: string } }[] };
    return (d.pending_operations ?? []).map((p) => ({ type: p.type, urn: p.resource.urn }));
}

/** URNs of the resources the state holds. */
export async function stateUrns(stack: Stack): Promise<string[]> {
    const d = (await stack.exportStack()).deployment as { resources?: { urn: string }[] };
    return (d.resources ?? []).map((r) => r.urn);
}

/**
 * A kill that lands while the file backend saves can leave a stack file's `.attrs`
 * companion empty; every command then fails with "failed to load checkpoint: EOF".
 * The runbook's fix, as a user would do it: delete the zero-byte `.attrs` files.
 * Returns the files removed.
 */
export function removeEmptyAttrs(area: string, projectName: string): string[] {
    const dir = path.join(stateArea(area), "backend", ".pulumi", "stacks", projectName);
    if (!fs.existsSync(dir)) return [];
    const empty = fs.readdirSync(dir).filter((f) => f.endsWith(".attrs") && fs.statSync(path.join(dir, f)).size === 0);
    for (const f of empty) fs.rmSync(path.join(dir, f));
    return empty;
}

/** A process and everything under it, by parent pid (the pulumi CLI, its plugins). */
export function processTree(root: number): number[] {
    const all = processes();
    const tree = new Set([root]);
    for (let grew = true; grew; ) {
        grew = false;
        for (const p of all) if (tree.has(p.ppid) && !tree.has(p.pid)) (tree.add(p.pid), (grew = true));
    }
    return [...tree];
}

/** Whether any thread of these processes waits to open a FIFO (kernel wait channel `wait_for_partner`). */
export function waitsOnFifo(pids: number[]): boolean {
    for (const pid of pids) {
        let tasks: string[];
        try {
            tasks = fs.readdirSync(`/proc/${pid}/task`);
        } catch {
            continue;
        }
        for (const t of tasks) {
            try {
                if (fs.readFileSync(`/proc/${pid}/task/${t}/wchan`, "utf8").includes("wait_for_partner")) return true;
            } catch {
                // the thread ended
            }
        }
    }
    return false;
}
