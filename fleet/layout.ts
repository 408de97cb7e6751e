import { CATALOG_STACK } from "./catalog";
import type { Move, MovePlan } from "./moves";
import type { FleetOperation } from "./stack-ops";

/** Which resellers each stack runs, under which names, after which stacks. */
export interface Layout {
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
export function arrange(shards: Map<string, string[]>, plan: MovePlan, op: FleetOperation): Omit<Layout, "waits"> {
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
 * The shards' stacks, and for a destroy of the whole fleet also the shard stacks an
 * earlier shard count left in the backend (the default count follows the data, so a
 * fleet that shrank has stacks beyond it): destroy empties every one.
 */
export function stacksToRun(shards: Map<string, string[]>, existing: Map<string, string>, o: { operation: FleetOperation; only?: string[] }): string[] {
    const names = [...shards.keys()];
    if (o.operation !== "destroy" || o.only?.length) return names;
    return [...names, ...[...existing.keys()].filter((s) => /^shard-\d+$/.test(s) && !shards.has(s)).sort()];
}

/** The shards asked for, or an error naming the ones that do not exist. */
export function onlyShards(all: Map<string, string[]>, only: string[] | undefined): Map<string, string[]> {
    if (!only?.length) return all;
    const unknown = only.filter((n) => !all.has(n));
    if (unknown.length) throw new Error(`no shard ${unknown.join(", ")} among ${all.size} shards (${[...all.keys()].join(", ")}); --shard takes a name of --shards' list, or ${CATALOG_STACK}`);
    return new Map([...all].filter(([n]) => only.includes(n)));
}
