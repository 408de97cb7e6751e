import * as assert from "node:assert/strict";
import { planMoves, resellersInState, StateReseller } from "../../fleet/moves";
import { stackWaits } from "../../fleet/order";
import { errorGist } from "../../fleet/run";
import { resellerData } from "../../scripts/bench/data";
import type { ResellerFile } from "../../sdk/gitops";

// What the fleet runner reads from the stacks' state before any stack runs: which
// resellers move to another stack, which stacks must wait for others, and how a
// failure reads in the summary.

const files = (...entries: [string, ResellerFile][]) => new Map(entries);
/** Stacks by the first letter of the name: a… in s0, b… in s1. */
const shard = (name: string) => (name.startsWith("a") ? "s0" : "s1");
const held = (stack: string, name: string, data: number, domain = resellerData(data).domain): StateReseller => ({
    stack,
    name,
    urn: `urn:pulumi:${stack}::fleio-fleet::fleio:index:ResellerOnboarding::${name}`,
    externalBillingId: resellerData(data).client.externalBillingId,
    domain,
});

describe("fleet: moves and waits between stacks", () => {
    it("reads each ResellerOnboarding of a stack's state with its externalBillingId and domain", () => {
        const c = "urn:pulumi:s0::p::fleio:index:ResellerOnboarding::a1";
        const deployment = {
            resources: [
                { urn: "urn:pulumi:s0::p::pulumi:pulumi:Stack::p-s0", type: "pulumi:pulumi:Stack" },
                { urn: c, type: "fleio:index:ResellerOnboarding" },
                { urn: `${c}-client`, type: "pulumi-nodejs:dynamic/fleio:Reseller", parent: c, outputs: { externalBillingId: "bench-7" } },
                { urn: `${c}-domain`, type: "pulumi-nodejs:dynamic/fleio:FrontendDomain", parent: c, outputs: { domain: "Cloud.Example." } },
            ],
        };
        assert.deepEqual(resellersInState("s0", deployment), [{ stack: "s0", name: "a1", urn: c, externalBillingId: "bench-7", domain: "cloud.example" }]);
        assert.deepEqual(resellersInState("s0", {}), [], "a stack with no resources");
    });

    it("a file renamed into another stack is a move under an alias; one renamed within its stack is an alias only; the rest stay", () => {
        const state = [held("s0", "a1", 1), held("s1", "b2", 2), held("s0", "a3", 3)];
        const plan = planMoves(state, files(["b1", resellerData(1)], ["a2", resellerData(2)], ["a3", resellerData(3)]), shard);
        assert.deepEqual(
            plan.moves.map((m) => [m.oldName, m.newName, m.from, m.to]),
            [["a1", "b1", "s0", "s1"], ["b2", "a2", "s1", "s0"]],
        );
        assert.deepEqual([...plan.aliases].map(([s, m]) => [s, [...m]]), [["s1", [["b1", "a1"]]], ["s0", [["a2", "b2"]]]]);
        const within = planMoves([held("s0", "a1", 1)], files(["a9", resellerData(1)]), shard);
        assert.deepEqual([within.moves, [...within.aliases.get("s0")!]], [[], [["a9", "a1"]]]);
    });

    it("a renamed file without externalBillingId is a new reseller, and a removed one is no move", () => {
        const plain = { ...resellerData(1), client: { ...resellerData(1).client, externalBillingId: undefined } } as unknown as ResellerFile;
        const plan = planMoves([{ ...held("s0", "a1", 1), externalBillingId: undefined }, held("s0", "a2", 2)], files(["b1", plain]), shard);
        assert.deepEqual([plan.moves, plan.aliases.size], [[], 0]);
    });

    it("one reseller in the state of two stacks is refused before anything runs, naming both and the fix", () => {
        assert.throws(() => planMoves([held("s0", "a1", 1), held("s1", "a1", 1)], files(["a1", resellerData(1)]), shard), /reseller a1 is in the state of s0 and s1.*pulumi state delete/);
    });

    it("the stack taking a domain another stack lets go of waits for it, after moves and renames", () => {
        const state = [held("s0", "a1", 1, "one.example"), held("s1", "b2", 2, "two.example")];
        const data = files(["a1", { ...resellerData(1), domain: "three.example" }], ["b2", { ...resellerData(2), domain: "one.example" }]);
        assert.deepEqual([...stackWaits(state, planMoves(state, data, shard), data, shard)].map(([s, w]) => [s, [...w]]), [["s1", ["s0"]]]);
        // Nothing changes hands: no waits.
        const same = files(["a1", { ...resellerData(1), domain: "one.example" }], ["b2", { ...resellerData(2), domain: "two.example" }]);
        assert.equal(stackWaits(state, planMoves(state, same, shard), same, shard).size, 0);
        // Reseller 1's file renamed into s1 takes its own domain along: no wait.
        const moved = files(["b1", { ...resellerData(1), domain: "one.example" }], ["b2", { ...resellerData(2), domain: "two.example" }]);
        assert.equal(stackWaits(state, planMoves(state, moved, shard), moved, shard).size, 0);
    });

    it("two stacks swapping domains are refused before anything runs: no order applies it in one run", () => {
        const state = [held("s0", "a1", 1, "one.example"), held("s1", "b2", 2, "two.example")];
        const swap = files(["a1", { ...resellerData(1), domain: "two.example" }], ["b2", { ...resellerData(2), domain: "one.example" }]);
        assert.throws(() => stackWaits(state, planMoves(state, swap, shard), swap, shard), /s\d \(.* takes .* from .*\) waits for s\d .*Split it in two merges/);
    });

    it("a failed stack's summary gives Pulumi's reason first, never the command line or the token", () => {
        const message = [
            "code: 255",
            " stdout: Updating (shard-00):",
            "    pulumi:pulumi:Stack fleio-fleet-shard-00 running",
            " ~  pulumi-nodejs:dynamic/fleio:FrontendDomain r1-domain updating (0s) [diff: ~domain]; error: cloud.x is already the end-user panel of reseller client 7",
            "    pulumi:pulumi:Stack fleio-fleet-shard-00 running error: update failed",
            "Diagnostics:",
            "  pulumi-nodejs:dynamic/fleio:FrontendDomain (r1-domain):",
            "    error: cloud.x is already the end-user panel of reseller client 7 (token SECRET)",
            "  pulumi:pulumi:Stack (fleio-fleet-shard-00):",
            "    error: update failed",
            " stderr: ",
            " err?: Error: Command failed with exit code 255: pulumi up --yes --skip-preview --client=127.0.0.1:40111 --exec-kind auto.inline --stack shard-00",
        ].join("\n");
        const gist = errorGist(message, "SECRET");
        assert.equal(gist, "r1-domain: error: cloud.x is already the end-user panel of reseller client 7 (token [redacted])");
        const locked = errorGist(" stderr: error: the stack is currently locked by 1 lock(s). Either wait for the other process(es) to end or delete the lock file with `pulumi cancel`.\n err?: Error: Command failed with exit code 255: pulumi up --client=127.0.0.1:1", "tok3n");
        assert.match(locked, /^error: the stack is currently locked/);
        assert.equal(errorGist("error: update failed\n err?: Error: Command failed with exit code 255: pulumi up --client=1", "tok3n"), "error: update failed");
    });
});
