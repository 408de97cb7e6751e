import { z } from "zod";
import { defineResource, Issue, PartialCreate } from "./define";
import { apiId, currencyCode, fleioId, requiredText } from "../validation/fields";
import type { ProviderContext } from "../context";
import { FleioApiError } from "../client/errors";
import { forgetServices, idOf, serviceOwner, liveService, LiveService, recentResellerServices, resellerServices, wroteResellerResources } from "./reseller-resources";
import { productCycle, resellerProduct } from "./billing-catalog";
import { knownPlanName, staffDefaultPlan } from "./openstack-plan";
import { waitUntilGone } from "./wait";
import { notice } from "../notice";
import { clearedPanels, takenOverClients } from "./taken-over";
import { setUrl } from "./frontend-domain";

const CYCLES = ["hour", "month", "year", "onetime"] as const;

/** The reseller service of a client, priced by a reseller pricing plan. */
export const resellerServiceInputs = z.strictObject({
    clientId: fleioId("client", "bigint").describe("Id of the reseller client that owns the service. Changing it replaces the service."),
    /** The product of type "reseller", by id … */
    productId: fleioId("product", "bigint").optional().describe("The product of type reseller, by id; give this or productName."),
    /** … or by name. */
    productName: requiredText(255).optional().describe("The product of type reseller, by name; give this or productId."),
    /** The product cycle, by id … */
    productCycleId: fleioId("product cycle", "int").optional().describe("The product cycle, by id; or give cycle, cycleMultiplier and cycleCurrency."),
    /** … or by period and multiplier (and currency, where a product has cycles in several). */
    cycle: z.enum(CYCLES, { error: `must be one of ${CYCLES.join(", ")}` }).optional().describe("Billing cycle period: hour, month, year or onetime."),
    cycleMultiplier: z.number({ error: "must be a whole number" }).int("must be a whole number").min(1, "must be 1 or more").optional().describe("Billing cycle multiplier, 1 or more."),
    cycleCurrency: currencyCode.optional().describe("Currency of the cycle, where a product has cycles in several."),
    /** The OpenStack plan that prices what the reseller's customers use. */
    planId: fleioId("plan", "int").describe("The OpenStack plan that prices what the reseller's customers use."),
    /** Id of the client's existing reseller service to take over. */
    adopt: fleioId("service", "bigint").optional().describe("Id of the client's existing reseller service to take over (used at create only)."),
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

function outputs(inputs: ResellerServiceInputs, live: LiveService, productId: string, cycleId: string): ResellerServiceOutputs {
    const rr = live.resources;
    return {
        ...inputs,
        planId: rr.plan ? String(rr.plan.id) : "",
        serviceId: String(live.service.id),
        resellerResourcesId: String(rr.id),
        resolvedProductId: idOf(live.service.product) ?? productId,
        resolvedProductCycleId: idOf(live.service.cycle) ?? cycleId,
        status: live.service.status,
        planName: rr.plan?.name,
    };
}

async function setPlan(ctx: ProviderContext, clientId: string, serviceId: string, planId: string): Promise<void> {
    await ctx.api.post(`clients/${clientId}/update_reseller_billing_plan`, { plan: apiId(planId), service: apiId(serviceId) }, undefined, { idempotent: true });
}

async function readLive(ctx: ProviderContext, clientId: string, serviceId?: string): Promise<LiveService | undefined> {
    return liveService(await resellerServices(ctx, clientId), serviceId);
}

/** Puts the service on the plan asked for (and back to active when Fleio had suspended it). */
async function converge(ctx: ProviderContext, live: LiveService, inputs: ResellerServiceInputs, productId: string, cycleId: string): Promise<ResellerServiceOutputs> {
    const id = String(live.service.id);
    const resumed = live.service.status === "suspended";
    if (resumed) await ctx.api.post(`billing/services/${id}/resume`, {}, undefined, { idempotent: true });
    const planChanged = String(live.resources.plan?.id ?? "") !== inputs.planId;
    if (planChanged) await setPlan(ctx, inputs.clientId, id, inputs.planId);
    if (!resumed && !planChanged) return outputs(inputs, live, productId, cycleId);
    // Fleio answers both actions with a bare detail. The plan's name is known when this
    // run has listed or made the plan (the usual case: a reseller's plan made just before
    // its service); a new status, or a plan this run has not seen, takes a read.
    const name = resumed ? undefined : await knownPlanName(ctx, inputs.planId);
    if (name !== undefined) {
        const plan = { id: Number(inputs.planId), name };
        wroteResellerResources(ctx, inputs.clientId, id, { plan });
        return outputs(inputs, { service: live.service, resources: { ...live.resources, plan } }, productId, cycleId);
    }
    const again = await readLive(ctx, inputs.clientId, id);
    if (!again) throw new Error(`reseller service ${id} of client ${inputs.clientId} is not in Fleio (or was terminated)`);
    return outputs(inputs, again, productId, cycleId);
}

/**
 * Whether the client's service is this order. Fleio's service brief renders the product
 * without its id, but a cycle belongs to one product: the cycle's id says both.
 */
const sameOrder = (live: LiveService, cycleId: string) => idOf(live.service.cycle) === cycleId;

/**
 * Fleio allows one reseller service per client. The one it has already is this
 * resource's when it is of the same product and cycle (an interrupted run's, or the one
 * Fleio kept suspended after an earlier delete): take it over. Otherwise say how to go on.
 */
async function existingService(ctx: ProviderContext, inputs: ResellerServiceInputs, productId: string, cycleId: string): Promise<{ id: string; outs: ResellerServiceOutputs }> {
    const live = await readLive(ctx, inputs.clientId);
    if (!live) throw new Error(`Fleio says client ${inputs.clientId} already has a reseller service but lists none with reseller resources; look at the client's services in Fleio`);
    const id = String(live.service.id);
    if (!sameOrder(live, cycleId))
        throw new Error(
            `client ${inputs.clientId} already has reseller service ${id} (${live.service.status}, cycle ${idOf(live.service.cycle) ?? "unknown"}) and Fleio allows one per client; ` +
                `order the same product and cycle to take it over, or set adopt: "${id}" to manage it as it is`,
        );
    notice(`took over reseller service ${id} of client ${inputs.clientId} (${live.service.status}), which Fleio already had`);
    return { id, outs: await converge(ctx, live, inputs, productId, cycleId) };
}

/**
 * Whether another stack (or program) has taken this service over since this stack last
 * set it: it is active on a plan other than the one in state (provider/resources/taken-over.ts).
 * Then it is left as it is, with the panel URL this run cleared put back.
 */
async function takenOver(ctx: ProviderContext, id: string, olds: ResellerServiceOutputs): Promise<boolean> {
    // This run's panel delete has usually just read the client's services.
    const live = liveService(await recentResellerServices(ctx, olds.clientId), id);
    const plan = String(live?.resources.plan?.id ?? "");
    if (!live || live.service.status !== "active" || !olds.planId || !plan || plan === olds.planId) return false;
    takenOverClients(ctx).add(olds.clientId);
    const cleared = clearedPanels(ctx).get(id);
    if (cleared) await setUrl(ctx, { clientId: cleared.clientId, serviceId: id }, cleared.url);
    notice(
        `reseller service ${id} of client ${olds.clientId} is active on plan ${plan}, not this stack's plan ${olds.planId}: another stack or program has taken it over, ` +
            `so this stack lets go of it and of its client without suspending them${cleared ? ` (its panel URL ${cleared.url} is set again)` : ""}. ` +
            "If the plan was changed by hand and the reseller should end, run `pulumi refresh` and then `pulumi up` again",
    );
    return true;
}

const ORDER_FIELDS = ["productId", "productName", "productCycleId", "cycle", "cycleMultiplier", "cycleCurrency"] as const;

/**
 * A new product or cycle replaces the service: the old one is terminated first. With
 * suspend_instead_of_terminate (Fleio's default) Fleio only suspends it and keeps it,
 * and allows one reseller service per client, so the replacement could never be
 * ordered and the reseller would be left without a working service. Caught at preview,
 * before anything changes, from the client's own setting (one read, only on such a change).
 */
async function replacementIssues(ctx: ProviderContext, inputs: ResellerServiceInputs, before: Record<string, unknown> | undefined, changed: string[]): Promise<Issue[]> {
    // A new service, or one for another client, replaces nothing the client keeps.
    if (!before || before.clientId !== inputs.clientId || !changed.length) return [];
    const client = await ctx.api.getIfExists<{ suspend_instead_of_terminate?: boolean }>(`clients/${inputs.clientId}`);
    if (!client || client.suspend_instead_of_terminate === false) return [];
    return [
        {
            property: changed[0],
            reason:
                `client ${inputs.clientId} has suspend_instead_of_terminate on, so Fleio would keep the old reseller service suspended and refuse a second one: ` +
                "keep the product and cycle, or turn the setting off in the client's configuration (Settings → Configurations → Billing) first; ending a reseller service removes what the reseller owns",
        },
    ];
}

export const resellerService = defineResource({
    kind: "ResellerService",
    /** Outputs beyond the inputs, for the schema and docs. */
    outputs: z.object({
        serviceId: z.string().describe("Fleio's id of the service."),
        resellerResourcesId: z.string().describe("Id of the reseller resources (the reseller's scope) Fleio made for the service."),
        resolvedProductId: z.string().describe("Id of the product, resolved from productId or productName."),
        resolvedProductCycleId: z.string().describe("Id of the product cycle, resolved from productCycleId or the cycle fields."),
        status: z.string().describe("The service's status in Fleio, e.g. active."),
        planName: z.string().optional().describe("Name of the OpenStack plan."),
    }),
    inputs: resellerServiceInputs,
    crossCheck,
    remoteCheck: {
        fields: ORDER_FIELDS,
        what: "whether Fleio can replace the reseller service (its client's suspend_instead_of_terminate)",
        run: (ctx, inputs, _written, before, changed) => replacementIssues(ctx, inputs, before, changed),
    },
    // Fleio has no way to move a service to another client, product or cycle.
    replaceOnChange: ["clientId", "productId", "productName", "productCycleId", "cycle", "cycleMultiplier", "cycleCurrency"],
    stableOutputs: ["serviceId", "resellerResourcesId", "resolvedProductId", "resolvedProductCycleId"],
    createOnly: ["adopt"],
    // One reseller service per client: the old one must end before the new one is ordered.
    deleteBeforeReplace: true,
    async create(ctx, inputs) {
        const product = await resellerProduct(ctx, inputs);
        const cycle = await productCycle(ctx, product, inputs);
        const [productId, cycleId] = [String(product.id), String(cycle.id)];
        const order = () => ctx.api.post(`clients/${inputs.clientId}/create_reseller_service`, { product_id: apiId(productId), product_cycle_id: apiId(cycleId) });
        for (let attempt = 0; ; attempt++) {
            try {
                await order();
                break;
            } catch (e) {
                if (e instanceof FleioApiError && e.status === 403) return existingService(ctx, inputs, productId, cycleId);
                if (!(e instanceof FleioApiError && e.maybeApplied)) throw e;
                // The answer was lost or Fleio failed: whether the order landed shows in the list.
                const landed = await readLive(ctx, inputs.clientId).catch((lookup: Error) => {
                    // The request that failed is the order; the look-up only failed to settle it.
                    throw new Error(`${e.message}; looking for the client's reseller service afterwards failed too (${lookup.message}): run \`pulumi refresh\`, then \`pulumi up\` again`);
                });
                if (landed) break;
                if (attempt >= ctx.settings.retries) throw e;
            }
        }
        // Fleio answers {"detail": "Ok"} without an id: the client's one live reseller service is it.
        const live = await readLive(ctx, inputs.clientId);
        if (!live)
            throw new Error(`Fleio accepted the order of product ${product.name} for client ${inputs.clientId} but made no reseller resources for it; check the product's module in Fleio`);
        const id = String(live.service.id);
        try {
            return { id, outs: await converge(ctx, live, inputs, productId, cycleId) };
        } catch (e) {
            throw new PartialCreate("ResellerService", id, outputs(inputs, live, productId, cycleId), e);
        }
    },
    async adopt(ctx, id, inputs) {
        const live = await readLive(ctx, inputs.clientId, id);
        if (!live) throw new Error(`adopt: client ${inputs.clientId} has no live reseller service ${id}; check both ids, or remove "adopt" to order a new service`);
        return { id, outs: await converge(ctx, live, inputs, idOf(live.service.product) ?? inputs.productId ?? "", idOf(live.service.cycle) ?? inputs.productCycleId ?? "") };
    },
    async importState(ctx, id) {
        // The product and cycle by id: Fleio's service holds those, not the names written.
        const owner = await serviceOwner(ctx, id);
        return { clientId: owner.clientId, productId: owner.productId, productCycleId: owner.productCycleId, resolvedProductId: owner.productId, resolvedProductCycleId: owner.productCycleId };
    },
    async read(ctx, id, olds) {
        const live = await readLive(ctx, olds.clientId, id);
        return live && outputs(olds, live, olds.resolvedProductId, olds.resolvedProductCycleId);
    },
    async update(ctx, id, olds, news) {
        const live = await readLive(ctx, news.clientId, id);
        if (!live) throw new Error(`reseller service ${id} of client ${news.clientId} is not in Fleio (or was terminated)`);
        return converge(ctx, live, news, olds.resolvedProductId, olds.resolvedProductCycleId);
    },
    async delete(ctx, id, olds) {
        if (await takenOver(ctx, id, olds)) return;
        let detail: string;
        try {
            detail = (await ctx.api.post<{ detail?: string }>(`billing/services/${id}/terminate`, {}, undefined, { idempotent: true }))?.detail ?? "";
        } catch (e) {
            // Fleio refuses (403) to terminate a service that already ended, e.g. out of band.
            if (e instanceof FleioApiError && e.status === 403) {
                notice(`reseller service ${id} of client ${olds.clientId} had already ended in Fleio: it is dropped from the stack`);
                return;
            }
            throw e;
        }
        forgetServices(ctx, olds.clientId);
        if (/suspend/i.test(detail)) {
            // suspend_instead_of_terminate (on by default): Fleio keeps the service, its
            // reseller resources and their plan. Fleio will not delete a plan a reseller
            // points at, so move the reseller to the staff default plan first.
            const fallback = await staffDefaultPlan(ctx);
            if (String(fallback.id) !== olds.planId) await setPlan(ctx, olds.clientId, id, String(fallback.id));
            notice(
                `Fleio kept reseller service ${id} of client ${olds.clientId} suspended (suspend_instead_of_terminate is on), ` +
                    `now priced by the default staff plan ${fallback.id} "${fallback.name}"; it is no longer managed by this stack`,
            );
            return;
        }
        // Terminating: Fleio ends the service and removes its reseller resources in a task.
        await waitUntilGone(ctx, `reseller service ${id}`, async () => {
            const s = await ctx.api.getIfExists<{ status: string }>(`billing/services/${id}`);
            return !s || s.status === "terminated" || s.status === "canceled";
        });
    },
});
