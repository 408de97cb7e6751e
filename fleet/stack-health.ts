import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import type { LocalWorkspace } from "@pulumi/pulumi/automation";

/**
 * What a killed job leaves in the backend, and how a later job copes with it without
 * blocking the other shards:
 *
 * - The file backend saves a stack as `<stack>.json` plus an `<stack>.json.attrs`
 *   companion, written in place before the new `.json` is renamed over the old one. A
 *   kill inside that write leaves the companion empty (and the old, whole `.json`); every
 *   command that reads the stack then fails with a bare `error: EOF`. `pulumi stack ls`
 *   reads every stack, so one such file stopped every job of every shard.
 * - The killed CLI's lock file stays, naming its holder's user, host and pid.
 */

/** The folder of the project's stack files, for a `file://` backend; undefined for any other. */
export function fileBackendStacks(backendUrl: string, projectName: string): string | undefined {
    if (!backendUrl.startsWith("file://")) return undefined;
    // Pulumi takes the rest of the URL as a path (file:///abs, file://~/dir, file://rel).
    const rest = decodeURIComponent(backendUrl.slice("file://".length).split("?")[0]);
    const root = rest.startsWith("~") ? path.join(os.homedir(), rest.slice(1)) : path.resolve(rest);
    return path.join(root, ".pulumi", "stacks", projectName);
}

const STACK_FILE = /^(.+)\.json(\.gz)?$/;

/**
 * The project's stacks by short name → the name the CLI takes. On a file backend the
 * stack files are listed directly: `pulumi stack ls` loads every stack and fails as a
 * whole on one that cannot be read.
 */
export async function listStacks(ws: LocalWorkspace, backendUrl: string, projectName: string): Promise<Map<string, string>> {
    const dir = fileBackendStacks(backendUrl, projectName);
    if (dir) {
        const names = fs.existsSync(dir) ? fs.readdirSync(dir).flatMap((f) => STACK_FILE.exec(f)?.[1] ?? []) : [];
        return new Map([...new Set(names)].map((n) => [n, `organization/${projectName}/${n}`]));
    }
    return new Map((await ws.listStacks()).map((s) => [s.name.split("/").pop()!, s.name]));
}

/**
 * Removes the empty `.attrs` companion a kill left beside a stack file, so the stack
 * reads again. Safe: the `.json` beside it is the last whole save (the new one is only
 * renamed in after its companion is written), and a missing companion reads as no
 * attributes. Answers the files removed.
 */
export function repairEmptyAttrs(backendUrl: string, projectName: string, stack: string): string[] {
    const dir = fileBackendStacks(backendUrl, projectName);
    if (!dir) return [];
    const removed: string[] = [];
    for (const f of [`${stack}.json.attrs`, `${stack}.json.gz.attrs`]) {
        const file = path.join(dir, f);
        if (fs.existsSync(file) && fs.statSync(file).size === 0) {
            fs.rmSync(file);
            removed.push(file);
        }
    }
    return removed;
}

/** The files of a stack a reader would name in an error (file backends only). */
export function stackFiles(backendUrl: string, projectName: string, stack: string): string[] {
    const dir = fileBackendStacks(backendUrl, projectName);
    if (!dir) return [];
    return [`${stack}.json`, `${stack}.json.attrs`, `${stack}.json.gz`, `${stack}.json.gz.attrs`].map((f) => path.join(dir, f)).filter((f) => fs.existsSync(f));
}

/** Who holds a stack's lock, from the CLI's refusal ("… created by user@host (pid 123) at …"). */
export interface LockHolder {
    user: string;
    host: string;
    pid: number;
}

export function lockHolders(message: string): LockHolder[] {
    return [...message.matchAll(/created by ([^@\s]+)@(\S+) \(pid (\d+)\)/g)].map((m) => ({ user: m[1], host: m[2], pid: Number(m[3]) }));
}

/**
 * Whether a lock's holder is provably gone: it ran on this host (same hostname) and no
 * live process has its pid (a zombie counts as gone: it holds no lock, only an exit
 * status). A holder on another host cannot be checked from here: a runner of a shared
 * backend cannot see another runner's processes, so its lock is never released.
 */
export function holderGone(h: LockHolder, host = os.hostname()): boolean {
    if (h.host !== host || !Number.isInteger(h.pid) || h.pid <= 0) return false;
    try {
        process.kill(h.pid, 0);
    } catch (e) {
        return (e as NodeJS.ErrnoException).code === "ESRCH";
    }
    try {
        const stat = fs.readFileSync(`/proc/${h.pid}/stat`, "utf8");
        return stat.slice(stat.lastIndexOf(")") + 2).startsWith("Z");
    } catch {
        return false;
    }
}

/** The command that releases a stack's lock by hand, with everything it needs. */
export function cancelCommand(backendUrl: string, projectName: string, stack: string): string {
    return `PULUMI_BACKEND_URL='${backendUrl}' pulumi cancel --yes --stack organization/${projectName}/${stack}`;
}
