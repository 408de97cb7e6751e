import { ProviderContext, runState } from "../context";

/** A reseller's service as listed by `GET clients/{id}/reseller_services`. */
export interface ApiServiceBrief {
    id: number;
    display_name?: string;
    status: string;
    product?: { id: number; name?: string } | number | null;
    cycle?: { id: number } | number | null;
}
export interface ApiResellerResources {
    id: number;
    service: number | null;
    plan: { id: number; name: string } | null;
    enduser_panel_url: string | null;
}
export interface ResellerServices {
    services: ApiServiceBrief[];
    resources: Record<string, ApiResellerResources>;
}
export interface LiveService {
    service: ApiServiceBrief;
    resources: ApiResellerResources;
}

/** The client's reseller services and their resources; empty when the client is gone. */
export async function resellerServices(ctx: ProviderContext, clientId: string): Promise<ResellerServices> {
    const r = await ctx.api.getIfExists<ResellerServices>(`clients/${clientId}/reseller_services`);
    const found = { services: r?.services ?? [], resources: r?.resources ?? {} };
    seen(ctx).set(clientId, found);
    return found;
}

/**
 * What this run last read of each client's reseller services, with this run's own
 * writes applied. A create right after this run's own order (the panel URL of the
 * service it just ordered, the scope its owned objects go in) starts from it instead
 * of reading the same answer again; read() and delete() always ask Fleio.
 */
const seen = (ctx: ProviderContext) => runState(ctx, "reseller-services/seen", () => new Map<string, ResellerServices>());

/** The client's reseller services as this run last saw them, read when it has not. */
export async function recentResellerServices(ctx: ProviderContext, clientId: string): Promise<ResellerServices> {
    return seen(ctx).get(clientId) ?? resellerServices(ctx, clientId);
}

/** Applies this run's own accepted write to what it last saw of a service's reseller resources. */
export function wroteResellerResources(ctx: ProviderContext, clientId: string, serviceId: string, change: Partial<ApiResellerResources>): void {
    const rr = seen(ctx).get(clientId)?.resources[serviceId];
    if (rr) Object.assign(rr, change);
}

/**
 * The reseller service of a client that still holds reseller resources (Fleio allows
 * one). A suspended service counts: Fleio keeps its resources, plan and scope.
 */
export function liveService(rs: ResellerServices, serviceId?: string): LiveService | undefined {
    const service = rs.services.find((s) => (serviceId ? String(s.id) === serviceId : true) && s.status !== "terminated" && s.status !== "canceled" && rs.resources[String(s.id)]);
    return service && { service, resources: rs.resources[String(service.id)] };
}

/** After this run ended a client's service: what it knew of the client's services is out of date. */
export function forgetServices(ctx: ProviderContext, clientId: string): void {
    seen(ctx).delete(clientId);
}

/**
 * The ResellerResources id that scopes objects owned by a reseller (plans,
 * configurations). Owned objects hang off it, not off the client.
 */
export async function resellerResourcesId(ctx: ProviderContext, clientId: string): Promise<number> {
    // A live service's ResellerResources id never changes, so what this run already read
    // (the service's create) saves the owned objects of the same run a read each.
    const known = seen(ctx).get(clientId);
    const live = (known && liveService(known)) ?? liveService(await resellerServices(ctx, clientId));
    if (!live)
        throw new Error(`client ${clientId} has no reseller service yet, so nothing can belong to it; create its ResellerService first (pass the service's clientId output, so the order is right)`);
    return live.resources.id;
}

/**
 * The scope an owned object (plan, configuration) is created in: null for staff, or
 * the ResellerResources id of `resellerClientId`. With apiScope=reseller the API
 * scopes everything to the caller, so naming an owner is a mistake worth a clear error.
 */
export async function ownerScope(ctx: ProviderContext, resellerClientId: string | undefined, what: string): Promise<number | null> {
    if (!resellerClientId) return null;
    if (ctx.settings.apiScope === "reseller")
        throw new Error(`resellerClientId is for the staff API; with fleio:apiScope=reseller every ${what} already belongs to the calling reseller, so remove it`);
    return resellerResourcesId(ctx, resellerClientId);
}

/** An id Fleio renders as a number or as `{id, …}`; some briefs (a service's product) carry none. */
export function idOf(v: { id?: number | string } | number | string | null | undefined): string | undefined {
    if (v === null || v === undefined) return undefined;
    return optionalId(typeof v === "object" ? v.id : v);
}

/** Fleio's optional foreign keys as an output: absent, never the text "undefined" or "null". */
export function optionalId(v: number | string | null | undefined): string | undefined {
    return v === null || v === undefined || v === "" ? undefined : String(v);
}

/** A service as `billing/services/{id}` shows it: who owns it. */
interface ApiServiceDetail {
    id: number;
    client: { id: number } | number | null;
    product?: { id: number } | number | null;
    cycle?: { id: number } | number | null;
}

/** For an import: the client, product and cycle of a service, by its id. */
export async function serviceOwner(ctx: ProviderContext, serviceId: string): Promise<{ clientId: string; productId?: string; productCycleId?: string }> {
    const s = await ctx.api.getIfExists<ApiServiceDetail>(`billing/services/${serviceId}`);
    const clientId = idOf(s?.client);
    if (!s || !clientId) throw new Error(`there is no service ${serviceId} in Fleio; check the id given to pulumi import`);
    return { clientId, productId: idOf(s.product), productCycleId: idOf(s.cycle) };
}

/**
 * For an import: the reseller client whose reseller resources are `rrId` (the scope a
 * plan or configuration belongs to). Fleio has no reverse look-up, so the clients with
 * a reseller service are scanned; the filter only narrows the scan, each answer is checked.
 */
export async function resellerClientOf(ctx: ProviderContext, rrId: string | undefined): Promise<string | undefined> {
    if (rrId === undefined || ctx.settings.apiScope === "reseller") return undefined;
    for (const c of await ctx.api.list<{ id: number }>("clients", { has_reseller_service: "true" })) {
        const rs = await resellerServices(ctx, String(c.id));
        if (Object.values(rs.resources).some((r) => String(r.id) === rrId)) return String(c.id);
    }
    throw new Error(`no client holds reseller resources ${rrId}, which own this object; Fleio may be mid-change, try again`);
}
