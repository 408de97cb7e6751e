import { FleioClient } from "../../provider/client/http";
import { resolveSettings } from "../../provider/config";
import { ResellerFile } from "../../sdk/gitops";

/**
 * The physical limit the engine is measured against: the fewest Fleio calls that make
 * (and remove) the same objects ResellerOnboarding makes for a reseller, sent by the
 * same HTTP client with the same cap on requests in flight, every independent call
 * started as soon as what it needs exists.
 *
 * Per reseller, up: client POST · plan POST · one POST per rule · create_reseller_service
 * · reseller_services GET (its answer is the only way to learn the service id) ·
 * update_reseller_billing_plan · update_reseller_enduser_panel_url · configuration POST.
 * Destroy: configuration DELETE · service terminate · the (kept, suspended) service moved to
 * the default plan · plan DELETE (migrating to the
 * default plan; its rules go with it) · client DELETE. Refresh: one GET per object
 * (the service and the panel URL through reseller_services). Look-ups shared by all
 * resellers (product, cycle, billing resources, default plan) happen once, before the
 * clock starts for neither: they are counted in the calls and the time.
 */
export interface RawMade {
    clientId: number;
    planId: number;
    serviceId: number;
    configurationId: number;
    ruleIds: number[];
}

export function rawClient(url: string, token: string, maxConcurrency: number): FleioClient {
    return new FleioClient(resolveSettings((k) => ({ "fleio:url": url, "fleio:token": token, "fleio:maxConcurrency": String(maxConcurrency), "fleio:maxRetries": "0" })[k], {}));
}

/** Fleio's codes for the time units the data files spell out. */
const TIME_UNITS: Record<string, string> = { hour: "h", h: "h", billingcycle: "bc", bc: "bc", month: "bc", day: "d", minute: "m", second: "s" };

interface Shared {
    productId: number;
    cycleId: number;
    resources: Map<string, number>;
    defaultPlanId: number;
}

async function shared(api: FleioClient, cycleName: string): Promise<Shared> {
    // Fleio ignores `filtering` on these lists: the answers are filtered here.
    const [products, options, plans, allCycles] = await Promise.all([
        api.list<{ id: number; name: string; product_type: string }>("billing/products"),
        api.get<{ resources: { id: number; name: string }[] }>("openstack/billing/pricerule/create_options"),
        api.list<{ id: number; is_default: boolean; reseller_resources: number | null }>("openstack/billing/plan"),
        api.list<{ id: number; cycle: string; product: number }>("billing/productcycles"),
    ]);
    const resellers = products.filter((p) => p.product_type === "reseller");
    const product = resellers.find((p) => p.name === "Reseller") ?? resellers[0];
    const cycles = allCycles.filter((c) => c.product === product.id);
    const cycle = cycles.find((c) => c.cycle === cycleName) ?? cycles[0];
    // A fresh Fleio has no staff plan; an operator's has a default one (made here once, as the operator would).
    const defaultPlan =
        plans.find((p) => p.is_default && p.reseller_resources === null) ??
        (await api.post<{ id: number; is_default: boolean; reseller_resources: number | null }>("openstack/billing/plan", { name: "Default", currency: "EUR", is_default: true }));
    return { productId: product.id, cycleId: cycle.id, resources: new Map(options.resources.map((r) => [r.name.trim().toLowerCase().replace(/[\s_-]+/g, "_"), r.id])), defaultPlanId: defaultPlan.id };
}

async function onboard(api: FleioClient, s: Shared, r: ResellerFile): Promise<RawMade> {
    const c = r.client;
    const clientP = api.post<{ id: number }>("clients", {
        first_name: c.firstName, last_name: c.lastName, company: c.company ?? "", email: c.email, phone: c.phone, address1: c.address1, city: c.city,
        zip_code: c.zipCode, country: c.country, currency: c.currency, external_billing_id: c.externalBillingId ?? "", create_auto_order_service: false,
    });
    const planP = api.post<{ id: number }>("openstack/billing/plan", { name: `Reseller pricing - ${c.externalBillingId}`, currency: c.currency, is_default: false });
    const rulesP = planP.then((plan) =>
        Promise.all(
            r.pricing!.map((p) =>
                api.post<{ id: number }>("openstack/billing/pricerule", {
                    display_name: p.displayName, plan: plan.id, resource: s.resources.get(p.resource!), priority: 0,
                    pricing: { prices: [{ f: 0, p: String(p.price) }], attribute: p.attribute ?? null, attribute_unit: p.attributeUnit ? (p.attributeUnit.toLowerCase().match(/^[bkmgtp]/)?.[0] ?? p.attributeUnit) : null, time_unit: TIME_UNITS[p.timeUnit.toLowerCase()] ?? p.timeUnit },
                    conditions: p.flavor ? [{ name: "condition", attribute: "flavor", attribute_unit: null, operator: "eq", value: p.flavor }] : [],
                    modifiers: [],
                }),
            ),
        ),
    );
    const client = await clientP;
    await api.post(`clients/${client.id}/create_reseller_service`, { product_id: s.productId, product_cycle_id: s.cycleId });
    const rs = await api.get<{ services: { id: number; status: string }[]; resources: Record<string, { id: number }> }>(`clients/${client.id}/reseller_services`);
    const service = rs.services.find((x) => x.status !== "terminated")!;
    const scope = rs.resources[String(service.id)].id;
    const plan = await planP;
    const rules = await rulesP;
    await api.post(`clients/${client.id}/update_reseller_billing_plan`, { plan: plan.id, service: service.id });
    const [, conf] = await Promise.all([
        api.post(`clients/${client.id}/update_reseller_enduser_panel_url`, { enduser_panel_url: `https://${r.domain}/`, service: service.id }),
        api.post<{ id: number }>("configurations", { name: r.configuration?.name ?? `c${client.id}`, reseller_resources: scope }),
    ]);
    return { clientId: client.id, planId: plan.id, serviceId: service.id, configurationId: conf.id, ruleIds: rules.map((x) => x.id) };
}

async function offboard(api: FleioClient, s: Shared, m: RawMade): Promise<void> {
    // With Fleio's default suspend_instead_of_terminate the service is only suspended and
    // keeps pointing at its plan, which Fleio then refuses to delete: move it off first.
    await Promise.all([
        api.delete(`configurations/${m.configurationId}`),
        api.post(`billing/services/${m.serviceId}/terminate`, {}).then(() => api.post(`clients/${m.clientId}/update_reseller_billing_plan`, { plan: s.defaultPlanId, service: m.serviceId })),
    ]);
    await api.delete(`openstack/billing/plan/${m.planId}`, { plan_to_migrate: s.defaultPlanId });
    await api.delete(`clients/${m.clientId}`);
}

/** Creates every reseller at once (the client's cap keeps `maxConcurrency` in flight). */
export async function rawUp(api: FleioClient, resellers: ResellerFile[]): Promise<{ made: RawMade[]; shared: Shared }> {
    const s = await shared(api, resellers[0]?.cycle ?? "month");
    return { made: await Promise.all(resellers.map((r) => onboard(api, s, r))), shared: s };
}

/** What a refresh must read at least: each object once (the service through reseller_services). */
export async function rawRefresh(api: FleioClient, made: RawMade[]): Promise<void> {
    await Promise.all(
        made.flatMap((m) => [
            api.get(`clients/${m.clientId}`),
            api.get(`openstack/billing/plan/${m.planId}`),
            ...m.ruleIds.map((id) => api.get(`openstack/billing/pricerule/${id}`)),
            api.get(`clients/${m.clientId}/reseller_services`),
            api.get(`configurations/${m.configurationId}`),
        ]),
    );
}

export async function rawDestroy(api: FleioClient, s: Shared, made: RawMade[]): Promise<void> {
    await Promise.all(made.map((m) => offboard(api, s, m)));
}
