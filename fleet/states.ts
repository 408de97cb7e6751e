import type { LocalWorkspace } from "@pulumi/pulumi/automation";
import { repairEmptyAttrs, stackFiles } from "./stack-health";
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
 * Reads every stack's state, for the moves across stacks and the pending creates of this
 * run's own. A stack that cannot be read is named with its files, and stops only itself:
 * another shard's broken stack is that shard's job to repair, never a reason for this
 * job to fail. This run's own stack, when only an empty `.attrs` companion (a kill during
 * a save) is wrong, is repaired and read again.
 */
export async function readStates(ws: LocalWorkspace, existing: Map<string, string>, own: Set<string>, backendUrl: string, projectName: string, token: string): Promise<StackStates> {
    const out: StackStates = { deployments: new Map(), unreadable: new Map(), repaired: [] };
    await Promise.all(
        [...existing].map(async ([name, full]) => {
            const read = async () => (await ws.exportStack(full)).deployment as unknown;
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
    );
    return out;
}
