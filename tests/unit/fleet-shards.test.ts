import * as assert from "node:assert/strict";
import { assignShards, shardNames, shardOf, splitBudget } from "../../fleet";

// Which stack a reseller lives in must not change when other resellers come and go:
// a move is a delete in one stack and a create in another.

const resellers = Array.from({ length: 400 }, (_, i) => `reseller-${String(i).padStart(4, "0")}`);

describe("fleet: resellers to stacks", () => {
    const shards = shardNames(8);

    it("names shards in order, and refuses a count that is not a whole number from 1", () => {
        assert.deepEqual(shardNames(3), ["shard-00", "shard-01", "shard-02"]);
        assert.throws(() => shardNames(0), /shards must be a whole number from 1 to 999/);
        assert.throws(() => shardNames(2.5), /shards must be a whole number/);
    });

    it("assigns every reseller to exactly one shard, the same one every time", () => {
        const a = assignShards(resellers, shards);
        assert.equal([...a.values()].reduce((n, l) => n + l.length, 0), resellers.length);
        assert.deepEqual(assignShards([...resellers].reverse(), shards), a, "input order does not matter");
    });

    it("spreads resellers over all shards, none with more than twice its share", () => {
        for (const list of assignShards(resellers, shards).values()) {
            assert.ok(list.length > 0 && list.length <= (2 * resellers.length) / shards.length, `${list.length}`);
        }
    });

    it("adding or removing resellers moves no other reseller", () => {
        const before = new Map(resellers.map((r) => [r, shardOf(r, shards)]));
        const after = assignShards([...resellers.slice(0, 150), ...resellers.slice(151), "newcomer-a", "newcomer-b"], shards);
        for (const [shard, list] of after) for (const r of list) if (before.has(r)) assert.equal(before.get(r), shard, r);
    });

    it("adding a shard moves only resellers to the new shard (about 1 in 9), never between old shards", () => {
        const nine = shardNames(9);
        let moved = 0;
        for (const r of resellers) {
            const now = shardOf(r, nine);
            if (now !== shardOf(r, shards)) {
                assert.equal(now, nine[8], `${r} moved between old shards`);
                moved++;
            }
        }
        assert.ok(moved > 0 && moved < resellers.length / 4, `${moved} moved`);
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
