import { Scope } from "../auth";
import { EmulatorContext } from "../context";
import { resourceOptions } from "../domain/billing-resources";
import { validation } from "../errors";
import { ListSpec, applyList } from "../listing";
import { Db, Pricing, PricingRule, RuleCondition, RuleModifier } from "../model";
import { paginate } from "../pagination";
import { MISSING, validate } from "../schemas/drf";
import { ATTRIBUTE_UNITS, NUMBER_OPERATORS, RuleInput, STRING_OPERATORS, TIME_UNITS, ruleSchema } from "../schemas/pricerule";
import { ruleOut } from "../serializers/rules";
import { findOr404, idParam, nextId, scopeRr } from "./lookup";
import { ApiRequest, ApiRouter, ok } from "./registry";

/** OpenStack pricing rules: /openstack/billing/pricerule on the staff and reseller APIs. */

const ruleList = (db: Db): ListSpec<PricingRule> => ({
    fields: {
        id: { kind: "int", get: (r) => r.id },
        display_name: { kind: "str", get: (r) => r.display_name },
        plan: { kind: "fk", get: (r) => r.plan },
        plan__reseller_resources: { kind: "fk", get: (r) => db.plans.find((p) => p.id === r.plan)?.reseller_resources ?? null },
        resource: { kind: "fk", get: (r) => r.resource },
        resource__type: { kind: "str", get: (r) => db.billing_resources.find((b) => b.id === r.resource)?.type ?? null },
        resource__name: { kind: "str", get: (r) => db.billing_resources.find((b) => b.id === r.resource)?.name ?? null },
        priority: { kind: "int", get: (r) => r.priority },
    },
    // PriceRuleViewset has only an OrderingFilter (on 'name', which rules lack): no filter, no search, no CustomFilter.
    ignoreFiltering: true,
    ignoreSearch: true,
});

/** Rules a scope sees: a reseller only those on its own plans. */
function ruleVisible(db: Db, scope: Scope, rule: PricingRule): boolean {
    if (scope.api !== "reseller") return true;
    return db.plans.find((p) => p.id === rule.plan)?.reseller_resources === scope.rr.id;
}

/**
 * PriceRuleSerializer.to_internal_value: a percent modifier takes its time unit from
 * the rule (`time_unit`, else `pricing.time_unit`), whatever it sent itself.
 */
function inheritPercentTimeUnit(body: unknown): unknown {
    if (typeof body !== "object" || body === null || Array.isArray(body)) return body;
    const data = body as Record<string, unknown>;
    if (!Array.isArray(data.modifiers) || !data.modifiers.length) return body;
    const pricing = data.pricing && typeof data.pricing === "object" ? (data.pricing as Record<string, unknown>) : {};
    const ruleUnit = "time_unit" in data ? data.time_unit : pricing.time_unit;
    const modifiers = data.modifiers.map((m: unknown) =>
        m && typeof m === "object" && !Array.isArray(m) && (m as Record<string, unknown>).price_is_percent ? { ...(m as object), time_unit: ruleUnit ?? null } : m,
    );
    return { ...data, modifiers };
}

const str = (v: unknown, fallback: string): string => (typeof v === "string" ? v : fallback);
const strOrNull = (v: unknown): string | null => (typeof v === "string" ? v : null);

function buildParts(db: Db, data: RuleInput): { conditions: RuleCondition[]; modifiers: RuleModifier[] } {
    const conditions = (Array.isArray(data.conditions) ? data.conditions : []).map(
        (c): RuleCondition => ({
            id: nextId(db, "rule_parts"),
            name: str(c.name, "condition"),
            attribute: String(c.attribute),
            attribute_unit: strOrNull(c.attribute_unit),
            operator: str(c.operator, "eq"),
            value: c.value,
        }),
    );
    const modifiers = (Array.isArray(data.modifiers) ? data.modifiers : []).map(
        (m): RuleModifier => ({
            id: nextId(db, "rule_parts"),
            name: str(m.name, "modifier"),
            attribute: String(m.attribute),
            attribute_unit: strOrNull(m.attribute_unit),
            operator: str(m.operator, "eq"),
            value: m.value,
            price: String(m.price),
            time_unit: String(m.time_unit),
            price_is_percent: m.price_is_percent === true,
        }),
    );
    return { conditions, modifiers };
}

/** Field checks DRF makes against the database (related objects), then PriceRuleSerializer.validate. */
function checkRelations(db: Db, scope: Scope, data: RuleInput): void {
    const errors: Record<string, string[]> = {};
    if (typeof data.plan === "number" && !db.plans.some((p) => p.id === data.plan && (scope.api !== "reseller" || p.reseller_resources === scope.rr.id)))
        errors.plan = [`Invalid pk "${data.plan}" - object does not exist.`];
    if (typeof data.resource === "number" && !db.billing_resources.some((r) => r.id === data.resource)) errors.resource = [`Invalid pk "${data.resource}" - object does not exist.`];
    if (Object.keys(errors).length) throw validation(errors);
    if (Array.isArray(data.conditions) && data.conditions.length && Array.isArray(data.modifiers) && data.modifiers.length) {
        const inConditions = new Set(data.conditions.map((c) => c.attribute));
        const both = data.modifiers.map((m) => m.attribute).filter((a) => inConditions.has(a));
        if (both.length) throw validation({ non_field_errors: [`Same attribute not allowed in modifiers and conditions: ${String(both[0])}`] });
    }
}

/** The validated pricing JSON as Fleio stores it: only the keys the client sent. */
function toPricing(v: unknown): Pricing {
    const out: Record<string, unknown> = {};
    for (const [k, x] of Object.entries(v as Record<string, unknown>)) if (x !== MISSING) out[k] = x;
    return out as unknown as Pricing;
}

function create(req: ApiRequest, ctx: EmulatorContext) {
    const db = ctx.store.db;
    const data = validate(ruleSchema(false), inheritPercentTimeUnit(req.body));
    checkRelations(db, req.scope, data);
    ctx.store.touch();
    const rule: PricingRule = {
        id: nextId(db, "rules"),
        display_name: String(data.display_name),
        plan: data.plan as number,
        resource: data.resource as number,
        priority: typeof data.priority === "number" ? data.priority : 1,
        pricing: toPricing(data.pricing),
        ...buildParts(db, data),
    };
    db.rules.push(rule);
    return ok(ruleOut(rule), 201);
}

/** PUT and PATCH: conditions and modifiers are always replaced — omitted means none. */
function update(partial: boolean) {
    return (req: ApiRequest, ctx: EmulatorContext) => {
        const db = ctx.store.db;
        const rule = findOr404(db.rules, idParam(req.params.id), (r) => ruleVisible(db, req.scope, r));
        const data = validate(ruleSchema(partial), inheritPercentTimeUnit(req.body));
        checkRelations(db, req.scope, data);
        ctx.store.touch();
        if (data.display_name !== MISSING) rule.display_name = String(data.display_name);
        if (typeof data.plan === "number") rule.plan = data.plan;
        if (typeof data.resource === "number") rule.resource = data.resource;
        if (typeof data.priority === "number") rule.priority = data.priority;
        if (data.pricing !== MISSING) rule.pricing = toPricing(data.pricing);
        Object.assign(rule, buildParts(db, data));
        return ok(ruleOut(rule));
    };
}

const choicesDict = (keys: readonly string[], names: Record<string, string>) => Object.fromEntries(keys.map((k) => [k, names[k]]));
const NAMES: Record<string, string> = {
    s: "Second",
    m: "Minute",
    h: "Hour",
    bc: "Billing cycle",
    d: "Day",
    lt: "Less than",
    le: "Less or equal",
    gt: "Greater than",
    ge: "Greater or equal",
    eq: "Equal",
    ne: "Not equal",
    in: "In list",
    ni: "Not in list",
};
const UNIT_NAMES: Record<string, string> = { u: "Units", b: "Bytes", k: "Kilobytes", m: "Megabytes", g: "Gigabytes", t: "Terabytes", p: "Petabytes" };

function createOptions(req: ApiRequest, ctx: EmulatorContext) {
    const db = ctx.store.db;
    const rr = scopeRr(req.scope);
    return ok({
        // The caller's own plans: for staff, the plans of no reseller.
        plans: db.plans.filter((p) => p.reseller_resources === rr).map((p) => ({ name: p.name, id: p.id })),
        resources: resourceOptions(db),
        currencies: db.currencies.map((c) => ({ code: c.code, is_default: c.is_default })),
        time_units: choicesDict(TIME_UNITS, NAMES),
        attribute_units: choicesDict(ATTRIBUTE_UNITS, UNIT_NAMES),
        number_operators: choicesDict([...NUMBER_OPERATORS, ...STRING_OPERATORS], NAMES),
        string_operators: choicesDict(STRING_OPERATORS, NAMES),
    });
}

export function priceRuleRoutes(r: ApiRouter): void {
    const both = ["staff", "reseller"] as const;
    const path = "openstack/billing/pricerule";
    r.add([...both], "GET", path, (req, ctx) => {
        const db = ctx.store.db;
        const rows = db.rules.filter((x) => ruleVisible(db, req.scope, x));
        return ok(paginate(applyList(rows, req.query, ruleList(db)).map(ruleOut), req.query, req.url));
    });
    r.add([...both], "POST", path, create);
    r.add([...both], "GET", `${path}/create_options`, createOptions);
    r.add([...both], "GET", `${path}/:id`, (req, ctx) => {
        const db = ctx.store.db;
        return ok(ruleOut(findOr404(db.rules, idParam(req.params.id), (x) => ruleVisible(db, req.scope, x))));
    });
    r.add([...both], "PUT", `${path}/:id`, update(false));
    r.add([...both], "PATCH", `${path}/:id`, update(true));
    r.add([...both], "DELETE", `${path}/:id`, (req, ctx) => {
        const db = ctx.store.db;
        const rule = findOr404(db.rules, idParam(req.params.id), (x) => ruleVisible(db, req.scope, x));
        ctx.store.touch();
        db.rules = db.rules.filter((x) => x.id !== rule.id);
        return { status: 204 };
    });
}
