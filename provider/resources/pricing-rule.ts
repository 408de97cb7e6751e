import { z } from "zod";
import { defineResource, Issue } from "./define";
import { apiId, canonicalDecimal, compareDecimal, decimal, fleioId, MODIFIER_DECIMAL, optionalText, requiredText, TIER_DECIMAL } from "../validation/fields";
import { cut, got, shown } from "../validation/echo";
import { knownBillingResource } from "../validation/remote";
import { ProviderContext, remember } from "../context";
import { createOnce } from "./create-once";
import { alreadyHolds } from "./already";

/**
 * Fleio's unit codes, and the names people write for them. "month" is deliberately
 * absent: Fleio's "bc" is the billing cycle, which may be a year, so a guess would
 * price a yearly plan twelve times over.
 */
const TIME_UNITS: Record<string, string> = { s: "s", second: "s", m: "m", minute: "m", h: "h", hour: "h", d: "d", day: "d", bc: "bc", billingcycle: "bc" };
const ATTRIBUTE_UNITS: Record<string, string> = { u: "u", unit: "u", units: "u", b: "b", byte: "b", bytes: "b", k: "k", kb: "k", kib: "k", m: "m", mb: "m", mib: "m", g: "g", gb: "g", gib: "g", t: "t", tb: "t", tib: "t", p: "p", pb: "p", pib: "p" };
const OPERATORS: Record<string, string> = { lt: "lt", "<": "lt", le: "le", "<=": "le", gt: "gt", ">": "gt", ge: "ge", ">=": "ge", eq: "eq", "==": "eq", "=": "eq", ne: "ne", "!=": "ne", in: "in", ni: "ni", "not in": "ni" };

/**
 * `blank`: what Fleio's blank value ("", which its choice fields allow and may hold)
 * means here; the serializer stores it, and nothing bills differently for it.
 */
const fromTable = (table: Record<string, string>, expected: string, blank?: string) =>
    z.string({ error: `must be ${expected}` }).transform((v, ctx) => {
        const key = v.trim().toLowerCase();
        if (key === "" && blank !== undefined) return blank;
        const code = table[key] ?? table[key.replace(/[\s_-]/g, "")];
        if (!code) {
            ctx.addIssue({ code: "custom", message: `must be ${expected}${got(v)}` });
            return z.NEVER;
        }
        return code;
    });

const TIME_UNIT_EXPECTED = "a time unit: second, minute, hour, day or billingCycle, or Fleio's code s, m, h, d or bc";
// A modifier's time unit is required by Fleio (no blank); a rule's may be blank, which Fleio bills per cycle.
const timeUnit = fromTable(TIME_UNITS, TIME_UNIT_EXPECTED);
const ruleTimeUnit = fromTable(TIME_UNITS, TIME_UNIT_EXPECTED, "bc");
// Fleio's attribute_unit may be null or blank: both mean no unit.
const attributeUnit = fromTable(ATTRIBUTE_UNITS, "an attribute unit: one of u (units), b, k, m, g, t, p (bytes to petabytes), or unit, kb, mb, gb, tb, pb", "")
    .transform((v) => (v === "" ? undefined : v))
    .optional();
const operator = fromTable(OPERATORS, "an operator: one of lt, le, gt, ge, eq, ne, in, ni (or <, <=, >, >=, ==, !=, not in)");
// Fleio's `value` is a JSONField: any JSON but null (DRF refuses null there).
const conditionValue = z.union([z.string(), z.number(), z.boolean(), z.array(z.json()), z.record(z.string(), z.json())], {
    error: "must be a string, number, boolean, or a list or object of such values",
});

const tier = z.strictObject({
    /** Where this tier starts, in the attribute's unit (0 for the first). */
    from: decimal("the tier start", TIER_DECIMAL, true).describe("Where this tier starts, in the attribute's unit (0 for the first)."),
    /** Price per unit of time (or per cycle) from `from` on. */
    price: decimal("the price", TIER_DECIMAL, true).describe("Price per unit of time (or per cycle) from `from` on, as a decimal string."),
});

const condition = z.strictObject({
    name: requiredText(128).default("condition").describe("Name of the condition in Fleio."),
    attribute: requiredText(128).describe("The resource attribute compared, e.g. instance_type."),
    attributeUnit: attributeUnit.describe("Unit of the attribute: u, b, k, m, g, t or p."),
    operator: operator.default("eq").describe("lt, le, gt, ge, eq (default), ne, in or ni (or <, <=, >, >=, ==, !=, not in)."),
    value: conditionValue.describe("The value compared with: a string, number, boolean, or a list for in/ni."),
});

const modifier = z.strictObject({
    name: requiredText(128).default("modifier").describe("Name of the modifier in Fleio."),
    attribute: requiredText(128).describe("The resource attribute compared, e.g. instance_type."),
    attributeUnit: attributeUnit.describe("Unit of the attribute: u, b, k, m, g, t or p."),
    operator: operator.default("eq").describe("lt, le, gt, ge, eq (default), ne, in or ni (or <, <=, >, >=, ==, !=, not in)."),
    value: conditionValue.describe("The value compared with: a string, number, boolean, or a list for in/ni."),
    price: decimal("the modifier price", MODIFIER_DECIMAL, true).describe("The modifier's price (or percentage, with pricePercent), as a decimal string."),
    timeUnit: timeUnit.describe("Time unit of the price: s, m, h, d or bc."),
    pricePercent: z.boolean({ error: "must be true or false" }).default(false).describe("The price is a percentage of the rule's price."),
});

/** A price rule of an OpenStack plan: what one billing resource costs. */
export const pricingRuleInputs = z.strictObject({
    planId: fleioId("plan", "int").describe("Id of the OpenStack plan this rule prices."),
    displayName: requiredText(255).describe("Name shown for the rule."),
    /** The billing resource by id … */
    resourceId: fleioId("billing resource", "int").optional().describe("The billing resource by id; give this or resourceName."),
    /** … or by name: "instance", "volume", "image", "instance_traffic", … */
    resourceName: requiredText(255).optional().describe("The billing resource by name: instance, volume, image, instance_traffic, ...; give this or resourceId."),
    /** Only where a name exists under several types: Fleio's type, e.g. "service" or "metric". */
    resourceType: requiredText(128).optional().describe("Only where a name exists under several types: Fleio's type, e.g. service or metric."),
    // Fleio's priority is an IntegerField: any 32-bit whole number.
    priority: z.number({ error: "must be a whole number" }).int("must be a whole number").min(-2147483648, "must be at least -2147483648").max(2147483647, "must be at most 2147483647").default(1).describe("Rule priority, a whole number (default 1)."),
    // Fleio accepts an empty list (the rule then prices nothing): advise() warns about it.
    prices: z
        .array(tier, { error: 'must be a list of tiers such as [{ from: 0, price: "0.05" }]' })
        // Order carries no meaning in Fleio; sorting keeps a reordering from being a change.
        .transform((tiers) => [...tiers].sort((a, b) => compareDecimal(a.from, b.from))).describe("Price tiers: where each starts (from) and its price per time unit, as decimal strings such as \"0.05\". Order does not matter."),
    // Null or blank in Fleio: no attribute.
    attribute: optionalText(255).describe("The billing resource attribute the tiers count, e.g. vcpus."),
    attributeUnit: attributeUnit.describe("Unit of the attribute: u (units), b, k, m, g, t, p (bytes to petabytes)."),
    timeUnit: ruleTimeUnit.default("bc").describe("Time unit of the price: s, m, h, d or bc (billing cycle, the default)."),
    conditions: z.array(condition).default([]).describe("Conditions on resource attributes that must hold for this rule to apply."),
    modifiers: z.array(modifier).default([]).describe("Price modifiers applied when their condition holds."),
    adopt: fleioId("pricing rule", "int").optional().describe("Id of an existing pricing rule to take over instead of creating one (used at create only)."),
});
export type PricingRuleInputs = z.output<typeof pricingRuleInputs>;
export type PricingRuleOutputs = PricingRuleInputs & { ruleId: string; resolvedResourceId: string };

export function crossCheck(i: PricingRuleInputs): Issue[] {
    const issues: Issue[] = [];
    if (!i.resourceId && !i.resourceName)
        issues.push({ property: "resourceName", reason: 'give the billing resource: resourceName (e.g. "instance", "volume") or resourceId' });
    if (i.resourceId && (i.resourceType || i.resourceName))
        issues.push({ property: "resourceId", reason: "give either resourceId or resourceType/resourceName, not both" });
    const seen = new Set<string>();
    i.prices.forEach((t, n) => {
        if (seen.has(t.from)) issues.push({ property: `prices[${n}].from`, reason: `two tiers start at ${shown(t.from)}; each tier needs its own start` });
        seen.add(t.from);
    });
    const conditionAttrs = new Set(i.conditions.map((c) => c.attribute));
    i.modifiers.forEach((m, n) => {
        if (conditionAttrs.has(m.attribute))
            issues.push({ property: `modifiers[${n}].attribute`, reason: `${shown(m.attribute)} is already a condition; Fleio refuses an attribute in both conditions and modifiers` });
    });
    return issues;
}

/**
 * Shapes Fleio accepts that price oddly: said as warnings (check() shows them in the
 * preview), never refused, so a plan made by hand can be adopted and discovered.
 */
export function advise(i: PricingRuleInputs): string[] {
    const said: string[] = [];
    const name = `pricing rule "${cut(i.displayName, 60)}"`;
    if (i.prices.length === 0) said.push(`${name} has no price tiers: Fleio accepts it, and it prices nothing`);
    if (i.prices.length > 1 && !i.attribute)
        said.push(`${name} has ${i.prices.length} price tiers but no attribute they are measured on: Fleio accepts it, but which tier applies is unclear; set attribute (e.g. "vcpus") if you mean one`);
    if (i.prices.some((t) => t.from.startsWith("-") || t.price.startsWith("-")))
        said.push(`${name} has a negative tier start or price: Fleio accepts it, and a negative price credits the client`);
    return said;
}

export interface ApiRule {
    id: number;
    display_name: string;
    plan: number;
    resource: number;
    priority: number;
    pricing: { prices: { f: string | number; p: string | number }[]; attribute?: string | null; attribute_unit?: string | null; time_unit?: string | null };
    conditions?: { name: string; attribute: string; attribute_unit?: string | null; operator: string; value: unknown }[];
    modifiers?: { name: string; attribute: string; attribute_unit?: string | null; operator: string; value: unknown; price: string | number; time_unit: string; price_is_percent: boolean }[];
}
interface ApiBillingResource {
    id: number;
    type: string;
    name: string;
}

const PATH = "openstack/billing/pricerule";
// Fleio's null and blank both mean "none" for these fields.
const orUndefined = <T>(v: T | null | undefined) => (v === null || v === undefined || v === "" ? undefined : v);

export function toApi(i: PricingRuleInputs, resourceId: string): Record<string, unknown> {
    return {
        display_name: i.displayName,
        plan: apiId(i.planId),
        resource: apiId(resourceId),
        priority: i.priority,
        pricing: {
            prices: i.prices.map((t) => ({ f: t.from, p: t.price })),
            attribute: i.attribute ?? null,
            attribute_unit: i.attributeUnit ?? null,
            time_unit: i.timeUnit,
        },
        conditions: i.conditions.map((c) => ({ name: c.name, attribute: c.attribute, attribute_unit: c.attributeUnit ?? null, operator: c.operator, value: c.value })),
        modifiers: i.modifiers.map((m) => ({
            name: m.name,
            attribute: m.attribute,
            attribute_unit: m.attributeUnit ?? null,
            operator: m.operator,
            value: m.value,
            price: m.price,
            time_unit: m.timeUnit,
            price_is_percent: m.pricePercent,
        })),
    };
}

export function fromApi(r: ApiRule, keep: Pick<PricingRuleInputs, "resourceId" | "resourceType" | "resourceName" | "adopt">): PricingRuleOutputs {
    return {
        planId: String(r.plan),
        displayName: r.display_name,
        // How the user named the resource is kept; which resource it is, is read.
        // Neither given is an import (existing state always has one): the id is what Fleio knows.
        resourceId: keep.resourceId !== undefined || keep.resourceName === undefined ? String(r.resource) : undefined,
        resourceType: keep.resourceType,
        resourceName: keep.resourceName,
        priority: r.priority,
        prices: r.pricing.prices.map((t) => ({ from: canonicalDecimal(String(t.f)), price: canonicalDecimal(String(t.p)) })).sort((a, b) => compareDecimal(a.from, b.from)),
        attribute: orUndefined(r.pricing.attribute),
        attributeUnit: orUndefined(r.pricing.attribute_unit),
        timeUnit: r.pricing.time_unit || "bc",
        conditions: (r.conditions ?? []).map((c) => ({ name: c.name, attribute: c.attribute, attributeUnit: orUndefined(c.attribute_unit), operator: c.operator, value: c.value as PricingRuleInputs["conditions"][number]["value"] })),
        modifiers: (r.modifiers ?? []).map((m) => ({
            name: m.name,
            attribute: m.attribute,
            attributeUnit: orUndefined(m.attribute_unit),
            operator: m.operator,
            value: m.value as PricingRuleInputs["modifiers"][number]["value"],
            price: canonicalDecimal(String(m.price)),
            timeUnit: m.time_unit,
            pricePercent: m.price_is_percent,
        })),
        adopt: keep.adopt,
        ruleId: String(r.id),
        resolvedResourceId: String(r.resource),
    };
}

/** Billing resources by type and name, from create_options: fetched once per run. */
export async function resolveResource(ctx: ProviderContext, i: Pick<PricingRuleInputs, "resourceId" | "resourceType" | "resourceName">): Promise<string> {
    if (i.resourceId) return i.resourceId;
    // create_options gives the display name ("Instance traffic"): compare loosely, so the
    // internal name ("instance_traffic") finds it too.
    const norm = (v: string) => v.trim().toLowerCase().replace(/[\s_-]+/g, "_");
    const name = norm(i.resourceName ?? "");
    const options = await remember(ctx, "pricerule/create_options", () => ctx.api.get<{ resources: ApiBillingResource[] }>(`${PATH}/create_options`));
    // Fleio types instance, volume and image as "service" and traffic as "metric":
    // the name is what people know, the type only tells apart a name used twice.
    const hits = options.resources.filter((r) => norm(r.name) === name && (!i.resourceType || r.type === i.resourceType));
    const known = options.resources.map((r) => `${r.name} (type ${r.type})`).join(", ") || "none";
    if (hits.length === 0) throw new Error(`no billing resource named "${i.resourceName}"${i.resourceType ? ` of type "${i.resourceType}"` : ""} in Fleio; known: ${known}`);
    if (hits.length > 1) throw new Error(`several billing resources are named "${i.resourceName}" (types ${hits.map((r) => r.type).join(", ")}); set resourceType`);
    return String(hits[0].id);
}

const get = (ctx: ProviderContext, id: string) => ctx.api.getIfExists<ApiRule>(`${PATH}/${id}`);

/** What a PUT writes besides the plan and resource (checked on their own). */
const RULE_FIELDS = ["displayName", "priority", "prices", "attribute", "attributeUnit", "timeUnit", "conditions", "modifiers"] as const;

async function put(ctx: ProviderContext, id: string, inputs: PricingRuleInputs): Promise<PricingRuleOutputs> {
    const resource = await resolveResource(ctx, inputs);
    // Fleio replaces all conditions and modifiers on update; the answer is the full rule.
    const r = await ctx.api.put<ApiRule>(`${PATH}/${id}`, toApi(inputs, resource));
    return fromApi(r, inputs);
}

export const pricingRule = defineResource({
    kind: "PricingRule",
    /** Outputs beyond the inputs, for the schema and docs. */
    outputs: z.object({
        ruleId: z.string().describe("Fleio's id of the rule."),
        resolvedResourceId: z.string().describe("Id of the billing resource the rule prices, resolved from resourceId or resourceName."),
    }),
    inputs: pricingRuleInputs,
    crossCheck,
    advise,
    remoteCheck: knownBillingResource,
    // A rule prices one resource within one plan; pointing it elsewhere is a different rule.
    replaceOnChange: ["planId", "resourceId", "resourceType", "resourceName"],
    createOnly: ["adopt"],
    async create(ctx, inputs) {
        const resource = await resolveResource(ctx, inputs);
        const body = toApi(inputs, resource);
        // Fleio ignores `filtering` on price rules: the plan is matched here, on each rule.
        const same = (rules: ApiRule[]) => rules.filter((r) => String(r.plan) === inputs.planId && r.display_name === inputs.displayName && String(r.resource) === resource);
        const { object, how } = await createOnce<ApiRule>({
            what: `pricing rule "${inputs.displayName}" of plan ${inputs.planId}`,
            send: () => ctx.api.post<ApiRule>(PATH, body),
            lookup: async () => same(await ctx.api.list<ApiRule>(PATH)),
            get: (id) => get(ctx, id),
            existing: async () => same(await remember(ctx, "pricerules/at-start", () => ctx.api.list<ApiRule>(PATH))),
            // Within a plan this stack manages, a rule of the same name and resource is this one,
            // made by an interrupted run.
            identity: "unique",
            adoptHint: (r) => `set adopt: "${r.id}" on this PricingRule to manage it`,
            retries: ctx.settings.retries,
        });
        const id = String(object.id);
        // Fleio answers the POST with the whole rule; one found is converged to the inputs.
        return { id, outs: how === "found" ? await put(ctx, id, inputs) : fromApi(object, inputs) };
    },
    async adopt(ctx, id, inputs) {
        const r = await get(ctx, id);
        if (!r) throw new Error(`adopt: there is no pricing rule ${id} in Fleio; check the id, or remove "adopt" to create a new rule`);
        if (String(r.plan) !== inputs.planId) throw new Error(`adopt: pricing rule ${id} belongs to plan ${r.plan}, not plan ${inputs.planId}; set planId to ${r.plan} to adopt it`);
        const current = fromApi(r, inputs);
        if (String(r.resource) === (await resolveResource(ctx, inputs)) && alreadyHolds(pricingRuleInputs, current, inputs, RULE_FIELDS)) return { id, outs: current };
        return { id, outs: await put(ctx, id, inputs) };
    },
    async read(ctx, id, olds) {
        const r = await get(ctx, id);
        return r && fromApi(r, olds);
    },
    async update(ctx, id, _olds, news) {
        return put(ctx, id, news);
    },
    async delete(ctx, id) {
        await ctx.api.delete(`${PATH}/${id}`);
    },
});
