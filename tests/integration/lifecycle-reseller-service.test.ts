import * as fleio from "../../sdk";
import { lifecycle } from "./support/lifecycle";
import { client } from "./support/lifecycle-programs";

// Every resource passes the same steps (support/lifecycle.ts), one file per kind so the
// kinds run side by side. A case says only how to build it for each step and how to
// look at it, change it and delete it in Fleio.

lifecycle({
    kind: "ResellerService",
    program(step, { staffPlanId, adoptId }) {
        const r = new fleio.Reseller("client", client("ServiceOwner"));
        const other = new fleio.OpenstackPlan("other-plan", { name: "Second reseller plan", currency: "EUR" });
        if (step === "absent") return { clientId: r.clientId, staffPlanId };
        const s = new fleio.ResellerService("target", {
            clientId: r.clientId,
            productName: "Reseller",
            cycle: step === "replaced" || step === "adopted" ? "year" : "month",
            planId: step === "initial" ? staffPlanId : other.planId,
            adopt: step === "adopted" ? adoptId : undefined,
        });
        return { targetId: s.serviceId, clientId: r.clientId, otherPlanId: other.planId, staffPlanId };
    },
    path: (o) => `billing/services/${o.targetId}`,
    updatedValue: async (f, o) => String((await f.liveResellerService(o.clientId))?.plan === Number(o.otherPlanId)),
    expectedUpdate: "true",
    drift: (f, o) => f.ok("POST", `clients/${o.clientId}/update_reseller_billing_plan`, { plan: Number(o.staffPlanId), service: Number(o.targetId) }),
    deleteOutOfBand: (f, o) => f.ok("POST", `billing/services/${o.targetId}/terminate`, {}),
    async createDirect(f, o) {
        // The service the "absent" step deleted may be one Fleio kept: end it for real first.
        const kept = await f.liveResellerService(o.clientId);
        if (kept) await f.ok("POST", `billing/services/${kept.id}/terminate`, {});
        const products = await f.ok<{ objects: { id: number; product_type: string }[] }>("GET", "billing/products?page_size=100");
        const product = products.objects.find((p) => p.product_type === "reseller")!;
        // Fleio ignores filtering on cycles: filter the answer here.
        const cycles = await f.ok<{ objects: { id: number; cycle: string; product: number }[] }>("GET", "billing/productcycles?page_size=1000");
        const yearly = cycles.objects.find((c) => c.product === product.id && c.cycle === "year")!;
        await f.ok("POST", `clients/${o.clientId}/create_reseller_service`, { product_id: product.id, product_cycle_id: yearly.id });
        return String((await f.liveResellerService(o.clientId))!.id);
    },
    // A terminated service is no longer a live reseller service of its client; one Fleio
    // keeps suspended (its default) is no longer the stack's.
    async gone(f, path, _o, suspending) {
        const r = await f.call("GET", path);
        const status = (r.body as { status?: string }).status;
        return r.status === 404 || status === "terminated" || (suspending && status === "suspended");
    },
    keptOnDestroy: /Fleio kept reseller service \d+ of client \d+ suspended/,
    replacementRefusedWhenSuspending: /suspend_instead_of_terminate on, so Fleio would keep the old reseller service/,
});
