import { spawn } from "node:child_process";
import type { LocalWorkspace, Stack } from "@pulumi/pulumi/automation";
import type { FleetProvider } from "./provider-choice";

// What a fleet asks the engine of one stack: its config, the operation itself (tried
// again when two runs' locks collided), and what its answer says.

export type FleetOperation = "preview" | "up" | "destroy";

/** What a stack's config is made from (a fleet run's options). */
export interface StackSettings {
    fleioUrl: string;
    /** Stored as a secret config value of the stack. */
    fleioToken: string;
    apiScope?: "staff" | "reseller";
    provider?: FleetProvider;
}

/**
 * Pulumi's lock on a file or bucket backend is a lock file written and then checked:
 * two runs that write theirs at the same moment both see the other's and both give up,
 * and then neither applies. So a refusal for a lock is tried again, twice, after a
 * random pause: runs that collided fall apart and one of them goes first, while a run
 * that holds the lock for a whole update is still there when the other tries again,
 * which is refused as before.
 */
export async function lockRetried<T>(op: () => Promise<T>): Promise<T> {
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
export async function appliedElsewhere(stack: Stack, since: number): Promise<string | undefined> {
    const [, previous] = await stack.history(2, 1).catch(() => []);
    if (previous && previous.kind === "update" && new Date(previous.startTime).getTime() >= since - 1000) return "already applied by another run that started at the same time";
    return undefined;
}

export const changed = (changes: Record<string, number>) => Object.entries(changes).some(([k, n]) => k !== "same" && n > 0);

/** The config key of the Fleio token: a secret, never on a command line. */
const TOKEN_KEY = "fleio:token";

/**
 * A stack's whole config, from this run's data and flags. Keys a work folder kept from
 * before (set by hand, or by an older run) are removed: they must not change what runs.
 */
export async function configure(stack: Stack, o: StackSettings, perStack: number): Promise<void> {
    const config = {
        "fleio:url": { value: o.fleioUrl },
        "fleio:apiScope": { value: o.apiScope ?? "staff" },
        "fleio:maxConcurrency": { value: String(perStack) },
        "fleio:native": { value: String(o.provider === "native") },
    };
    // The keys from the stack's settings file (no CLI process): a key set by hand there is stale too.
    const settings = await stack.workspace.stackSettings(stack.name).catch(() => undefined);
    const stale = Object.keys(settings?.config ?? {}).filter((k) => !(k in config) && k !== TOKEN_KEY);
    if (stale.length) await stack.removeAllConfig(stale);
    await stack.setAllConfig(config);
    await setSecretFromStdin(stack, TOKEN_KEY, o.fleioToken);
}

/**
 * `pulumi config set --secret <key>` with the value on its standard input. The Automation
 * API's setConfig/setAllConfig put the value in the CLI's arguments, which any local user
 * can read in the process list while it runs, and which audit logs of process starts keep.
 */
export async function setSecretFromStdin(stack: Stack, key: string, value: string): Promise<void> {
    const ws = stack.workspace as LocalWorkspace;
    const args = ["config", "set", "--secret", key, "--stack", stack.name, "--non-interactive"];
    const env: Record<string, string> = { ...(process.env as Record<string, string>), ...ws.envVars, ...(ws.pulumiHome ? { PULUMI_HOME: ws.pulumiHome } : {}) };
    await new Promise<void>((resolve, reject) => {
        const child = spawn(ws.pulumiCommand.command, args, { cwd: ws.workDir, env, stdio: ["pipe", "ignore", "pipe"] });
        let stderr = "";
        child.stderr!.setEncoding("utf8").on("data", (d: string) => (stderr += d));
        child.on("error", reject);
        child.on("close", (code) => (code === 0 ? resolve() : reject(new Error(`setting ${key} of stack ${stack.name} failed: ${stderr.trim() || `exit code ${code}`}`))));
        child.stdin!.end(value);
    });
}

/** An operation on one stack: the engine's counts of changes, what the provider took over, and after `up` the stack's output values. */
export async function runOne(stack: Stack, op: FleetOperation): Promise<{ changes: Record<string, number>; takenOver: string[]; outputs?: Record<string, unknown> }> {
    if (op === "preview") return { changes: { ...(await stack.preview()).changeSummary } as Record<string, number>, takenOver: [] };
    const counted = (r: { summary: { resourceChanges?: Record<string, number> }; stdout: string }) => ({ changes: { ...(r.summary.resourceChanges ?? {}) }, takenOver: tookOver(r.stdout) });
    if (op === "up") {
        const up = await stack.up();
        return { ...counted(up), outputs: Object.fromEntries(Object.entries(up.outputs).map(([k, v]) => [k, v.value])) };
    }
    // destroy runs the program so the provider gets the token set just now, not the one
    // the stack's last up recorded (a rotated token: client/unauthorized.ts).
    return counted(await stack.destroy({ runProgram: true }));
}

/** The provider's notices of what it took over that an interrupted run had made (provider/resources/create-once.ts). */
const tookOver = (stdout: string) => [...new Set([...stdout.matchAll(/pulumi-fleio: (took over [^\n]*made by the interrupted run this one resumes)/g)].map((m) => m[1].trim()))];

export function describeChanges(changes: Record<string, number>): string {
    const parts = Object.entries(changes).filter(([, n]) => n > 0).map(([k, n]) => `${k} ${n}`);
    return parts.length ? parts.join(", ") : "no resources";
}
