import * as assert from "node:assert/strict";
import { assignShards, fleetShards, shardCapacity, shardLookup, shardNames, shardOf, splitBudget, stackSizeFromCurve, STACK_SIZE_CURVE } from "../../fleet";

// Which stack a reseller lives in should change only when its own file or the shard
// count changes: a move is a `pulumi state move` before the run. Balance (a matrix's
// wall time is its largest shard) costs a few bounded exceptions, measured here.

const resellers = Array.from({ length: 400 }, (_, i) => `reseller-${String(i).padStart(4, "0")}`);

describe("fleet: resellers to stacks", function () {
    // Hundreds of placements of hundreds of names: slow on a loaded machine, not a timing.
    this.timeout(60_000);
    const shards = shardNames(8);
    const of = (names: string[], list = shards) => shardLookup(assignShards(names, list));
    const two00 = resellers.slice(0, 200);
    /** The resellers of `common` whose shard differs between two placements. */
    const movedBetween = (common: string[], a: (r: string) => string, b: (r: string) => string) => common.filter((r) => a(r) !== b(r));

    it("names shards in order, and refuses a count that is not a whole number from 1", () => {
        assert.deepEqual(shardNames(3), ["shard-00", "shard-01", "shard-02"]);
        assert.throws(() => shardNames(0), /shards must be a whole number from 1 to 999/);
        assert.throws(() => shardNames(2.5), /shards must be a whole number/);
    });

    it("assigns every reseller to exactly one shard, the same one every time, whatever order the files are read in", () => {
        const a = assignShards(resellers, shards);
        assert.equal([...a.values()].reduce((n, l) => n + l.length, 0), resellers.length);
        assert.equal(new Set([...a.values()].flat()).size, resellers.length);
        assert.deepEqual(assignShards([...resellers].reverse(), shards), a, "input order does not matter");
        assert.throws(() => of(two00)("not-a-file"), /reseller not-a-file is not among the fleet's files/);
    });

    it("balances the shards: none holds more than about 10% over an even share (plain rendezvous hashing gave 8 shards 16 to 42 of 200)", () => {
        for (const [n, k] of [[200, 8], [400, 8], [1000, 40], [1000, 8], [50, 4], [25, 2]]) {
            const names = Array.from({ length: n }, (_, i) => `reseller-${String(i).padStart(4, "0")}`);
            const sizes = [...assignShards(names, shardNames(k)).values()].map((l) => l.length);
            const cap = Math.max(Math.floor((n / k) * 1.1), Math.ceil(n / k) + 1);
            assert.equal(shardCapacity(n, k), cap);
            assert.ok(Math.max(...sizes) <= cap, `${n} over ${k}: ${sizes.join(",")} (cap ${cap})`);
            if (n / k >= 20) assert.ok(Math.max(...sizes) <= (n / k) * 1.1, `${n} over ${k}: ${sizes.join(",")}`);
        }
        // The preference alone is as uneven as chance: the cap is what evens it out.
        const byPreference = new Map<string, number>();
        for (const r of two00) byPreference.set(shardOf(r, shards), (byPreference.get(shardOf(r, shards)) ?? 0) + 1);
        assert.ok(Math.max(...byPreference.values()) > shardCapacity(200, 8), "200 by preference alone overfill some shard");
    });

    it("a small fleet is placed by preference alone: each reseller in its first-choice shard", () => {
        const few = resellers.slice(0, 3);
        for (const r of few) assert.equal(of(few, shardNames(2))(r), shardOf(r, shardNames(2)), r);
    });

    it("adding or removing one file moves at most 2 other resellers, and most changes move none (200 resellers, 8 shards)", () => {
        const before = of(two00);
        let others = 0;
        for (let t = 0; t < 30; t++) {
            const added = of([...two00, `newcomer-${t}`]);
            const removedOne = two00.filter((_, i) => i !== t * 5);
            const removed = of(removedOne);
            const byAdding = movedBetween(two00, before, added);
            const byRemoving = movedBetween(removedOne, before, removed);
            assert.ok(byAdding.length <= 2 && byRemoving.length <= 2, `newcomer-${t}: ${byAdding}; without ${two00[t * 5]}: ${byRemoving}`);
            others += byAdding.length + byRemoving.length;
        }
        assert.ok(others <= 60 * 0.75, `${others} other resellers moved over 60 changes`);
    });

    it("a reseller in its first-choice shard stays there when other files come and go, unless that shard's last place changed hands", () => {
        const before = of(two00);
        const after = of([...two00.slice(0, 150), ...two00.slice(151), "newcomer-a", "newcomer-b"]);
        const stayed = two00.filter((r) => r !== two00[150] && before(r) === shardOf(r, shards));
        assert.ok(movedBetween(stayed, before, after).length <= 2);
    });

    it("adding a shard moves resellers to it, and at most 1 in 50 between old shards", () => {
        const eight = of(two00);
        const nine = shardNames(9);
        const moved = movedBetween(two00, eight, of(two00, nine));
        const toNew = moved.filter((r) => of(two00, nine)(r) === nine[8]);
        assert.equal(toNew.length, assignShards(two00, nine).get(nine[8])!.length, "the new shard holds only resellers that moved there");
        assert.ok(toNew.length > 0 && toNew.length <= shardCapacity(200, 9));
        assert.ok(moved.length - toNew.length <= two00.length / 50, `${moved.length - toNew.length} moved between old shards`);
    });
});

describe("fleet: shard count from the stack-size curve", () => {
    const curve = [
        { size: 10, upSecondsPerReseller: 0.5 },
        { size: 25, upSecondsPerReseller: 0.3 },
        { size: 50, upSecondsPerReseller: 0.32 },
        { size: 100, upSecondsPerReseller: 0.6 },
    ];

    it("takes the largest stack size within 10% of the cheapest per reseller", () => {
        assert.equal(stackSizeFromCurve(curve), 50);
        assert.equal(stackSizeFromCurve(curve.map((p) => (p.size === 50 ? { ...p, upSecondsPerReseller: 0.34 } : p))), 25);
        assert.throws(() => stackSizeFromCurve([]), /the stack-size curve is empty/);
    });

    it("spreads a fleet over enough stacks of that size; an explicit count wins", () => {
        assert.equal(fleetShards(200, undefined, curve), 4);
        assert.equal(fleetShards(201, undefined, curve), 5);
        assert.equal(fleetShards(0, undefined, curve), 1);
        assert.equal(fleetShards(200, 8, curve), 8);
    });

    it("the shipped curve is a measured one, and gives a stack size from it", () => {
        assert.ok(STACK_SIZE_CURVE.length >= 4, "fleet/stack-size.ts holds the bench's curve");
        assert.ok(STACK_SIZE_CURVE.some((p) => p.size === stackSizeFromCurve(STACK_SIZE_CURVE)));
        assert.equal(fleetShards(1000), Math.ceil(1000 / stackSizeFromCurve(STACK_SIZE_CURVE)));
    });
});

describe("fleet: one request budget across the stacks running at once", () => {
    it("splits the budget over the stacks that run at once", () => {
        assert.deepEqual(splitBudget(16, 4, 8), { parallel: 4, perStack: 4 });
        assert.deepEqual(splitBudget(10, 4, 8), { parallel: 4, perStack: 2 }, "rounded down: never more than the budget in flight");
    });

    it("runs fewer stacks at once than asked when there are fewer stacks or less budget", () => {
        assert.deepEqual(splitBudget(8, 4, 2), { parallel: 2, perStack: 4 });
        assert.deepEqual(splitBudget(3, 8, 8), { parallel: 3, perStack: 1 });
    });

    it("keeps each stack within fleio:maxConcurrency's range and refuses a budget below 1", () => {
        assert.deepEqual(splitBudget(500, 2, 2), { parallel: 2, perStack: 64 });
        assert.throws(() => splitBudget(0, 2, 2), /budget must be a whole number of at least 1/);
        assert.throws(() => splitBudget(4, 0, 2), /parallel must be a whole number of at least 1/);
    });
});
