import { z } from "zod";
import { defineResource } from "./define";
import { currencyCode, fleioId, requiredText } from "../validation/fields";
import type { ProviderContext } from "../context";
import { createOnce } from "./create-once";
import { offeredCurrency } from "../validation/remote";
import { ownerScope } from "./reseller-resources";

/** An OpenStack pricing plan: the container of pricing rules. */
export const openstackPlanInputs = z.strictObject({
    name: requiredText(255),
    currency: currencyCode,
    /** The default plan of its scope (staff or one reseller); Fleio keeps one default per scope. */
    isDefault: z.boolean({ error: "must be true or false" }).default(false),
    /** Client id of the reseller that owns the plan; absent = a staff (cloud operator) plan. */
    resellerClientId: fleioId("client", "bigint").optional(),
    /** Plan that this plan's services move to when it is deleted (Fleio requires one); default: the scope's default plan. */
    migrateServicesTo: fleioId("plan", "int").optional(),
    adopt: fleioId("plan", "int").optional(),
});
export type OpenstackPlanInputs = z.output<typeof openstackPlanInputs>;
export type OpenstackPlanOutputs = OpenstackPlanInputs & { planId: string; resellerResourcesId?: string; servicesCount: number };

export interface ApiPlan {
    id: number;
    name: string;
    currency: string | null;
    is_default: boolean;
    reseller_resources: number | null;
    services_count?: number;
}

const PATH = "openstack/billing/plan";

export function fromApi(p: ApiPlan, keep: Pick<OpenstackPlanInputs, "adopt" | "migrateServicesTo" | "resellerClientId">): OpenstackPlanOutputs {
    return {
        name: p.name,
        currency: p.currency ?? "",
        isDefault: p.is_default,
        resellerClientId: keep.resellerClientId,
        migrateServicesTo: keep.migrateServicesTo,
        adopt: keep.adopt,
        planId: String(p.id),
        resellerResourcesId: p.reseller_resources === null ? undefined : String(p.reseller_resources),
        servicesCount: p.services_count ?? 0,
    };
}

const get = (ctx: ProviderContext, id: string) => ctx.api.getIfExists<ApiPlan>(`${PATH}/${id}`);

const scopeOf = (ctx: ProviderContext, inputs: OpenstackPlanInputs) => ownerScope(ctx, inputs.resellerClientId, "plan");

async function put(ctx: ProviderContext, id: string, inputs: OpenstackPlanInputs): Promise<ApiPlan> {
    // Fleio wraps this one answer: {"plan": {...}}.
    const res = await ctx.api.put<{ plan: ApiPlan }>(`${PATH}/${id}`, { name: inputs.name, currency: inputs.currency, is_default: inputs.isDefault });
    return res.plan;
}

/** Where Fleio should move a deleted plan's services: asked for, else the scope's default, else any other plan. */
async function migrationTarget(ctx: ProviderContext, id: string, olds: OpenstackPlanOutputs): Promise<string> {
    if (olds.migrateServicesTo && olds.migrateServicesTo !== id) return olds.migrateServicesTo;
    const scope = olds.resellerResourcesId ?? "null";
    const others = await ctx.api.list<ApiPlan>(PATH, { filtering: `reseller_resources:${scope}+id__ne:${id}`, ordering: "id" });
    let target = others.find((p) => p.is_default) ?? others[0];
    // A reseller's last plan hands its services back to the staff default plan.
    if (!target && scope !== "null") target = (await ctx.api.list<ApiPlan>(PATH, { filtering: "reseller_resources:null+is_default:true" }))[0];
    if (!target)
        throw new Error(`plan ${id} is the only plan in its scope and Fleio needs another plan to move its services to; create another plan first or set migrateServicesTo`);
    return String(target.id);
}

export const openstackPlan = defineResource({
    kind: "OpenstackPlan",
    inputs: openstackPlanInputs,
    remoteCheck: offeredCurrency,
    // A plan belongs to one scope for life: its services and rules are priced there.
    replaceOnChange: ["resellerClientId"],
    createOnly: ["adopt"],
    async create(ctx, inputs) {
        const scope = await scopeOf(ctx, inputs);
        const body: Record<string, unknown> = { name: inputs.name, currency: inputs.currency, is_default: inputs.isDefault };
        if (scope !== null) body.reseller_resources = scope;
        const id = await createOnce(ctx, {
            what: `plan "${inputs.name}"`,
            send: () => ctx.api.post<ApiPlan>(PATH, body).then((p) => String(p.id)),
            findExisting: () => ctx.api.list<ApiPlan>(PATH, { search: inputs.name }),
            matches: (p: ApiPlan) => p.name === inputs.name && p.currency === inputs.currency && p.reseller_resources === scope,
            // Plan names are not unique in Fleio.
            snapshotFirst: true,
        });
        const p = await get(ctx, id);
        if (!p) throw new Error(`plan ${id} disappeared from Fleio right after it was created`);
        return { id, outs: fromApi(p, inputs) };
    },
    async adopt(ctx, id, inputs) {
        const p = await get(ctx, id);
        if (!p) throw new Error(`adopt: there is no plan ${id} in Fleio; check the id, or remove "adopt" to create a new plan`);
        const scope = await scopeOf(ctx, inputs);
        if (ctx.settings.apiScope === "staff" && p.reseller_resources !== scope)
            throw new Error(`adopt: plan ${id} belongs to ${p.reseller_resources === null ? "the staff scope" : `reseller resources ${p.reseller_resources}`}, not to the scope given by resellerClientId`);
        return { id, outs: fromApi(await put(ctx, id, inputs), inputs) };
    },
    async read(ctx, id, olds) {
        const p = await get(ctx, id);
        return p && fromApi(p, olds);
    },
    async update(ctx, id, _olds, news) {
        return fromApi(await put(ctx, id, news), news);
    },
    async delete(ctx, id, olds) {
        if (!(await get(ctx, id))) return;
        const target = await migrationTarget(ctx, id, olds);
        await ctx.api.delete(`${PATH}/${id}`, { plan_to_migrate: target });
    },
});
