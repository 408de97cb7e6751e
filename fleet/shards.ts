import { createHash } from "node:crypto";

/**
 * Which stack a reseller lives in. Rendezvous (highest-random-weight) hashing: each
 * reseller goes to the shard whose hash with the reseller's name is highest. The
 * choice depends on that reseller's name and the shard names only, so adding or
 * removing a reseller moves no other reseller; adding a shard moves only the
 * resellers the new shard wins (about 1 in shards+1), and never between old shards.
 * A move would mean deleting in one stack and creating in another, so stability is
 * what matters, not perfect balance.
 */
export function shardNames(count: number): string[] {
    if (!Number.isInteger(count) || count < 1 || count > 999) throw new Error(`shards must be a whole number from 1 to 999 (got ${count})`);
    return Array.from({ length: count }, (_, i) => `shard-${String(i).padStart(count > 100 ? 3 : 2, "0")}`);
}

export function shardOf(reseller: string, shards: readonly string[]): string {
    let best = "";
    let bestWeight = -1n;
    for (const shard of shards) {
        const w = BigInt(`0x${createHash("sha256").update(`${shard}\0${reseller}`).digest("hex").slice(0, 16)}`);
        if (w > bestWeight || (w === bestWeight && shard < best)) [best, bestWeight] = [shard, w];
    }
    return best;
}

/** Every shard with the resellers assigned to it (possibly none), in shard order. */
export function assignShards(resellers: Iterable<string>, shards: readonly string[]): Map<string, string[]> {
    const out = new Map<string, string[]>(shards.map((s) => [s, []]));
    for (const r of resellers) out.get(shardOf(r, shards))!.push(r);
    for (const list of out.values()) list.sort();
    return out;
}
