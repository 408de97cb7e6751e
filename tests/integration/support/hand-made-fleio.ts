import { FleioDirect } from "./fleio-direct";

/** What seedHandMadeFleio made, for the test to check discover against. */
export interface HandMade {
    /** Client ids of resellers a data file can describe whole. */
    describable: number[];
    /** Client ids of the resellers that share one plan. */
    sharingPlan: number[];
    sharedPlanId: number;
    /** The reseller without an end-user panel domain. */
    withoutDomain: number;
    /** A client without a reseller service. */
    plainClient: number;
}

type Page<T> = { objects: T[] };

/**
 * An operator's Fleio set up by hand over the years, made over the raw staff API (as a
 * person in Fleio's UI would, not through the provider): `count` resellers, each with
 * its own staff plan and rules (tiers, conditions, modifiers), an end-user panel URL,
 * most with a configuration of their own and some with their own default end-user plan
 * and its rules; one reseller without a domain; the last two resellers on one shared
 * plan; and an ordinary client without a reseller service.
 */
export async function seedHandMadeFleio(f: FleioDirect, count: number): Promise<HandMade> {
    await f.defaultStaffPlanId();
    const product = (await f.ok<Page<{ id: number; product_type: string; name: string }>>("GET", "billing/products?page_size=100")).objects.find((p) => p.product_type === "reseller")!;
    const cycle = (await f.ok<Page<{ id: number; product: number; cycle: string; cycle_multiplier: number; currency: string }>>("GET", "billing/productcycles?page_size=100")).objects.find(
        (c) => c.product === product.id && c.cycle === "month" && c.cycle_multiplier === 1 && c.currency === "EUR",
    )!;
    const options = await f.ok<{ resources: { id: number; name: string }[] }>("GET", "openstack/billing/pricerule/create_options");
    const resource = (name: string) => options.resources.find((r) => r.name.toLowerCase() === name)!.id;

    const client = (i: number, company?: string) =>
        f.ok<{ id: number }>("POST", "clients", {
            first_name: `Hand${i}`, last_name: "Made", company: company ?? "", email: `hand${i}@reseller.example`, phone: `+49 30 ${1000 + i}`,
            address1: `${i} Old Street`, city: "Berlin", zip_code: "10115", country: "DE", currency: "EUR", create_auto_order_service: false,
        });
    const rules = async (plan: number, i: number) => {
        await f.ok("POST", "openstack/billing/pricerule", {
            display_name: `Small ${i}`, plan, resource: resource("instance"), priority: 1,
            pricing: { prices: [{ f: 0, p: `0.0${(i % 8) + 1}` }], attribute: null, attribute_unit: null, time_unit: "h" },
            conditions: [{ name: "flavor", attribute: "instance_type", attribute_unit: null, operator: "eq", value: "m1.small" }],
            modifiers: [{ name: "region two", attribute: "region", attribute_unit: null, operator: "eq", value: "r2", price: "10", time_unit: "h", price_is_percent: true }],
        });
        await f.ok("POST", "openstack/billing/pricerule", {
            display_name: "Volume GB", plan, resource: resource("volume"), priority: 2,
            pricing: { prices: [{ f: 0, p: "0.1" }, { f: "1000", p: "0.08" }], attribute: "size", attribute_unit: "g", time_unit: "bc" },
            conditions: [], modifiers: [],
        });
    };

    const made: HandMade = { describable: [], sharingPlan: [], sharedPlanId: 0, withoutDomain: 0, plainClient: 0 };
    for (let i = 0; i < count; i++) {
        const c = await client(i, i % 3 === 0 ? `Hand Cloud ${i}` : undefined);
        await f.ok("POST", `clients/${c.id}/create_reseller_service`, { product_id: product.id, product_cycle_id: cycle.id });
        const rs = await f.ok<{ services: { id: number }[]; resources: Record<string, { id: number }> }>("GET", `clients/${c.id}/reseller_services`);
        const service = rs.services[0].id;
        const rr = rs.resources[String(service)].id;
        const shared = i >= count - 2;
        let plan: number;
        if (shared && made.sharedPlanId) plan = made.sharedPlanId;
        else {
            plan = (await f.ok<{ id: number }>("POST", "openstack/billing/plan", { name: shared ? "Shared by hand" : `Reseller ${i} by hand`, currency: "EUR", is_default: false })).id;
            await rules(plan, i);
            if (shared) made.sharedPlanId = plan;
        }
        await f.ok("POST", `clients/${c.id}/update_reseller_billing_plan`, { plan, service });
        if (i === 1) made.withoutDomain = c.id;
        else await f.ok("POST", `clients/${c.id}/update_reseller_enduser_panel_url`, { enduser_panel_url: `https://panel${i}.hand.example/`, service });
        if (i % 2 === 0) await f.ok("POST", "configurations", { name: `hand-${i}`, description: `Reseller ${i}'s customers`, is_default: false, reseller_resources: rr });
        if (i % 4 === 0) {
            const own = (await f.ok<{ id: number }>("POST", "openstack/billing/plan", { name: `Retail ${i}`, currency: "EUR", is_default: true, reseller_resources: rr })).id;
            await rules(own, i + 100);
        }
        (shared ? made.sharingPlan : made.describable).push(c.id);
    }
    made.plainClient = (await client(999)).id;
    return made;
}
