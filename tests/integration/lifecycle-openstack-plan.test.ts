import * as fleio from "../../sdk";
import { lifecycle } from "./support/lifecycle";
import { resellerWithService } from "./support/lifecycle-programs";

// Every resource passes the same steps (support/lifecycle.ts), one file per kind so the
// kinds run side by side. A case says only how to build it for each step and how to
// look at it, change it and delete it in Fleio.

lifecycle({
    kind: "OpenstackPlan",
    program(step, { staffPlanId, adoptId }) {
        const owner = resellerWithService("PlanOwner", staffPlanId);
        if (step === "absent") return { ownerClientId: owner.clientId, staffPlanId };
        const p = new fleio.OpenstackPlan(
            "target",
            {
                name: step === "initial" ? "Lifecycle plan" : "Lifecycle plan (renamed)",
                currency: "EUR",
                resellerClientId: step === "replaced" || step === "adopted" ? owner.clientId : undefined,
                // Fleio refuses to save a plan while its scope has no default plan, and a
                // reseller's scope starts with none: its first plan is its default.
                isDefault: step === "replaced" || step === "adopted",
                adopt: step === "adopted" ? adoptId : undefined,
            },
            { dependsOn: [owner.service] },
        );
        return { targetId: p.planId, ownerClientId: owner.clientId, staffPlanId };
    },
    path: (o) => `openstack/billing/plan/${o.targetId}`,
    updatedValue: async (f, o) => (await f.ok("GET", `openstack/billing/plan/${o.targetId}`)).name,
    expectedUpdate: "Lifecycle plan (renamed)",
    async drift(f, o) {
        const p = await f.ok("GET", `openstack/billing/plan/${o.targetId}`);
        await f.ok("PUT", `openstack/billing/plan/${o.targetId}`, { name: "Renamed in Fleio", currency: p.currency, is_default: p.is_default });
    },
    deleteOutOfBand: async (f, o) => {
        await f.ok("DELETE", `openstack/billing/plan/${o.targetId}?plan_to_migrate=${o.staffPlanId}`);
    },
    async createDirect(f, o) {
        const rr = (await f.ok("GET", `clients/${o.ownerClientId}/reseller_services`)) as { resources: Record<string, { id: number }> };
        const scope = Object.values(rr.resources)[0].id;
        return String((await f.ok<{ id: number }>("POST", "openstack/billing/plan", { name: "Made in Fleio", currency: "EUR", is_default: true, reseller_resources: scope })).id);
    },
    keptOnDestroy: /Fleio kept client \d+/,
});
