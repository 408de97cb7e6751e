import { Client, Db, Product, ProductCycle, ResellerResources } from "../model";

/**
 * Reseller relationships, as Fleio derives them: a client is a reseller when one
 * of its services has reseller resources (fleio/reseller/utils.py).
 */

export function liveResellerResourcesOf(db: Db, clientId: number): ResellerResources | undefined {
    const serviceIds = new Set(db.services.filter((s) => s.client === clientId).map((s) => s.id));
    return db.reseller_resources.find((rr) => rr.service !== null && serviceIds.has(rr.service));
}

/** The client that holds a reseller's service (the reseller itself). */
export function resellerClientOf(db: Db, rrId: number | null): Client | undefined {
    if (rrId === null) return undefined;
    const rr = db.reseller_resources.find((r) => r.id === rrId);
    const service = rr?.service == null ? undefined : db.services.find((s) => s.id === rr.service);
    return service && db.clients.find((c) => c.id === service.client);
}

/** `{name, id}` of the owning reseller client, as reseller_client_details renders it. */
export function resellerClientDetails(db: Db, rrId: number | null): { name: string; id: number } | null {
    const c = resellerClientOf(db, rrId);
    return c ? { name: clientName(c), id: c.id } : null;
}

/** Client.name: first and last name, or the company when there is no first name. */
export function clientName(c: Client): string {
    return c.first_name ? `${c.first_name} ${c.last_name}` : `${c.company ?? ""}`;
}

export function clientLongName(c: Client): string {
    return c.company ? `${c.company} (${c.first_name} ${c.last_name})` : `${c.first_name} ${c.last_name}`;
}

/**
 * What Fleio's delete_reseller_resources_from_db task does when a reseller service
 * ends: the reseller's configurations, plans (with their rules), end users and
 * clients go with it. Clients of the reseller are removed outright here; in Fleio
 * each gets its own terminate task.
 */
export function deleteResellerResources(db: Db, rrId: number): void {
    const plans = new Set(db.plans.filter((p) => p.reseller_resources === rrId).map((p) => p.id));
    db.rules = db.rules.filter((r) => !plans.has(r.plan));
    db.plans = db.plans.filter((p) => !plans.has(p.id));
    const configs = new Set(db.configurations.filter((c) => c.reseller_resources === rrId).map((c) => c.id));
    db.configurations = db.configurations.filter((c) => !configs.has(c.id));
    const clients = db.clients.filter((c) => c.reseller_resources === rrId).map((c) => c.id);
    for (const id of clients) removeClient(db, id);
    removeUsers(db, (u) => u.reseller_resources === rrId);
    db.reseller_resources = db.reseller_resources.filter((r) => r.id !== rrId);
    for (const c of db.clients) if (c.configuration !== null && configs.has(c.configuration)) c.configuration = null;
}

/** Removes a client for good, with its services, its reseller resources and its reseller login. */
export function removeClient(db: Db, clientId: number): void {
    const client = db.clients.find((c) => c.id === clientId);
    if (!client) return;
    const rr = liveResellerResourcesOf(db, clientId);
    if (rr) deleteResellerResources(db, rr.id);
    const serviceIds = new Set(db.services.filter((s) => s.client === clientId).map((s) => s.id));
    db.reseller_resources = db.reseller_resources.filter((r) => r.service === null || !serviceIds.has(r.service));
    db.services = db.services.filter((s) => s.client !== clientId);
    db.clients = db.clients.filter((c) => c.id !== clientId);
    // A reseller login belongs to its client only; other users merely lose the association.
    removeUsers(db, (u) => u.is_reseller && client.users.includes(u.id) && !db.clients.some((c) => c.users.includes(u.id)));
}

function removeUsers(db: Db, doomed: (u: Db["users"][number]) => boolean): void {
    const ids = new Set(db.users.filter(doomed).map((u) => u.id));
    if (!ids.size) return;
    db.users = db.users.filter((u) => !ids.has(u.id));
    db.tokens = db.tokens.filter((t) => !ids.has(t.user));
    for (const c of db.clients) c.users = c.users.filter((id) => !ids.has(id));
}

/** Clients whose scheduled delete is due disappear; returns whether any did. */
export function purgeDeletedClients(db: Db, now: number = Date.now()): boolean {
    const due = db.clients.filter((c) => c.status === "deleting" && c.delete_at !== undefined && c.delete_at <= now).map((c) => c.id);
    for (const id of due) removeClient(db, id);
    return due.length > 0;
}

/** PricingPlan.objects.get_default_or_any_or_create(reseller_resources=None): made on demand, named "default". */
export function staffDefaultPlan(db: Db, currency: string): number {
    const staff = db.plans.filter((p) => p.reseller_resources === null);
    const plan = staff.find((p) => p.is_default) ?? staff[0];
    if (plan) return plan.id;
    const id = ++db.seq.plans;
    db.plans.push({ id, name: "default", currency, is_default: true, reseller_resources: null });
    return id;
}

/**
 * The staff create_reseller_service action after its checks: a "Reseller service"
 * (active) for the client, then the product's module `create`. Fleio does not check
 * the product type here; only the reseller module makes reseller resources (on the
 * staff default plan) and the reseller's own "default" configuration.
 */
export function createResellerService(db: Db, client: Client, product: Product, cycle: ProductCycle, makeService: () => number): void {
    const serviceId = makeService();
    if (product.product_type !== "reseller") return;
    const rrId = ++db.seq.reseller_resources;
    db.reseller_resources.push({ id: rrId, service: serviceId, plan: staffDefaultPlan(db, client.currency), enduser_panel_url: null });
    db.configurations.push({ id: ++db.seq.configurations, name: "default", description: "", is_default: true, reseller_resources: rrId, billing: {} });
}
