import * as fleio from "../../sdk";
import { lifecycle, Step } from "./support/lifecycle";
import { FleioDirect } from "./support/fleio-direct";

// Every resource passes the same steps (support/lifecycle.ts). A case says only how
// to build it for each step and how to look at it, change it and delete it in Fleio.

const client = (name: string, over: Partial<fleio.ResellerArgs> = {}): fleio.ResellerArgs => ({
    firstName: "Lee",
    lastName: name,
    email: `${name.toLowerCase()}@lifecycle.example`,
    phone: "+40 21 000 0000",
    address1: "2 Test Road",
    city: "Bucharest",
    zipCode: "010101",
    country: "RO",
    currency: "EUR",
    ...over,
});

/** A reseller with a live reseller service on the default staff plan: a scope that can own objects. */
function resellerWithService(name: string, staffPlanId: string) {
    const r = new fleio.Reseller(name, client(name));
    const s = new fleio.ResellerService(`${name}-service`, { clientId: r.clientId, productName: "Reseller", cycle: "month", planId: staffPlanId });
    return { clientId: r.clientId, serviceId: s.serviceId, service: s };
}

const directClient = async (f: FleioDirect, name: string, currency = "EUR") =>
    String((await f.ok<{ id: number }>("POST", "clients", { first_name: "Pre", last_name: name, email: `${name}@pre.example`, phone: "1", address1: "x", city: "y", zip_code: "1", country: "RO", currency })).id);

lifecycle({
    kind: "Reseller",
    program(step: Step, { adoptId }) {
        if (step === "absent") return {};
        const over: Partial<fleio.ResellerArgs> = {
            city: step === "initial" ? "Bucharest" : "Cluj-Napoca",
            currency: step === "initial" || step === "updated" ? "EUR" : "USD",
            adopt: step === "adopted" ? adoptId : undefined,
        };
        const r = new fleio.Reseller("target", client("Target", over));
        return { targetId: r.clientId };
    },
    path: (o) => `clients/${o.targetId}`,
    updatedValue: async (f, o) => (await f.ok("GET", `clients/${o.targetId}`)).city,
    expectedUpdate: "Cluj-Napoca",
    drift: (f, o) => f.ok("PATCH", `clients/${o.targetId}`, { city: "Timisoara" }),
    async deleteOutOfBand(f, o) {
        await f.ok("DELETE", `clients/${o.targetId}`);
        for (let i = 0; i < 50 && (await f.exists(`clients/${o.targetId}`)); i++) await new Promise((r) => setTimeout(r, 100));
    },
    createDirect: (f) => directClient(f, "Adoptee", "USD"),
    async gone(f, path, _o, suspending) {
        // Fleio terminates a deleted client in the background, or (its default) keeps it suspended.
        const r = await f.call("GET", path);
        return r.status === 404 || (suspending && (r.body as { status?: string }).status === "suspended");
    },
    keptOnDestroy: /Fleio kept client \d+ .*suspended/,
});

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

lifecycle({
    kind: "FrontendDomain",
    program(step, { staffPlanId, adoptId }) {
        const a = resellerWithService("DomainA", staffPlanId);
        const b = resellerWithService("DomainB", staffPlanId);
        if (step === "absent") return { aClientId: a.clientId, aServiceId: a.serviceId };
        const owner = step === "replaced" ? b : a;
        const d = new fleio.FrontendDomain("target", {
            clientId: owner.clientId,
            serviceId: owner.serviceId,
            domain: step === "initial" ? "panel-one.lifecycle.example" : "panel-two.lifecycle.example",
            adopt: step === "adopted" ? adoptId : undefined,
        });
        return { targetId: d.serviceId, clientId: owner.clientId, url: d.enduserPanelUrl };
    },
    path: (o) => `clients/${o.clientId}/reseller_services`,
    updatedValue: async (f, o) => (await f.liveResellerService(o.clientId))?.url,
    expectedUpdate: "https://panel-two.lifecycle.example/",
    drift: (f, o) => f.ok("POST", `clients/${o.clientId}/update_reseller_enduser_panel_url`, { enduser_panel_url: "https://elsewhere.lifecycle.example/", service: Number(o.targetId) }),
    deleteOutOfBand: (f, o) => f.ok("POST", `clients/${o.clientId}/update_reseller_enduser_panel_url`, { enduser_panel_url: null, service: Number(o.targetId) }),
    async createDirect(f, o) {
        await f.ok("POST", `clients/${o.aClientId}/update_reseller_enduser_panel_url`, { enduser_panel_url: "https://panel-old.lifecycle.example/", service: Number(o.aServiceId) });
        return String(o.aServiceId);
    },
    // The panel is gone when its service no longer has a URL (or the client is gone).
    async gone(f, path) {
        const r = await f.call("GET", path);
        if (r.status === 404) return true;
        return Object.values((r.body as { resources: Record<string, { enduser_panel_url: string | null }> }).resources).every((x) => !x.enduser_panel_url);
    },
    keptOnDestroy: /Fleio kept client \d+/,
});

lifecycle({
    kind: "Configuration",
    program(step, { staffPlanId, adoptId }) {
        const owner = resellerWithService("ConfigOwner", staffPlanId);
        if (step === "absent") return { ownerClientId: owner.clientId };
        const c = new fleio.Configuration(
            "target",
            {
                name: "lifecycle-config",
                description: step === "initial" ? "first" : "second",
                resellerClientId: step === "replaced" || step === "adopted" ? owner.clientId : undefined,
                adopt: step === "adopted" ? adoptId : undefined,
            },
            { dependsOn: [owner.service] },
        );
        return { targetId: c.configurationId, ownerClientId: owner.clientId };
    },
    path: (o) => `configurations/${o.targetId}`,
    updatedValue: async (f, o) => (await f.ok("GET", `configurations/${o.targetId}`)).description,
    expectedUpdate: "second",
    async drift(f, o) {
        const c = await f.ok("GET", `configurations/${o.targetId}`);
        await f.ok("PUT", `configurations/${o.targetId}`, { name: c.name, description: "changed in Fleio", is_default: c.is_default, reseller_resources: c.reseller_resources });
    },
    deleteOutOfBand: (f, o) => f.ok("DELETE", `configurations/${o.targetId}`),
    async createDirect(f, o) {
        const rr = (await f.ok("GET", `clients/${o.ownerClientId}/reseller_services`)) as { resources: Record<string, { id: number }> };
        const scope = Object.values(rr.resources)[0].id;
        return String((await f.ok<{ id: number }>("POST", "configurations", { name: "lifecycle-config", description: "made in Fleio", reseller_resources: scope })).id);
    },
    keptOnDestroy: /Fleio kept client \d+/,
});
