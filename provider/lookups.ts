import type { FleioClient } from "./client/http";

/**
 * Read-only look-ups of existing Fleio objects. Each pages with large pages, so a look-up
 * is one request in the usual case, and filters the answer itself.
 */

export interface ResellerProduct {
    id: string;
    name: string;
    cycles: { id: string; cycle: string; cycleMultiplier: number; currency: string; price?: string }[];
}
export interface BillingResource {
    id: string;
    type: string;
    name: string;
}
export interface Plan {
    id: string;
    name: string;
    currency: string;
    isDefault: boolean;
    resellerResourcesId?: string;
    rules: { id: string; displayName: string; resourceType?: string; resourceName?: string }[];
}
export interface Client {
    id: string;
    name: string;
    email: string;
    externalBillingId?: string;
    currency: string;
}

interface ApiProduct { id: number; name: string; product_type: string }
interface ApiCycle { id: number; product: number; cycle: string; cycle_multiplier: number; currency: string; fixed_price?: string | number }
interface ApiPlan { id: number; name: string; currency: string; is_default: boolean; reseller_resources?: number | null; pricing_rules?: { id: number; display_name: string; resource_type?: string; resource_name?: string }[] }
interface ApiClient { id: number; name?: string; first_name: string; last_name: string; email: string; external_billing_id?: string | null; currency: string }

// Fleio 2019.12 ignores `filtering` on products, cycles, plans and price rules
// (fleio-api.md, Observed): every look-up filters the answer on the objects' own fields.

export async function resellerProducts(api: FleioClient): Promise<ResellerProduct[]> {
    const [products, cycles] = await Promise.all([api.list<ApiProduct>("billing/products"), api.list<ApiCycle>("billing/productcycles")]);
    return products
        .filter((p) => p.product_type === "reseller")
        .map((p) => ({
            id: String(p.id),
            name: p.name,
            cycles: cycles
                .filter((c) => c.product === p.id)
                .map((c) => ({
                    id: String(c.id),
                    cycle: c.cycle,
                    cycleMultiplier: c.cycle_multiplier,
                    currency: c.currency,
                    price: c.fixed_price === undefined ? undefined : String(c.fixed_price),
                })),
        }));
}

export async function billingResources(api: FleioClient, type?: string): Promise<BillingResource[]> {
    const options = await api.get<{ resources: { id: number; type: string; name: string }[] }>("openstack/billing/pricerule/create_options");
    return options.resources.filter((r) => !type || r.type === type).map((r) => ({ id: String(r.id), type: r.type, name: r.name }));
}

export async function plans(api: FleioClient, q: { name?: string; resellerResourcesId?: string | null } = {}): Promise<Plan[]> {
    const found = await api.list<ApiPlan>("openstack/billing/plan", { search: q.name });
    return found
        .filter((p) => !q.name || p.name === q.name)
        .filter((p) => q.resellerResourcesId === undefined || String(p.reseller_resources ?? null) === String(q.resellerResourcesId ?? null))
        .map((p) => ({
            id: String(p.id),
            name: p.name,
            currency: p.currency,
            isDefault: p.is_default,
            resellerResourcesId: p.reseller_resources === null || p.reseller_resources === undefined ? undefined : String(p.reseller_resources),
            rules: (p.pricing_rules ?? []).map((r) => ({ id: String(r.id), displayName: r.display_name, resourceType: r.resource_type, resourceName: r.resource_name })),
        }));
}

export async function clients(api: FleioClient, q: { externalBillingId?: string; email?: string; name?: string }): Promise<Client[]> {
    const query = q.externalBillingId ? { external_billing_id: q.externalBillingId } : { search: q.email ?? q.name };
    const found = await api.list<ApiClient>("clients", query);
    return found
        .map((c) => ({ id: String(c.id), name: c.name ?? `${c.first_name} ${c.last_name}`, email: c.email, externalBillingId: c.external_billing_id ?? undefined, currency: c.currency }))
        .filter((c) => (!q.externalBillingId || c.externalBillingId === q.externalBillingId) && (!q.email || c.email === q.email) && (!q.name || c.name === q.name));
}

export async function currencies(api: FleioClient): Promise<string[]> {
    const options = await api.get<{ currencies: (string | { code: string })[] }>("openstack/billing/plan/create_options");
    return options.currencies.map((c) => (typeof c === "string" ? c : c.code));
}

/** A plan's pricing rules in full (tiers, units, conditions, modifiers), for templates. */
export async function planRules(api: FleioClient, planId: string): Promise<unknown[]> {
    return (await api.list<{ plan: number | string }>("openstack/billing/pricerule")).filter((r) => String(r.plan) === planId);
}
