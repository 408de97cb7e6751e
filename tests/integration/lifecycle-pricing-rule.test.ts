import * as fleio from "../../sdk";
import { lifecycle } from "./support/lifecycle";

// Every resource passes the same steps (support/lifecycle.ts), one file per kind so the
// kinds run side by side. A case says only how to build it for each step and how to
// look at it, change it and delete it in Fleio.

lifecycle({
    kind: "PricingRule",
    program(step, { staffPlanId, adoptId }) {
        void staffPlanId;
        const plan = new fleio.OpenstackPlan("plan", { name: "Rules plan", currency: "EUR" });
        if (step === "absent") return { planId: plan.planId };
        const r = new fleio.PricingRule("target", {
            planId: plan.planId,
            displayName: "Lifecycle rule",
            resourceName: step === "replaced" || step === "adopted" ? "volume" : "instance",
            timeUnit: "h",
            prices: [{ from: 0, price: step === "initial" ? 0.01 : "0.0200" }],
            adopt: step === "adopted" ? adoptId : undefined,
        });
        return { targetId: r.ruleId, planId: plan.planId };
    },
    path: (o) => `openstack/billing/pricerule/${o.targetId}`,
    updatedValue: async (f, o) => Number((await f.ok("GET", `openstack/billing/pricerule/${o.targetId}`)).pricing.prices[0].p),
    expectedUpdate: 0.02,
    async drift(f, o) {
        const r = await f.ok("GET", `openstack/billing/pricerule/${o.targetId}`);
        await f.ok("PUT", `openstack/billing/pricerule/${o.targetId}`, { ...r, pricing: { ...r.pricing, prices: [{ f: 0, p: "0.5" }] } });
    },
    deleteOutOfBand: (f, o) => f.ok("DELETE", `openstack/billing/pricerule/${o.targetId}`),
    async createDirect(f, o) {
        const options = await f.ok<{ resources: { id: number; type: string }[] }>("GET", "openstack/billing/pricerule/create_options");
        const volume = options.resources.find((r) => (r as unknown as { name: string }).name.toLowerCase() === "volume")!;
        const body = { display_name: "Lifecycle rule", plan: Number(o.planId), resource: volume.id, priority: 1, pricing: { prices: [{ f: 0, p: "0.9" }], time_unit: "h" } };
        return String((await f.ok<{ id: number }>("POST", "openstack/billing/pricerule", body)).id);
    },
});
