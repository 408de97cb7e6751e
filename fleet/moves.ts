import type { ResellerFile } from "../sdk/gitops";
import { domainKey } from "../provider/validation/fields";

/**
 * Where the fleet's resellers are now, by the stacks' own state, against where the data
 * files put them. A reseller whose file now shards to another stack (its file was renamed,
 * or --shards changed) must be moved, not deleted in one stack and made again in the
 * other: the new stack would take over the live client and service by their unique keys,
 * and the old stack's delete would then suspend them under it. So the fleet moves the
 * reseller's resources with `pulumi state move` before any stack runs, and a renamed
 * file's component gets its old name as an alias (its children follow by Pulumi's
 * name-prefix rule), so the engine sees the same resources under the new name.
 */

/** A ResellerOnboarding component found in a stack's state. */
export interface StateReseller {
    stack: string;
    /** The component's name: the data file's name when it was last applied. */
    name: string;
    urn: string;
    /** Its Reseller's externalBillingId: a reseller's identity across a renamed file. */
    externalBillingId?: string;
    /** Its FrontendDomain's domain as last applied. */
    domain?: string;
}

export interface Move {
    /** Name in state (old file name) and in the data (new file name); equal unless the file was renamed. */
    oldName: string;
    newName: string;
    from: string;
    to: string;
    /** The component's URN in the source stack: `pulumi state move` carries its children with it. */
    urn: string;
}

export interface MovePlan {
    /** Resellers whose resources go to another stack before the run. */
    moves: Move[];
    /** Per stack: data name → the name its resources have in that stack's state (a renamed file). */
    aliases: Map<string, Map<string, string>>;
}

const COMPONENT = "fleio:index:ResellerOnboarding";

/** The ResellerOnboarding components of one stack's exported state (`stack export`'s deployment). */
export function resellersInState(stack: string, deployment: unknown): StateReseller[] {
    const resources = ((deployment as { resources?: StateResource[] } | undefined)?.resources ?? []).filter((r) => !r.delete);
    const out: StateReseller[] = [];
    for (const c of resources.filter((r) => r.type === COMPONENT)) {
        const child = (kind: string) => resources.find((r) => r.parent === c.urn && r.type.endsWith(`:${kind}`))?.outputs;
        const ext = child("Reseller")?.externalBillingId;
        const domain = child("FrontendDomain")?.domain;
        out.push({
            stack,
            name: c.urn.slice(c.urn.lastIndexOf("::") + 2),
            urn: c.urn,
            externalBillingId: typeof ext === "string" && ext.trim() ? ext.trim() : undefined,
            domain: typeof domain === "string" ? domainKey(domain) : undefined,
        });
    }
    return out;
}

/** A resource of a stack's exported state, as far as the fleet reads it. */
export interface StateResource {
    urn: string;
    type: string;
    parent?: string;
    delete?: boolean;
    outputs?: Record<string, unknown>;
}

/**
 * The moves that make the stacks' state match the data's sharding. A reseller keeps its
 * identity across a renamed file through its externalBillingId (the key Fleio holds
 * unique); a file without one that was renamed is a new reseller, as in one stack.
 * Throws, before anything runs, when the state cannot be read one way: one reseller
 * in the state of two stacks, or two old resellers claiming one file.
 */
export function planMoves(inState: StateReseller[], files: ReadonlyMap<string, ResellerFile>, shardOf: (name: string) => string): MovePlan {
    const problems: string[] = [];
    const byName = new Map<string, StateReseller[]>();
    for (const r of inState) byName.set(r.name, [...(byName.get(r.name) ?? []), r]);
    for (const [name, where] of byName)
        if (where.length > 1) problems.push(`reseller ${name} is in the state of ${where.map((w) => w.stack).join(" and ")}`);

    // A file whose name no stack holds may be a renamed one: found again by its external billing id.
    const newFiles = new Map<string, string>();
    for (const [name, f] of files) {
        const ext = f.client.externalBillingId?.trim();
        if (ext && !byName.has(name)) newFiles.set(ext, name);
    }
    const moves: Move[] = [];
    const aliases = new Map<string, Map<string, string>>();
    const claimed = new Map<string, StateReseller>();
    for (const r of inState) {
        const newName = files.has(r.name) ? r.name : r.externalBillingId ? newFiles.get(r.externalBillingId) : undefined;
        if (!newName) continue; // removed from the data: its own stack deletes it
        const other = claimed.get(newName);
        if (other) {
            problems.push(`${newName}.yaml is both ${other.name} (${other.stack}) and ${r.name} (${r.stack}) by its externalBillingId`);
            continue;
        }
        claimed.set(newName, r);
        const to = shardOf(newName);
        if (to !== r.stack) moves.push({ oldName: r.name, newName, from: r.stack, to, urn: r.urn });
        if (newName !== r.name) {
            const forStack = aliases.get(to) ?? new Map<string, string>();
            forStack.set(newName, r.name);
            aliases.set(to, forStack);
        }
    }
    if (problems.length)
        throw new Error(
            `the fleet's state does not match its data one way: ${problems.join("; ")}. ` +
                "Keep one: `pulumi state delete --stack <stack> <urn> --target-dependents` on the stack that should not hold it (Fleio is not touched), then run again",
        );
    return { moves, aliases };
}

export function describeMove(m: Move): string {
    return `${m.newName}${m.oldName !== m.newName ? ` (was ${m.oldName})` : ""}: ${m.from} → ${m.to}`;
}
