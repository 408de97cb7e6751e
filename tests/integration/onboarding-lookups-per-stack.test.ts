import * as assert from "node:assert/strict";
import type { Stack } from "@pulumi/pulumi/automation";
import { startEmulator, RunningEmulator } from "../../emulator";
import { engineStack, outputValues } from "../../scripts/engine";
import * as fleio from "../../sdk";
import { FleioDirect } from "./support/fleio-direct";
import { upAsPreviewed } from "./support/preview-matches-up";

/** A program that only looks things up: which Fleio answered shows in what it returns. */
const lookupProgram = async () => {
    const plans = await fleio.getPlans();
    const products = await fleio.getResellerProducts();
    return { plans: plans.map((p) => p.name).sort(), products: products.length };
};

async function lookupsSeen(em: RunningEmulator): Promise<number> {
    const log = (await (await fetch(`${em.url}/__emulator/requests`)).json()) as { path: string }[];
    return log.filter((r) => r.path.includes("/openstack/billing/plan") || r.path.includes("/billing/products")).length;
}

describe("lookups belong to the stack they run in (one process, two stacks, two Fleios)", function () {
    this.timeout(300_000);
    const ems: RunningEmulator[] = [];
    const stacks: Stack[] = [];

    before(async () => {
        for (const [n, token] of [
            ["a", "a".repeat(40)],
            ["b", "b".repeat(40)],
        ] as const) {
            const em = await startEmulator({ seed: 31, staffToken: token });
            // A plan only this Fleio has: the program's answer says whose Fleio it asked.
            await new FleioDirect(em).ok("POST", "openstack/billing/plan", { name: `only on ${n}`, currency: "EUR" });
            ems.push(em);
            stacks.push(await engineStack(lookupProgram, { area: "integration", projectName: "lookups-per-stack", stackName: n, fleioUrl: em.url, fleioToken: em.staffToken, fresh: n === "a" }));
        }
    });
    after(async () => {
        for (const em of ems) await em.close();
    });

    const expectOwn = (out: Record<string, any>, n: "a" | "b") => {
        const other = n === "a" ? "b" : "a";
        assert.ok(out.plans.includes(`only on ${n}`), `stack ${n} saw its own Fleio: ${out.plans}`);
        assert.ok(!out.plans.includes(`only on ${other}`), `stack ${n} did not see the other Fleio: ${out.plans}`);
    };

    it("one after the other, each stack asks its own Fleio, with its own token", async () => {
        for (const [i, n] of [[0, "a"], [1, "b"], [0, "a"]] as const) {
            const before = ems.map(lookupsSeen);
            const out = outputValues((await upAsPreviewed(stacks[i])).outputs);
            const after = ems.map(lookupsSeen);
            expectOwn(out, n);
            assert.ok((await after[i]) > (await before[i]), `stack ${n}'s Fleio answered its lookups`);
            assert.equal(await after[1 - i], await before[1 - i], `the other Fleio got none of stack ${n}'s lookups`);
        }
    });

    it("at the same time, each stack still asks its own Fleio", async () => {
        const before = await Promise.all(ems.map(lookupsSeen));
        const [a, b] = await Promise.all(stacks.map((s) => upAsPreviewed(s)));
        expectOwn(outputValues(a.outputs), "a");
        expectOwn(outputValues(b.outputs), "b");
        const after = await Promise.all(ems.map(lookupsSeen));
        // Each program makes the same lookups, so each Fleio saw exactly one program's worth.
        assert.equal(after[0] - before[0], after[1] - before[1]);
        assert.ok(after[0] > before[0]);
    });
});
