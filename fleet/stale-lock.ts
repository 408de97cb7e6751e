import * as os from "node:os";
import * as path from "node:path";
import { execFile } from "node:child_process";
import { promisify } from "node:util";
import { cancelCommand, holderGone, lockHolders } from "./stack-health";
import { withoutCommandLine } from "./errors";

const execFileAsync = promisify(execFile);

export interface LockContext {
    cliDir: string;
    /** The stack's project directory and environment (backend, passphrase). */
    workDir: string;
    envVars: Record<string, string>;
    backendUrl: string;
    projectName: string;
    stackName: string;
    /**
     * The operator says the lock's holder has ended (`--release-lock`): a run on another
     * runner, which this job cannot check. The fleet then releases it itself, and so
     * knows the run it resumes was interrupted (what --skip-checkpoints needs).
     */
    holderEnded?: boolean;
}

/**
 * Runs `op`; when the stack is locked by a run that is provably gone (holderGone: same
 * host, no such process) — a job killed earlier on this runner — releases the lock with
 * `pulumi cancel` and runs `op` once more. A lock whose holder may be alive (another
 * host, or its process still there) is left alone, and the error names the exact command
 * that releases it, for an operator who knows that run has ended.
 */
export async function unlockedIfHolderGone<T>(c: LockContext, op: () => Promise<T>, beforeRetry?: () => void): Promise<{ result: T; released?: string }> {
    try {
        return { result: await op() };
    } catch (e) {
        const message = e instanceof Error ? e.message : String(e);
        if (!/currently locked/i.test(message)) throw e;
        const holders = lockHolders(message).filter((h, i, all) => all.findIndex((x) => x.pid === h.pid && x.host === h.host) === i);
        const who = holders.map((h) => `pid ${h.pid} on ${h.host}`).join(", ") || "a holder the CLI did not name";
        const cmd = cancelCommand(c.backendUrl, c.projectName, c.stackName);
        const proven = holders.length > 0 && holders.every((h) => holderGone(h));
        // --release-lock speaks for other hosts only: a holder alive on this one is running.
        const aliveHere = holders.some((h) => h.host === os.hostname() && !holderGone(h));
        if (!proven && (!c.holderEnded || aliveHere)) {
            const here = holders.some((h) => h.host === os.hostname()) ? "whose process still runs" : "on another host, which this job cannot check";
            throw new Error(
                `stack ${c.stackName} is locked by a run ${here} (${who}). If no run of this stack is going on, run this job again with --release-lock, ` +
                    `or release the lock yourself and run again: ${cmd}`,
            );
        }
        try {
            await execFileAsync(path.join(c.cliDir, "pulumi"), ["cancel", "--yes", "--stack", `organization/${c.projectName}/${c.stackName}`, "--color", "never"], { cwd: c.workDir, env: { ...process.env, ...c.envVars } });
        } catch (err) {
            const x = err as { stderr?: string; message: string };
            throw new Error(`stack ${c.stackName} is locked by a run that has ended (${who}), and releasing it failed (${withoutCommandLine(`${x.stderr ?? ""}\n${x.message}`).trim()}): ${cmd}`);
        }
        beforeRetry?.();
        const why = proven ? "no longer running" : "ended, as --release-lock says";
        return { result: await op(), released: `the lock of a killed run (${who}, ${why}) was released with pulumi cancel` };
    }
}
