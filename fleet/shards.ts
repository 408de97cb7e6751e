import { createHash } from "node:crypto";

/**
 * Which stack a reseller lives in: rendezvous (highest-random-weight) hashing with
 * bounded loads.
 *
 * Each reseller ranks the shards by a hash of (shard, reseller) and prefers the first.
 * Plain rendezvous hashing leaves the shards as uneven as chance makes them (8 shards
 * of 200 resellers held 16 to 42), and a matrix's wall time is its largest shard. So
 * each shard takes at most {@link shardCapacity} resellers: the resellers are placed one
 * by one in a stable order (by a hash of the name), each in the first shard of its own
 * ranking that still has room.
 *
 * What stays put, precisely:
 * - The placement is a function of the set of file names and the shard count only
 *   (not of the order they are read in, the files' contents or the state), so every job
 *   of a matrix computes the same one from the same checkout.
 * - A reseller whose preferred shard has room stays there whatever other files do.
 *   Adding or removing a file moves, besides that file's reseller, only resellers that
 *   were bumped to (or back from) a later choice because a full shard's last place
 *   changed hands; the unit test measures that as at most 2 per file at 200 resellers.
 *   A move is a `pulumi state move` (fleet/moves.ts), not a delete and create.
 * - More shards: the resellers the new shards win move to them; a full old shard that
 *   now has less room (the cap follows the even share) passes its last-placed resellers
 *   on to their next choice. The unit test bounds those at 1 in 50.
 */
export function shardNames(count: number): string[] {
    if (!Number.isInteger(count) || count < 1 || count > 999) throw new Error(`shards must be a whole number from 1 to 999 (got ${count})`);
    return Array.from({ length: count }, (_, i) => `shard-${String(i).padStart(count > 100 ? 3 : 2, "0")}`);
}

/**
 * The most resellers one shard holds: about 10% over an even share, and at least one
 * more than it, so a small fleet is placed by preference alone.
 */
export function shardCapacity(resellers: number, shards: number): number {
    const even = resellers / shards;
    return Math.max(Math.floor(even * 1.1), Math.ceil(even) + 1);
}

const weight = (text: string) => BigInt(`0x${createHash("sha256").update(text).digest("hex").slice(0, 16)}`);

/** The shards in the order this reseller prefers them. */
export function shardPreference(reseller: string, shards: readonly string[]): string[] {
    const ranked = shards.map((shard) => ({ shard, w: weight(`${shard}\0${reseller}`) }));
    ranked.sort((a, b) => (a.w === b.w ? a.shard.localeCompare(b.shard) : a.w > b.w ? -1 : 1));
    return ranked.map((r) => r.shard);
}

/** The shard a reseller goes to when it has room (its first choice). */
export function shardOf(reseller: string, shards: readonly string[]): string {
    return shardPreference(reseller, shards)[0];
}

/** Every shard with the resellers assigned to it (possibly none), in shard order; names sorted. */
export function assignShards(resellers: Iterable<string>, shards: readonly string[]): Map<string, string[]> {
    const names = [...new Set(resellers)];
    const capacity = shardCapacity(names.length, shards.length);
    const order = names.map((name) => ({ name, w: weight(`order\0${name}`) }));
    order.sort((a, b) => (a.w === b.w ? a.name.localeCompare(b.name) : a.w < b.w ? -1 : 1));
    const out = new Map<string, string[]>(shards.map((s) => [s, []]));
    for (const { name } of order) {
        const shard = shardPreference(name, shards).find((s) => out.get(s)!.length < capacity)!;
        out.get(shard)!.push(name);
    }
    for (const list of out.values()) list.sort();
    return out;
}

/** reseller → its shard, from {@link assignShards}'s answer. */
export function shardLookup(assigned: ReadonlyMap<string, readonly string[]>): (reseller: string) => string {
    const of = new Map<string, string>();
    for (const [shard, list] of assigned) for (const r of list) of.set(r, shard);
    return (reseller) => {
        const shard = of.get(reseller);
        if (!shard) throw new Error(`reseller ${reseller} is not among the fleet's files`);
        return shard;
    };
}
