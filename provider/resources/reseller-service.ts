import { z } from "zod";
import { defineResource, Issue, PartialCreate } from "./define";
import { apiId, currencyCode, fleioId, requiredText } from "../validation/fields";
import type { ProviderContext } from "../context";
import { FleioApiError } from "../client/errors";
import { ApiResellerResources, ApiServiceBrief, idOf, liveService, resellerServices } from "./reseller-resources";

const CYCLES = ["hour", "month", "year", "onetime"] as const;

/** The reseller service of a client, priced by a reseller pricing plan. */
export const resellerServiceInputs = z.strictObject({
    clientId: fleioId("client", "bigint"),
    /** The product of type "reseller", by id … */
    productId: fleioId("product", "bigint").optional(),
    /** … or by name. */
    productName: requiredText(255).optional(),
    /** The product cycle, by id … */
    productCycleId: fleioId("product cycle", "int").optional(),
    /** … or by period and multiplier (and currency, where a product has cycles in several). */
    cycle: z.enum(CYCLES, { error: `must be one of ${CYCLES.join(", ")}` }).optional(),
    cycleMultiplier: z.number({ error: "must be a whole number" }).int("must be a whole number").min(1, "must be 1 or more").optional(),
    cycleCurrency: currencyCode.optional(),
    /** The OpenStack plan that prices what the reseller's customers use. */
    planId: fleioId("plan", "int"),
    /** Id of the client's existing reseller service to take over. */
    adopt: fleioId("service", "bigint").optional(),
});
export type ResellerServiceInputs = z.output<typeof resellerServiceInputs>;
export type ResellerServiceOutputs = ResellerServiceInputs & {
    serviceId: string;
    resellerResourcesId: string;
    resolvedProductId: string;
    resolvedProductCycleId: string;
    status: string;
    planName?: string;
};

export function crossCheck(i: ResellerServiceInputs): Issue[] {
    const issues: Issue[] = [];
    if (!i.productId === !i.productName) issues.push({ property: "productId", reason: 'give exactly one of productId or productName (a product of type "reseller")' });
    if (i.productCycleId && (i.cycle || i.cycleMultiplier || i.cycleCurrency))
        issues.push({ property: "productCycleId", reason: "give either productCycleId or cycle/cycleMultiplier/cycleCurrency, not both" });
    return issues;
}

interface ApiProduct {
    id: number;
    name: string;
    product_type: string;
}
interface ApiCycle {
    id: number;
    product: number;
    cycle: string;
    cycle_multiplier: number;
    currency: string;
}

async function resolveProduct(ctx: ProviderContext, i: ResellerServiceInputs): Promise<string> {
    if (i.productId) return i.productId;
    const products = await ctx.api.list<ApiProduct>("billing/products", { filtering: "product_type:reseller" });
    const hit = products.filter((p) => p.name.toLowerCase() === (i.productName ?? "").toLowerCase());
    if (hit.length !== 1)
        throw new Error(`${hit.length ? "several" : "no"} reseller products named "${i.productName}"; reseller products: ${products.map((p) => `${p.name} (id ${p.id})`).join(", ") || "none"}`);
    return String(hit[0].id);
}

async function resolveCycle(ctx: ProviderContext, i: ResellerServiceInputs, productId: string): Promise<string> {
    if (i.productCycleId) return i.productCycleId;
    const cycles = await ctx.api.list<ApiCycle>("billing/productcycles", { filtering: `product:${productId}` });
    const want = { cycle: i.cycle ?? "month", multiplier: i.cycleMultiplier ?? 1 };
    const hit = cycles.filter((c) => c.cycle === want.cycle && c.cycle_multiplier === want.multiplier && (!i.cycleCurrency || c.currency === i.cycleCurrency));
    if (hit.length !== 1) {
        const known = cycles.map((c) => `${c.cycle_multiplier} ${c.cycle} ${c.currency} (id ${c.id})`).join(", ") || "none";
        throw new Error(`${hit.length ? "several" : "no"} cycles of product ${productId} match ${want.multiplier} ${want.cycle}${i.cycleCurrency ? ` ${i.cycleCurrency}` : ""}; its cycles: ${known}${hit.length ? "; set cycleCurrency or productCycleId" : ""}`);
    }
    return String(hit[0].id);
}

function outputs(inputs: ResellerServiceInputs, service: ApiServiceBrief, rr: ApiResellerResources, productId: string, cycleId: string): ResellerServiceOutputs {
    return {
        ...inputs,
        planId: rr.plan ? String(rr.plan.id) : "",
        serviceId: String(service.id),
        resellerResourcesId: String(rr.id),
        resolvedProductId: idOf(service.product) ?? productId,
        resolvedProductCycleId: idOf(service.cycle) ?? cycleId,
        status: service.status,
        planName: rr.plan?.name,
    };
}

async function setPlan(ctx: ProviderContext, clientId: string, serviceId: string, planId: string): Promise<void> {
    await ctx.api.post(`clients/${clientId}/update_reseller_billing_plan`, { plan: apiId(planId), service: apiId(serviceId) }, undefined, { idempotent: true });
}

async function readLive(ctx: ProviderContext, clientId: string, serviceId?: string) {
    return liveService(await resellerServices(ctx, clientId), serviceId);
}

async function converge(ctx: ProviderContext, id: string, inputs: ResellerServiceInputs, productId: string, cycleId: string): Promise<ResellerServiceOutputs> {
    const missing = () => new Error(`reseller service ${id} of client ${inputs.clientId} is not in Fleio (or was terminated)`);
    let live = await readLive(ctx, inputs.clientId, id);
    if (!live) throw missing();
    if (String(live.resources.plan?.id ?? "") !== inputs.planId) {
        await setPlan(ctx, inputs.clientId, id, inputs.planId);
        live = await readLive(ctx, inputs.clientId, id);
        if (!live) throw missing();
    }
    return outputs(inputs, live.service, live.resources, productId, cycleId);
}

export const resellerService = defineResource({
    kind: "ResellerService",
    inputs: resellerServiceInputs,
    crossCheck,
    // Fleio has no way to move a service to another client, product or cycle.
    replaceOnChange: ["clientId", "productId", "productName", "productCycleId", "cycle", "cycleMultiplier", "cycleCurrency"],
    createOnly: ["adopt"],
    // One reseller service per client: the old one must end before the new one is ordered.
    deleteBeforeReplace: true,
    async create(ctx, inputs) {
        const productId = await resolveProduct(ctx, inputs);
        const cycleId = await resolveCycle(ctx, inputs, productId);
        try {
            await ctx.api.post(`clients/${inputs.clientId}/create_reseller_service`, { product_id: apiId(productId), product_cycle_id: apiId(cycleId) });
        } catch (e) {
            if (e instanceof FleioApiError && e.status === 403) {
                const existing = await readLive(ctx, inputs.clientId);
                throw new Error(
                    `client ${inputs.clientId} already has a reseller service${existing ? ` (id ${existing.service.id})` : ""} and Fleio allows one per client; ` +
                        (existing ? `set adopt: "${existing.service.id}" to manage it` : "terminate it first"),
                );
            }
            // An answer lost on the way back: the read below tells whether it landed.
            if (!(e instanceof FleioApiError && e.maybeApplied)) throw e;
        }
        // Fleio answers {"detail": "Ok"} without an id: the client's one live reseller service is it.
        const live = await readLive(ctx, inputs.clientId);
        if (!live) throw new Error(`Fleio accepted the reseller service order for client ${inputs.clientId} but lists no reseller service for it`);
        const id = String(live.service.id);
        try {
            return { id, outs: await converge(ctx, id, inputs, productId, cycleId) };
        } catch (e) {
            throw new PartialCreate("ResellerService", id, outputs(inputs, live.service, live.resources, productId, cycleId), e);
        }
    },
    async adopt(ctx, id, inputs) {
        const live = await readLive(ctx, inputs.clientId, id);
        if (!live) throw new Error(`adopt: client ${inputs.clientId} has no live reseller service ${id}; check both ids, or remove "adopt" to order a new service`);
        return { id, outs: await converge(ctx, id, inputs, idOf(live.service.product) ?? inputs.productId ?? "", idOf(live.service.cycle) ?? inputs.productCycleId ?? "") };
    },
    async read(ctx, id, olds) {
        const live = await readLive(ctx, olds.clientId, id);
        return live && outputs(olds, live.service, live.resources, olds.resolvedProductId, olds.resolvedProductCycleId);
    },
    async update(ctx, id, olds, news) {
        return converge(ctx, id, news, olds.resolvedProductId, olds.resolvedProductCycleId);
    },
    async delete(ctx, id) {
        // Fleio refuses (403) to terminate a service that is not active or suspended, so
        // one already terminated, e.g. out of band, is simply done.
        const ended = async () => {
            const s = await ctx.api.get<{ status: string }>(`billing/services/${id}`);
            return s.status === "terminated" || s.status === "canceled";
        };
        if (await ended()) return;
        try {
            await ctx.api.post(`billing/services/${id}/terminate`, {}, undefined, { idempotent: true });
        } catch (e) {
            // A retried terminate whose first attempt landed is refused the same way.
            if (e instanceof FleioApiError && e.status === 403 && (await ended())) return;
            throw e;
        }
    },
});
