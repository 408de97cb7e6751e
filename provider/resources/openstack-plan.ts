import { z } from "zod";
import { defineResource, Issue } from "./define";
import { currencyCode, fleioId, requiredText } from "../validation/fields";
import type { ProviderContext } from "../context";
import { createOnce } from "./create-once";
import { alreadyHolds } from "./already";
import { optionalId, ownerScope, resellerClientOf } from "./reseller-resources";
import { FleioApiError } from "../client/errors";
import { notice } from "../notice";
import { recalled, remember, runState } from "../context";
import { offeredCurrency } from "../validation/remote";

/** An OpenStack pricing plan: the container of pricing rules. */
export const openstackPlanInputs = z.strictObject({
    name: requiredText(255).describe("Plan name."),
    currency: currencyCode.describe("ISO 4217 currency code of the plan's prices."),
    /** The default plan of its scope (staff or one reseller); Fleio keeps one default per scope. */
    isDefault: z.boolean({ error: "must be true or false" }).default(false).describe("The default plan of its scope (staff or one reseller); Fleio keeps one default per scope."),
    /** Client id of the reseller that owns the plan; absent = a staff (cloud operator) plan. */
    resellerClientId: fleioId("client", "bigint").optional().describe("Client id of the reseller that owns the plan; absent = a staff (cloud operator) plan. Changing it replaces the plan."),
    /** Plan that this plan's services move to when it is deleted (Fleio requires one); default: the scope's default plan. */
    migrateServicesTo: fleioId("plan", "int").optional().describe("Plan that this plan's services move to when it is deleted (Fleio requires one); default: the scope's default plan."),
    adopt: fleioId("plan", "int").optional().describe("Id of an existing plan to take over instead of creating one (used at create only)."),
});
export type OpenstackPlanInputs = z.output<typeof openstackPlanInputs>;
export type OpenstackPlanOutputs = OpenstackPlanInputs & { planId: string; resellerResourcesId?: string; servicesCount: number };

export interface ApiPlan {
    id: number;
    name: string;
    currency: string | null;
    is_default: boolean;
    reseller_resources?: number | null;
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
        // The reseller API does not render reseller_resources: absent stays absent.
        resellerResourcesId: optionalId(p.reseller_resources),
        servicesCount: p.services_count ?? 0,
    };
}

const get = (ctx: ProviderContext, id: string) => ctx.api.getIfExists<ApiPlan>(`${PATH}/${id}`);

const scopeOf = (ctx: ProviderContext, inputs: OpenstackPlanInputs) => ownerScope(ctx, inputs.resellerClientId, "plan");

/** Every plan the caller can see; Fleio ignores `filtering` here, so callers filter. */
export const allPlans = (ctx: ProviderContext) => ctx.api.list<ApiPlan>(PATH, { ordering: "id" });

/**
 * The plans as this run knows them: one scan, then this run's own creates and deletes.
 * Choosing a migration target or a fallback plan needs no fresh list per delete.
 */
const KNOWN_PLANS = "plans/known";
async function knownPlans(ctx: ProviderContext): Promise<Map<string, ApiPlan>> {
    return remember(ctx, KNOWN_PLANS, async () => new Map((await allPlans(ctx)).map((p) => [String(p.id), p])));
}

/** The plans this run has already listed, without listing them for this. */
async function seenPlans(ctx: ProviderContext): Promise<Map<string, ApiPlan> | undefined> {
    return recalled<Map<string, ApiPlan>>(ctx, KNOWN_PLANS);
}

/** The name of a plan this run has listed or made, if it has. */
export async function knownPlanName(ctx: ProviderContext, id: string): Promise<string | undefined> {
    return (await seenPlans(ctx))?.get(id)?.name;
}

/**
 * The cloud operator's default plan: where a reseller Fleio keeps goes when its own plan
 * is deleted. Only the default will do: any other staff plan may be one this very run
 * deletes next. A fresh Fleio has none; Fleio itself then makes one named "default" for a
 * new reseller service, and so does this, once per run, saying so.
 */
export async function staffDefaultPlan(ctx: ProviderContext): Promise<ApiPlan> {
    const known = await knownPlans(ctx);
    const found = [...known.values()].find((p) => p.reseller_resources === null && p.is_default);
    return found ?? makeStaffDefault(ctx, "as Fleio itself does for a new reseller service");
}

/**
 * Makes Fleio's own kind of default staff plan (named "default", in Fleio's default
 * currency, as `get_default_or_any_or_create` would), once per run, and says why.
 */
function makeStaffDefault(ctx: ProviderContext, why: string): Promise<ApiPlan> {
    return remember(ctx, "plans/staff-default-made", async () => {
        const options = await ctx.api.get<{ currencies?: ({ code: string; is_default?: boolean } | string)[] }>(`${PATH}/create_options`);
        const codes = (options.currencies ?? []).map((c) => (typeof c === "string" ? { code: c, is_default: false } : c));
        const currency = (codes.find((c) => c.is_default) ?? codes[0])?.code ?? "EUR";
        const made = await ctx.api.post<ApiPlan>(PATH, { name: "default", currency, is_default: true });
        saw(await knownPlans(ctx), { ...made, reseller_resources: null });
        notice(`Fleio had no default staff plan, so one was made (plan ${made.id} "default", ${currency}), ${why}; it is not managed by this stack`);
        return made;
    });
}

/**
 * Records a plan Fleio has just saved in the run's view. Fleio's PricingPlan.save()
 * takes the default flag from every other plan of a default plan's scope.
 */
function saw(known: Map<string, ApiPlan>, plan: ApiPlan, reseller = false): void {
    const scope = plan.reseller_resources ?? null;
    if (plan.is_default) for (const p of known.values()) if (p.id !== plan.id && (reseller || (p.reseller_resources ?? null) === scope)) p.is_default = false;
    known.set(String(plan.id), plan);
}

/** Whether a plan update must wait for the scope to get a default (see keepScopeDefault). */
const needsOtherDefault = (inputs: Pick<OpenstackPlanInputs, "isDefault">) => !inputs.isDefault;

/**
 * Fleio's plan update refuses (400 "There must be a default billing plan") unless the
 * update makes the plan its scope's default or another plan of the scope already is
 * (AdminPricingPlanViewSet.update; `other_default` would hand the flag to a plan of our
 * choosing, which another resource of the stack may declare not default). A fresh Fleio
 * has no default staff plan, so every staff plan update would fail: the provider makes
 * Fleio's own "default" staff plan first, once, and says so. A reseller's scope gets no
 * plan it did not ask for: that update fails before anything is sent, with the fix (the
 * preview already refuses it: defaultRuleIssues).
 */
async function keepScopeDefault(ctx: ProviderContext, id: string, inputs: OpenstackPlanInputs, current: ApiPlan): Promise<void> {
    if (!needsOtherDefault(inputs)) return;
    const known = await knownPlans(ctx);
    const reseller = ctx.settings.apiScope === "reseller";
    // The run's scan knows the plan's scope and flag even when the state is older.
    const self = known.get(id) ?? current;
    const scope = self.reseller_resources ?? null;
    const others = [...known.values()].filter((p) => String(p.id) !== id && (reseller || (p.reseller_resources ?? null) === scope));
    if (others.some((p) => p.is_default)) return;
    if (!reseller && scope === null) {
        await makeStaffDefault(ctx, `because Fleio refuses to save staff plan ${id} ("${inputs.name}") while no other staff plan is the default`);
        return;
    }
    throw new Error(noDefaultFix(self.is_default ? "it is the scope's only default plan" : "no plan of the reseller's scope is its default"));
}

const noDefaultFix = (why: string) =>
    `Fleio refuses to save this plan with isDefault false: ${why}, and Fleio keeps one default per scope. ` +
    "Set isDefault: true on this plan (a reseller's first plan is its default) or on another plan of the same reseller, then run again";

/**
 * The same rule at preview, for a reseller's scope (a staff plan gets Fleio's "default"
 * plan made at apply instead). Reads the scope's plans only when a plan field changes
 * or a plan is adopted. Without the plan's id (check() has none), the plan is the
 * scope's only default when the stack last set isDefault and the scope has one default.
 */
async function defaultRuleIssues(ctx: ProviderContext, inputs: OpenstackPlanInputs, before: Record<string, unknown> | undefined): Promise<Issue[]> {
    if (!needsOtherDefault(inputs) || (!before && !inputs.adopt)) return [];
    const reseller = ctx.settings.apiScope === "reseller";
    if (!reseller && !inputs.resellerClientId) return [];
    const scope = reseller ? null : await ownerScope(ctx, inputs.resellerClientId, "plan");
    const plans = (await knownPlans(ctx)).values();
    const defaults = [...plans].filter((p) => p.is_default && (reseller || (p.reseller_resources ?? null) === scope));
    const self = inputs.adopt ?? (before?.isDefault === true && defaults.length === 1 ? String(defaults[0].id) : undefined);
    if (defaults.some((p) => String(p.id) !== self)) return [];
    return [{ property: "isDefault", reason: noDefaultFix(defaults.length ? "it is the scope's only default plan" : "no plan of the reseller's scope is its default") }];
}

/** Saves the plan's fields, keeping Fleio's one-default-per-scope rule (keepScopeDefault). */
async function put(ctx: ProviderContext, id: string, inputs: OpenstackPlanInputs, current: ApiPlan): Promise<ApiPlan> {
    await keepScopeDefault(ctx, id, inputs, current);
    // Fleio wraps this one answer: {"plan": {...}}.
    const res = await ctx.api.put<{ plan: ApiPlan }>(`${PATH}/${id}`, { name: inputs.name, currency: inputs.currency, is_default: inputs.isDefault });
    const known = await seenPlans(ctx);
    if (known) saw(known, { ...current, ...res.plan, reseller_resources: res.plan.reseller_resources ?? current.reseller_resources ?? null }, ctx.settings.apiScope === "reseller");
    return res.plan;
}

/**
 * Where Fleio should move a deleted plan's services: the plan asked for, else the
 * default of the plan's own scope (staff, or that one reseller), else another plan of
 * that scope; a reseller's last plan hands its services to the staff default plan.
 * The scope is read from the plan itself, so it is right whatever older state says.
 */
async function migrationTarget(ctx: ProviderContext, id: string, olds: OpenstackPlanOutputs): Promise<string | undefined | "gone"> {
    if (olds.migrateServicesTo && olds.migrateServicesTo !== id) {
        // A plan this run has deleted cannot take services (Fleio: Invalid pk).
        if (!deletedPlans(ctx).has(olds.migrateServicesTo)) return olds.migrateServicesTo;
        notice(`plan ${id}: migrateServicesTo plan ${olds.migrateServicesTo} was deleted earlier in this run, so its services go to another plan of its scope`);
    }
    const plans = [...(await knownPlans(ctx)).values()];
    const self = plans.find((p) => String(p.id) === id);
    if (!self) return "gone";
    // Plans whose delete this run has already started only if nothing else will do: their
    // own delete then moves the services on, one plan at a time (see deletesInTurn).
    const leaving = pendingPlanDeletes(ctx);
    const byPreference = (ps: ApiPlan[]) => [...ps.filter((p) => !leaving.has(String(p.id))), ...ps.filter((p) => leaving.has(String(p.id)))];
    // The reseller API does not render reseller_resources: there every visible plan is the caller's.
    const scope = self.reseller_resources ?? null;
    const sameScope = plans.filter((p) => String(p.id) !== id && (ctx.settings.apiScope === "reseller" || (p.reseller_resources ?? null) === scope));
    const ranked = byPreference([...sameScope.filter((p) => p.is_default), ...sameScope.filter((p) => !p.is_default)]);
    const staffDefault = scope !== null ? byPreference(plans.filter((p) => p.reseller_resources === null && p.is_default)) : [];
    const target = ranked[0] ?? staffDefault[0];
    return target && String(target.id);
}

/** Plans whose delete this run has started and not finished. */
const pendingPlanDeletes = (ctx: ProviderContext) => runState(ctx, "plans/deleting", () => new Set<string>());
/** Plans this run has deleted. */
const deletedPlans = (ctx: ProviderContext) => runState(ctx, "plans/deleted", () => new Set<string>());

/**
 * Runs plan deletes one at a time. The engine deletes unrelated plans side by side (a
 * destroy), and each delete names a plan to move services to: chosen while another
 * delete is in flight, that plan may be gone by the time Fleio reads it ("plan_to_migrate:
 * Invalid pk"). In turn, each delete chooses among the plans that exist at that moment.
 */
async function deletesInTurn<T>(ctx: ProviderContext, run: () => Promise<T>): Promise<T> {
    const queue = runState(ctx, "plans/delete-turn", () => ({ tail: Promise.resolve() as Promise<unknown> }));
    const mine = queue.tail.then(run, run);
    queue.tail = mine.catch(() => undefined);
    return mine;
}

export const openstackPlan = defineResource({
    kind: "OpenstackPlan",
    /** Outputs beyond the inputs, for the schema and docs. */
    outputs: z.object({
        planId: z.string().describe("Fleio's id of the plan."),
        resellerResourcesId: z.string().optional().describe("Id of the reseller resources (scope) that own the plan; absent for a staff plan."),
        servicesCount: z.number().int().describe("How many services use the plan."),
    }),
    inputs: openstackPlanInputs,
    remoteCheck: {
        fields: ["name", "currency", "isDefault", "adopt"],
        what: "whether Fleio offers its currency and whether its scope keeps a default plan",
        async run(ctx, inputs, written, before, changed) {
            const currency = changed.includes("currency") ? await offeredCurrency.run(ctx, inputs, written) : [];
            return [...currency, ...(await defaultRuleIssues(ctx, inputs, before))];
        },
    },
    // A plan belongs to one scope for life: its services and rules are priced there.
    replaceOnChange: ["resellerClientId"],
    stableOutputs: ["planId", "resellerResourcesId"],
    createOnly: ["adopt"],
    async create(ctx, inputs, resumed) {
        const scope = await scopeOf(ctx, inputs);
        const body: Record<string, unknown> = { name: inputs.name, currency: inputs.currency, is_default: inputs.isDefault };
        if (scope !== null) body.reseller_resources = scope;
        // The reseller API renders no reseller_resources: there every plan is the caller's.
        const same = (plans: ApiPlan[]) =>
            plans.filter((p) => p.name === inputs.name && p.currency === inputs.currency && (ctx.settings.apiScope === "reseller" || (p.reseller_resources ?? null) === scope));
        const { object: plan } = await createOnce<ApiPlan>({
            what: `plan "${inputs.name}" (${inputs.currency}) in this scope`,
            send: () => ctx.api.post<ApiPlan>(PATH, body),
            lookup: async () => same(await allPlans(ctx)),
            get: (id) => get(ctx, id),
            // One scan of the plans per run, plus what this run made (a same-named one is a duplicate too).
            existing: async () => same([...(await knownPlans(ctx)).values()]),
            // Plan names are not unique in Fleio: a same-named plan may be someone else's.
            identity: "ambiguous",
            adoptHint: (p) => `set adopt: "${p.id}" on this OpenstackPlan to manage it, or give the plan another name`,
            retries: ctx.settings.retries,
            resumed,
        });
        saw(await knownPlans(ctx), { ...plan, reseller_resources: plan.reseller_resources ?? scope }, ctx.settings.apiScope === "reseller");

        return { id: String(plan.id), outs: fromApi(plan, inputs) };
    },
    async adopt(ctx, id, inputs) {
        const p = await get(ctx, id);
        if (!p) throw new Error(`adopt: there is no plan ${id} in Fleio; check the id, or remove "adopt" to create a new plan`);
        const scope = await scopeOf(ctx, inputs);
        if (ctx.settings.apiScope === "staff" && (p.reseller_resources ?? null) !== scope)
            throw new Error(`adopt: plan ${id} belongs to ${p.reseller_resources === null ? "the staff scope" : `reseller resources ${p.reseller_resources}`}, not to the scope given by resellerClientId`);
        // Already as declared (compared as diff() compares): nothing to send.
        const current = fromApi(p, inputs);
        if (alreadyHolds(openstackPlanInputs, current, inputs, ["name", "currency", "isDefault"])) return { id, outs: current };
        return { id, outs: fromApi(await put(ctx, id, inputs, p), inputs) };
    },
    async importState(ctx, id) {
        // A reseller's plan names its owner by the client's id: find it from the plan's scope.
        return { resellerClientId: await resellerClientOf(ctx, optionalId((await get(ctx, id))?.reseller_resources)) };
    },
    async read(ctx, id, olds) {
        const p = await get(ctx, id);
        return p && fromApi(p, olds);
    },
    async update(ctx, id, olds, news) {
        // Only a setting of the provider's own changed (migrateServicesTo): Fleio has nothing to save.
        if (olds.name === news.name && olds.currency === news.currency && olds.isDefault === news.isDefault) return { ...olds, migrateServicesTo: news.migrateServicesTo, adopt: news.adopt };
        // Fleio may already hold the declared values: then nothing is sent.
        const now = await get(ctx, id);
        if (now && alreadyHolds(openstackPlanInputs, fromApi(now, news), news, ["name", "currency", "isDefault"])) return fromApi(now, news);
        const current: ApiPlan = (await seenPlans(ctx))?.get(id) ?? now ?? {
            id: Number(id),
            name: olds.name,
            currency: olds.currency,
            is_default: olds.isDefault,
            reseller_resources: olds.resellerResourcesId ? Number(olds.resellerResourcesId) : null,
        };
        return fromApi(await put(ctx, id, news, current), news);
    },
    async delete(ctx, id, olds) {
        pendingPlanDeletes(ctx).add(id);
        try {
            await deletesInTurn(ctx, () => deletePlan(ctx, id, olds));
        } finally {
            pendingPlanDeletes(ctx).delete(id);
        }
    },
});

/** Deletes one plan, moving its services to a plan that exists now (migrationTarget). */
async function deletePlan(ctx: ProviderContext, id: string, olds: OpenstackPlanOutputs): Promise<void> {
    const target = await migrationTarget(ctx, id, olds);
    if (target === "gone") {
        notice(`plan ${id} is already gone from Fleio; it is dropped from the stack`);
        return;
    }
    if (!target) {
        // Fleio's reseller API only migrates within the reseller's own plans.
        notice(`plan ${id} is the last plan of its scope and Fleio needs another plan to move its services to, so Fleio keeps it; it is no longer managed by this stack`);
        return;
    }
    try {
        await ctx.api.delete(`${PATH}/${id}`, { plan_to_migrate: target });
        deletedPlans(ctx).add(id);
        // Keep the run's view right, without scanning just for that.
        const known = await seenPlans(ctx);
        if (!known) return;
        // Fleio hands a deleted default plan's flag to the target in the same scope.
        const deleted = known.get(id);
        const heir = known.get(target);
        if (deleted?.is_default && heir && (heir.reseller_resources ?? null) === (deleted.reseller_resources ?? null)) heir.is_default = true;
        known.delete(id);
    } catch (e) {
        // Fleio answers its 500 page while any reseller, even a suspended one, is priced by the plan.
        if (e instanceof FleioApiError && e.status === 500)
            throw new Error(
                `Fleio refused to delete plan ${id} (HTTP 500): a reseller service is still priced by it, which Fleio does not allow even for a suspended service. ` +
                    `Move that reseller to another plan first (its ResellerService planId), then run the delete again`,
            );
        throw e;
    }
}
