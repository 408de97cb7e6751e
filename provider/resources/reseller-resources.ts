import type { ProviderContext } from "../context";
import { FleioApiError } from "../client/errors";

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

/** The client's reseller services and their resources; empty when the client is gone. */
export async function resellerServices(ctx: ProviderContext, clientId: string): Promise<ResellerServices> {
    try {
        const r = await ctx.api.get<ResellerServices>(`clients/${clientId}/reseller_services`);
        return { services: r.services ?? [], resources: r.resources ?? {} };
    } catch (e) {
        if (e instanceof FleioApiError && e.isNotFound) return { services: [], resources: {} };
        throw e;
    }
}

/** The live reseller service of a client (Fleio allows one), if any. */
export function liveService(rs: ResellerServices, serviceId?: string): { service: ApiServiceBrief; resources: ApiResellerResources } | undefined {
    const service = rs.services.find((s) => (serviceId ? String(s.id) === serviceId : true) && s.status !== "terminated");
    const resources = service && rs.resources[String(service.id)];
    return service && resources ? { service, resources } : undefined;
}

/**
 * The ResellerResources id that scopes objects owned by a reseller (plans,
 * configurations). Owned objects hang off it, not off the client.
 */
export async function resellerResourcesId(ctx: ProviderContext, clientId: string): Promise<number> {
    const live = liveService(await resellerServices(ctx, clientId));
    if (!live)
        throw new Error(`client ${clientId} has no reseller service yet, so nothing can belong to it; create its ResellerService first (pass the service's clientId output, so the order is right)`);
    return live.resources.id;
}

export function idOf(v: { id: number } | number | null | undefined): string | undefined {
    if (v === null || v === undefined) return undefined;
    return String(typeof v === "number" ? v : v.id);
}
