import { FleioDirect } from "./fleio-direct";

/** What seedSharedPlansFleio made, for the test to check discover against. */
export interface SharedPlansFleio {
    /** Every reseller's client id. */
    resellers: number[];
    /** Shared plan name → its id and the client ids on it. */
    shared: Record<"Gold" | "Silver", { id: number; clients: number[] }>;
    /** Resellers on a plan of their own. */
    ownPlan: number[];
    /** Resellers left on the staff default plan (the one Fleio made on demand, or the operator's). */
    onDefault: number[];
    defaultPlanId: number;
    withoutDomain: number[];
    withoutConfiguration: number[];
    /** The reseller with two configurations of its own. */
    twoConfigurations: number;
    /** The reseller with two end-user plans. */
    twoEndUserPlans: number;
    /** Objects outside any reseller: a staff plan no reseller is on, a staff configuration, a client without reseller service. */
    unusedStaffPlan: number;
    staffConfiguration: number;
    plainClient: number;
}

type Page<T> = { objects: T[] };

/**
 * An operator's Fleio that followed Fleio's reseller guide, made over the raw staff API
 * as a person in Fleio's UI would (not through the provider): two shared reseller plans,
 * Gold and Silver, pricing most of `count` resellers, with rules of every shape Fleio's
 * serializers accept that this test cares for (tiers with an attribute, tiers without
 * one, a condition with a percentage modifier); some resellers on plans of their own,
 * some left on the staff default plan; most with a panel URL, some without; a few with
 * a configuration, one with two; a few with end-user plans, one with two; and outside
 * any reseller a staff plan, a staff configuration and an ordinary client.
 * `defaultStaffPlan`: the operator made a default staff plan (with a rule) first;
 * otherwise Fleio makes one named "default" on demand with the first reseller service.
 */
export async function seedSharedPlansFleio(f: FleioDirect, count: number, opts: { defaultStaffPlan: boolean }): Promise<SharedPlansFleio> {
    const product = (await f.ok<Page<{ id: number; product_type: string }>>("GET", "billing/products?page_size=100")).objects.find((p) => p.product_type === "reseller")!;
    const cycle = (await f.ok<Page<{ id: number; product: number; cycle: string; cycle_multiplier: number; currency: string }>>("GET", "billing/productcycles?page_size=100")).objects.find(
        (c) => c.product === product.id && c.cycle === "month" && c.cycle_multiplier === 1 && c.currency === "EUR",
    )!;
    const options = await f.ok<{ resources: { id: number; name: string }[] }>("GET", "openstack/billing/pricerule/create_options");
    const resource = (name: string) => options.resources.find((r) => r.name.toLowerCase() === name)!.id;
    const plan = async (name: string, extra: Record<string, unknown> = {}) => (await f.ok<{ id: number }>("POST", "openstack/billing/plan", { name, currency: "EUR", is_default: false, ...extra })).id;
    const rule = (planId: number, display_name: string, resourceName: string, pricing: Record<string, unknown>, more: Record<string, unknown> = {}) =>
        f.ok("POST", "openstack/billing/pricerule", { display_name, plan: planId, resource: resource(resourceName), priority: 1, pricing, conditions: [], modifiers: [], ...more });
    const rulesOf = async (planId: number, scale: string) => {
        // Instance hours in tiers, measured on no attribute (Fleio's PricingSerializer lets attribute be null).
        await rule(planId, "Instance hours", "instance", { prices: [{ f: 0, p: `0.02${scale}` }, { f: 720, p: `0.015${scale}` }], attribute: null, attribute_unit: null, time_unit: "h" });
        await rule(planId, "Volume GB", "volume", { prices: [{ f: 0, p: `0.1${scale}` }, { f: "1000", p: `0.08${scale}` }], attribute: "size", attribute_unit: "g", time_unit: "bc" }, { priority: 2 });
        await rule(planId, "m1.small", "instance", { prices: [{ f: 0, p: `0.05${scale}` }], attribute: null, attribute_unit: null, time_unit: "h" }, {
            priority: 3,
            conditions: [{ name: "flavor", attribute: "instance_type", attribute_unit: null, operator: "eq", value: "m1.small" }],
            modifiers: [{ name: "region two", attribute: "region", attribute_unit: null, operator: "eq", value: "r2", price: "10", time_unit: "h", price_is_percent: true }],
        });
    };

    let standard = 0;
    if (opts.defaultStaffPlan) {
        standard = await plan("Standard", { is_default: true });
        await rule(standard, "Instance hours", "instance", { prices: [{ f: 0, p: "0.03" }], attribute: null, attribute_unit: null, time_unit: "h" });
    }
    const made: SharedPlansFleio = {
        resellers: [], shared: { Gold: { id: 0, clients: [] }, Silver: { id: 0, clients: [] } }, ownPlan: [], onDefault: [], defaultPlanId: standard,
        withoutDomain: [], withoutConfiguration: [], twoConfigurations: 0, twoEndUserPlans: 0, unusedStaffPlan: 0, staffConfiguration: 0, plainClient: 0,
    };
    for (let i = 0; i < count; i++) {
        const c = await f.ok<{ id: number }>("POST", "clients", {
            first_name: `Res${i}`, last_name: "Eller", company: i % 3 === 0 ? `Cloud ${i} GmbH` : "", email: `res${i}@resellers.example`, phone: `+49 30 ${1000 + i}`,
            address1: `${i} Shared Street`, city: "Berlin", zip_code: "10115", country: "DE", currency: "EUR", create_auto_order_service: false,
        });
        await f.ok("POST", `clients/${c.id}/create_reseller_service`, { product_id: product.id, product_cycle_id: cycle.id });
        const rs = await f.ok<{ services: { id: number }[]; resources: Record<string, { id: number; plan: { id: number } }> }>("GET", `clients/${c.id}/reseller_services`);
        const service = rs.services[0].id;
        const rr = rs.resources[String(service)];
        if (!made.defaultPlanId) made.defaultPlanId = rr.plan.id;
        // The shared plans come after the first reseller service: with none of its own, Fleio made its "default" staff plan for it.
        if (!made.shared.Gold.id) {
            made.shared.Gold.id = await plan("Gold");
            await rulesOf(made.shared.Gold.id, "1");
            made.shared.Silver.id = await plan("Silver");
            await rulesOf(made.shared.Silver.id, "2");
        }
        made.resellers.push(c.id);
        // Most on the two shared plans; every tenth on a plan of its own; every twentieth stays on the staff default plan.
        const k = i % 20;
        if (k === 19) made.onDefault.push(c.id);
        else if (k === 9 || k === 18) {
            const own = await plan(`Reseller ${i} pricing`);
            await rule(own, "Instance hours", "instance", { prices: [{ f: 0, p: `0.0${(i % 8) + 1}` }], attribute: null, attribute_unit: null, time_unit: "h" });
            await f.ok("POST", `clients/${c.id}/update_reseller_billing_plan`, { plan: own, service });
            made.ownPlan.push(c.id);
        } else {
            const which = k % 3 === 2 ? "Silver" : "Gold";
            await f.ok("POST", `clients/${c.id}/update_reseller_billing_plan`, { plan: made.shared[which].id, service });
            made.shared[which].clients.push(c.id);
        }
        if (i % 7 === 3) made.withoutDomain.push(c.id);
        else await f.ok("POST", `clients/${c.id}/update_reseller_enduser_panel_url`, { enduser_panel_url: `https://panel${i}.resellers.example/`, service });
        if (i === 1) {
            made.twoConfigurations = c.id;
            for (const name of ["eu", "us"]) await f.ok("POST", "configurations", { name, description: `Reseller ${i}'s ${name} customers`, is_default: false, reseller_resources: rr.id });
        } else if (i % 6 === 0) await f.ok("POST", "configurations", { name: `res-${i}`, description: "", is_default: false, reseller_resources: rr.id });
        else made.withoutConfiguration.push(c.id);
        if (i === 2 || i % 25 === 0) {
            const retail = (await f.ok<{ id: number }>("POST", "openstack/billing/plan", { name: `Retail ${i}`, currency: "EUR", is_default: true, reseller_resources: rr.id })).id;
            await rule(retail, "Instance hours", "instance", { prices: [{ f: 0, p: "0.04" }, { f: 100, p: "0.035" }], attribute: null, attribute_unit: null, time_unit: "h" });
            if (i === 2) {
                made.twoEndUserPlans = c.id;
                await f.ok("POST", "openstack/billing/plan", { name: `Retail ${i} (no rules yet)`, currency: "EUR", is_default: false, reseller_resources: rr.id });
            }
        }
    }
    made.unusedStaffPlan = await plan("Unused legacy");
    made.staffConfiguration = (await f.ok<{ id: number }>("POST", "configurations", { name: "staff-extra", description: "", is_default: false })).id;
    made.plainClient = (
        await f.ok<{ id: number }>("POST", "clients", {
            first_name: "Plain", last_name: "Client", email: "plain@customers.example", phone: "1", address1: "1 Street", city: "Berlin", zip_code: "10115", country: "DE", currency: "EUR",
        })
    ).id;
    return made;
}
