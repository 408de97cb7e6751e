import { clientName } from "../domain/reseller";
import { Db, Product, ProductCycle, ResellerResources, Service } from "../model";

/** Products, cycles, services and reseller resources, as fleio/billing and fleio/reseller serializers render them. */

const CYCLE_NAMES: Record<ProductCycle["cycle"], string> = { onetime: "One time", hour: "Hour", month: "Month", year: "Year" };

export function cycleDisplayName(c: ProductCycle): string {
    return c.cycle_multiplier === 1 ? `1 ${CYCLE_NAMES[c.cycle].toLowerCase()}` : `${c.cycle_multiplier} ${CYCLE_NAMES[c.cycle].toLowerCase()}s`;
}

/** StaffProductCycleSerializer: the model's fields plus display_name. */
export function cycleFull(c: ProductCycle) {
    return { ...c, display_name: cycleDisplayName(c) };
}

/** ProductCycleBriefSerializer. */
export function cycleBrief(c: ProductCycle) {
    return { id: c.id, currency: c.currency, cycle: c.cycle, cycle_multiplier: c.cycle_multiplier, fixed_price: c.fixed_price, setup_fee: c.setup_fee, display_name: cycleDisplayName(c) };
}

const PRICE_MODELS: Record<Product["price_model"], string> = { free: "Free", fixed_and_dynamic: "Fixed and dynamic", dynamic_fixed_prices: "Dynamic fixed prices" };
const AUTO_SETUP: Record<Product["auto_setup"], string> = { on_order: "On order", on_payment: "On payment", manual: "Manual" };

/** StaffProductSerializer (staff billing/products). */
export function productFull(db: Db, p: Product) {
    return {
        ...p,
        cycles: db.cycles.filter((c) => c.product === p.id).map(cycleFull),
        module: { id: p.product_type === "reseller" ? 2 : 1, plugin: p.product_type === "reseller" ? "reseller" : "openstack", config: {} },
        price_model_display: PRICE_MODELS[p.price_model],
        auto_setup_display: AUTO_SETUP[p.auto_setup],
    };
}

/** ProductSerializer, as new_reseller_service_data lists products. */
export function productForOrder(db: Db, p: Product) {
    return {
        id: p.id,
        code: p.code,
        name: p.name,
        description: p.description,
        cycles: db.cycles.filter((c) => c.product === p.id).map(cycleBrief),
        is_free: p.price_model === "free",
        requires_domain: p.requires_domain,
    };
}

const STATUS_DISPLAY: Record<Service["status"], string> = {
    pending: "Pending",
    active: "Active",
    suspended: "Suspended",
    terminated: "Terminated",
    canceled: "Canceled",
    fraud: "Fraud",
    archived: "Archived",
};

/** ServiceBriefSerializer. `pricing_plan` is the OpenStack usage plan, never the reseller plan. */
export function serviceBrief(db: Db, s: Service) {
    const product = db.products.find((p) => p.id === s.product);
    const cycle = db.cycles.find((c) => c.id === s.cycle);
    return {
        id: s.id,
        display_name: s.display_name,
        status: s.status,
        suspend_type: s.suspend_type,
        created_at: s.created_at,
        activated_at: s.activated_at,
        updated_at: s.updated_at,
        terminated_at: s.terminated_at,
        auto_terminate_date: null,
        auto_terminate_reason: null,
        next_due_date: s.next_due_date,
        next_expiration_date: s.next_expiration_date,
        next_invoice_date: s.next_invoice_date,
        product: product ? { name: product.name, description: product.description } : null,
        cycle: cycle ? cycleBrief(cycle) : null,
        override_price: s.override_price,
        cancellation_request: null,
        configurable_options: [],
        status_display: STATUS_DISPLAY[s.status],
        domain_name: s.domain_name,
        pricing_plan: null,
    };
}

/**
 * StaffServiceDetailsSerializer: every Service column, with client, product and cycle
 * nested as brief objects, plus order, configurable options and hosting account.
 */
export function serviceDetail(db: Db, s: Service) {
    const client = db.clients.find((c) => c.id === s.client);
    const product = db.products.find((p) => p.id === s.product);
    const cycle = db.cycles.find((c) => c.id === s.cycle);
    return {
        id: s.id,
        client: client ? { id: client.id, name: clientName(client), external_billing_id: client.external_billing_id } : null,
        cycle: cycle ? { id: cycle.id, display_name: cycleDisplayName(cycle) } : null,
        product: product ? { id: product.id, name: product.name, description: product.description } : null,
        order: null,
        configurable_options: [],
        hosting_account: null,
        internal_id: null,
        external_billing_id: null,
        display_name: s.display_name,
        override_price: s.override_price,
        status: s.status,
        task: null,
        notes: s.notes,
        override_suspend_until: null,
        suspend_reason: s.suspend_reason,
        suspend_type: s.suspend_type,
        created_at: s.created_at,
        activated_at: s.activated_at,
        updated_at: s.updated_at,
        suspended_at: s.suspended_at,
        terminated_at: s.terminated_at,
        auto_terminate_date: null,
        auto_terminate_reason: null,
        next_due_date: s.next_due_date,
        next_expiration_date: s.next_expiration_date,
        next_invoice_date: s.next_invoice_date,
        cancellation_request: null,
        plugin_data: {},
        domain_name: s.domain_name,
    };
}

/** ResellerResourcesSerializer: `plan` as `{id, name}` or null. */
export function resellerResources(db: Db, rr: ResellerResources) {
    const plan = rr.plan === null ? undefined : db.plans.find((p) => p.id === rr.plan);
    return { id: rr.id, service: rr.service, plan: plan ? { id: plan.id, name: plan.name } : null, enduser_panel_url: rr.enduser_panel_url };
}
