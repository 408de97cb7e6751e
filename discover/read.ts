import type { FleioClient } from "../provider/client/http";
import type { ApiRule } from "../provider/resources/pricing-rule";
import type { ApiPlan } from "../provider/resources/openstack-plan";
import type { ApiProduct, ApiCycle } from "../provider/resources/billing-catalog";
import type { ApiResellerResources, ApiServiceBrief, ResellerServices } from "../provider/resources/reseller-resources";

/** A client as Fleio renders it (the fields a reseller's data file holds). */
export interface ApiClientDetail {
    id: number;
    first_name: string;
    last_name: string;
    company?: string | null;
    email: string;
    phone?: string | null;
    fax?: string | null;
    address1?: string | null;
    address2?: string | null;
    city?: string | null;
    state?: string | null;
    zip_code?: string | null;
    country?: string | null;
    currency: string;
    vat_id?: string | null;
    status?: string;
}
export interface ApiConfiguration {
    id: number;
    name: string;
    description?: string;
    is_default: boolean;
    reseller_resources?: number | null;
}

/** One client with a live reseller service, as read. */
export interface ReadReseller {
    client: ApiClientDetail;
    service: ApiServiceBrief;
    resources: ApiResellerResources;
}

/** Everything discover reads from Fleio: GET requests only. */
export interface FleioSnapshot {
    resellers: ReadReseller[];
    /** Clients that have no live reseller service: not resellers. */
    otherClients: number;
    plans: ApiPlan[];
    rules: ApiRule[];
    configurations: ApiConfiguration[];
    products: ApiProduct[];
    cycles: ApiCycle[];
    billingResources: { id: number; name: string; type: string }[];
}

/**
 * Fleio without its reseller feature (removed after the 2022 releases): no product of
 * type `reseller`, and `clients/{id}/reseller_services` answers 404 for a client that
 * exists (shared/fleio-api.md, "Versions and the reseller feature").
 */
export class NoResellerFeatureError extends Error {
    constructor(clientId: number) {
        super(`this Fleio has no reseller feature (no product of type reseller, and clients/${clientId}/reseller_services answers 404: Fleio removed the feature after its 2022 releases), so there are no resellers to describe; nothing was written`);
    }
}

export type Progress = (e: { event: "listed" | "reseller"; detail: string }) => void;

/**
 * Reads a Fleio: its reseller clients with their services and resources, every plan,
 * price rule and configuration, the product catalogue and the billing resources. Sends
 * GET requests only (FleioClient.get/list); the whole snapshot, then, is filtered here on
 * the objects' own fields, since Fleio ignores `filtering` on several of these lists.
 */
export async function readFleio(api: FleioClient, progress?: Progress): Promise<FleioSnapshot> {
    const [clients, plans, rules, configurations, products, cycles, options] = await Promise.all([
        // The filter only narrows: a client without a reseller service lists no resources.
        api.list<{ id: number }>("clients", { has_reseller_service: "true" }),
        api.list<ApiPlan>("openstack/billing/plan", { ordering: "id" }),
        api.list<ApiRule>("openstack/billing/pricerule"),
        api.list<ApiConfiguration>("configurations"),
        api.list<ApiProduct>("billing/products"),
        api.list<ApiCycle>("billing/productcycles"),
        api.get<{ resources: { id: number; name: string; type: string }[] }>("openstack/billing/pricerule/create_options"),
    ]);
    progress?.({ event: "listed", detail: `${clients.length} clients with a reseller service, ${plans.length} plans, ${rules.length} price rules, ${configurations.length} configurations` });
    // One GET tells a Fleio without the feature, before asking about every client.
    if (clients.length && !products.some((p) => p.product_type === "reseller") && (await api.getIfExists(`clients/${clients[0].id}/reseller_services`)) === undefined)
        throw new NoResellerFeatureError(clients[0].id);
    let otherClients = 0;
    const resellers: ReadReseller[] = [];
    await Promise.all(
        clients.map(async (c) => {
            const rs = await api.getIfExists<ResellerServices>(`clients/${c.id}/reseller_services`);
            // One live reseller service per client (Fleio allows one); a suspended one still holds its resources.
            const service = rs?.services.find((s) => s.status !== "terminated" && s.status !== "canceled" && rs.resources[String(s.id)]);
            if (!rs || !service) return void otherClients++;
            const client = await api.get<ApiClientDetail>(`clients/${c.id}`);
            resellers.push({ client, service, resources: rs.resources[String(service.id)] });
            progress?.({ event: "reseller", detail: `client ${c.id} (${client.company || `${client.first_name} ${client.last_name}`}) read` });
        }),
    );
    resellers.sort((a, b) => a.client.id - b.client.id);
    return { resellers, otherClients, plans, rules, configurations, products, cycles, billingResources: options.resources ?? [] };
}
