import * as fs from "node:fs";
import * as path from "node:path";
import * as zlib from "node:zlib";
import pLimit from "p-limit";
import type { LocalWorkspace } from "@pulumi/pulumi/automation";
import { fileBackendStacks, repairEmptyAttrs, stackFiles } from "./stack-health";
import { errorGist } from "./errors";

export interface StackStates {
    /** stack short name → deployment (`stack export`'s), for every stack that could be read. */
    deployments: Map<string, unknown>;
    /** stack short name → why it could not be read (naming its files). */
    unreadable: Map<string, string>;
    /** What was repaired on the way (this run's own stacks only). */
    repaired: string[];
}

/**
 * `pulumi stack export` calls at once on a backend the fleet cannot read itself (each is
 * a CLI process loading the whole stack): every job reads every stack of the fleet, and
 * 40 at once on 2 cores cost a 1,000-reseller matrix job more than its own `up`.
 */
const EXPORTS_AT_ONCE = 4;

/**
 * Reads every stack's state, for the moves across stacks and the pending creates of this
 * run's own. A stack that cannot be read is named with its files, and stops only itself:
 * another shard's broken stack is that shard's job to repair, never a reason for this
 * job to fail. This run's own stack, when only an empty `.attrs` companion (a kill during
 * a save) is wrong, is repaired and read again.
 *
 * On a file backend the stack files are read directly (fleet/stack-health.ts): one CLI
 * process per stack per job was the largest fixed cost of a matrix job after its own
 * `up`. Secret values stay encrypted there, and the fleet reads none of them.
 */
export async function readStates(ws: LocalWorkspace, existing: Map<string, string>, own: Set<string>, backendUrl: string, projectName: string, token: string): Promise<StackStates> {
    const out: StackStates = { deployments: new Map(), unreadable: new Map(), repaired: [] };
    const stacksDir = fileBackendStacks(backendUrl, projectName);
    const limit = pLimit(stacksDir ? Infinity : EXPORTS_AT_ONCE);
    await Promise.all(
        [...existing].map(([name, full]) =>
            limit(async () => {
                const read = async () => (stacksDir ? readStackFile(stacksDir, name) : ((await ws.exportStack(full)).deployment as unknown));
                try {
                    out.deployments.set(name, await read());
                    return;
                } catch (e) {
                    const why = errorGist(e instanceof Error ? e.message : String(e), token);
                    const repaired = own.has(name) ? repairEmptyAttrs(backendUrl, projectName, name) : [];
                    if (repaired.length) {
                        try {
                            out.deployments.set(name, await read());
                            out.repaired.push(`${name}: removed ${repaired.join(", ")}, an empty file a kill during a state save left (${why}); the stack's last whole save is read`);
                            return;
                        } catch {
                            // Still unreadable: reported below, with what was tried.
                        }
                    }
                    const files = stackFiles(backendUrl, projectName, name);
                    out.unreadable.set(name, `stack ${name} cannot be read (${why})${files.length ? `; its files: ${files.join(", ")}` : ""}`);
                }
            }),
        ),
    );
    return out;
}

/**
 * A stack's deployment from its file in a file backend, failing where the CLI would: the
 * CLI reads the `.attrs` companion with the stack and stops at an empty one (`EOF`).
 */
export function readStackFile(stacksDir: string, stack: string): unknown {
    const plain = path.join(stacksDir, `${stack}.json`);
    const file = fs.existsSync(plain) ? plain : `${plain}.gz`;
    const attrs = `${file}.attrs`;
    if (fs.existsSync(attrs) && fs.statSync(attrs).size === 0) throw new Error(`EOF: ${path.basename(attrs)} is empty`);
    const raw = fs.readFileSync(file);
    const text = file.endsWith(".gz") ? zlib.gunzipSync(raw).toString("utf8") : raw.toString("utf8");
    const checkpoint = (JSON.parse(text) as { checkpoint?: { latest?: unknown } }).checkpoint;
    if (!checkpoint || typeof checkpoint !== "object") throw new Error(`${path.basename(file)} holds no checkpoint`);
    return checkpoint.latest ?? {};
}
