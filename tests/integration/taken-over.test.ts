import * as assert from "node:assert/strict";
import * as fleio from "../../sdk";
import { startEmulator, RunningEmulator } from "../../emulator";
import { engineStack, outputValues } from "../../scripts/engine";
import type { Stack } from "@pulumi/pulumi/automation";
import { FleioDirect } from "./support/fleio-direct";
import { upAsPreviewed } from "./support/preview-matches-up";
import { added, census, Census } from "./support/census";
import { resellerClient } from "./support/onboarding-fixtures";

// A reseller moved from one program to another by hand, not by a fleet: the new stack
// takes the live client and service over by their unique keys (the client's
// externalBillingId, the one reseller service a client may have) before the old stack
// drops them. The old stack's deletes must then let the reseller go, not suspend it.

/** The reseller as one program declares it; each program names its plan its own way. */
const program = (declared: boolean, which: string) => async () => {
    if (!declared) return {};
    const r = new fleio.ResellerOnboarding("moving", {
        client: { ...resellerClient("moving"), externalBillingId: "moving-1" },
        resellerPlan: { name: `Reseller pricing - moving (${which})`, rules: [{ key: "small", displayName: "m1.small per hour", resourceName: "instance", timeUnit: "hour", prices: [{ from: 0, price: "0.02" }] }] },
        service: { productName: "Reseller", cycle: "month" },
        domain: "cloud.moving.example",
    });
    return { clientId: r.clientId, serviceId: r.serviceId, planId: r.resellerPlanId };
};

describe("a reseller another stack has taken over", function () {
    this.timeout(600_000);
    let em: RunningEmulator;
    let f: FleioDirect;
    let baseline: Census;
    let declaredIn: Record<"old" | "new", boolean> = { old: true, new: false };
    const stacks: Partial<Record<"old" | "new", Stack>> = {};

    before(async () => {
        em = await startEmulator({ seed: 43, deleteDelayMs: 20 });
        f = new FleioDirect(em);
        await f.defaultStaffPlanId();
        baseline = await census(f);
        for (const which of ["old", "new"] as const)
            stacks[which] = await engineStack(() => program(declaredIn[which], which)(), { area: "integration", projectName: `taken-over-${which}`, fleioUrl: em.url, fleioToken: em.staffToken, fresh: true });
    });
    after(async () => {
        for (const s of Object.values(stacks)) await s?.destroy({ color: "never" }).catch(() => undefined);
        await em?.close();
    });

    it("is let go by the stack it left, not suspended: its client, service on the new stack's plan and panel stay as the new stack declares", async () => {
        await upAsPreviewed(stacks.old!, { color: "never" });
        // The new stack runs first: it takes the live client and service over.
        declaredIn = { old: false, new: true };
        const out = outputValues((await upAsPreviewed(stacks.new!, { color: "never" })).outputs);
        const removed = await upAsPreviewed(stacks.old!, { color: "never" });
        assert.equal(removed.summary.resourceChanges?.delete, 6, JSON.stringify(removed.summary.resourceChanges));

        const now = added(baseline, await census(f));
        assert.deepEqual(now.clients.map((c) => [c.id, c.status]), [[out.clientId, "active"]], "the one client, active");
        assert.deepEqual(now.services.map((s) => [s.id, s.status, s.plan, s.url]), [[out.serviceId, "active", out.planId, "https://cloud.moving.example/"]], "its service, active on the new stack's plan, with its panel");
        assert.deepEqual(now.plans.map((p) => p.id), [out.planId], "the old stack's plan is gone");
        assert.equal(now.rules.length, 1);

        for (const s of Object.values(stacks)) {
            const calls = await f.apiCalls();
            const p = await s!.preview({ color: "never" });
            assert.deepEqual(Object.entries(p.changeSummary).filter(([k, n]) => k !== "same" && n), [], "preview shows no changes");
            assert.equal((await f.apiCalls()) - calls, 0, "and makes no API calls");
        }
    });
});
