import { z } from "zod";

/**
 * The parts of Fleio's answers that pulumi-fleio reads, field by field (see the
 * Api* types in provider/resources and provider/lookups). Extra fields are fine;
 * a missing or retyped field here is a field the provider would misread.
 */

const id = z.number().int();
const text = z.string();
const nullableText = z.string().nullable();
/** Decimals: Fleio 2019.12 answers numbers for prices (strings are accepted too). */
export const decimalValue = z.union([z.number().finite(), z.string().regex(/^-?\d+(\.\d+)?([eE][-+]?\d+)?$/)], { error: "a number or a numeric string" });

export const page = z.looseObject({
    count: z.number().int().min(0),
    next: z.string().nullable(),
    objects: z.array(z.unknown()),
});

export const planCreateOptions = z.looseObject({
    currencies: z.array(z.union([text, z.looseObject({ code: text })], { error: 'a currency code or {"code": …}' })),
});

export const billingResource = z.looseObject({
    id,
    name: text,
    type: text,
    attributes: z.array(z.looseObject({ name: text })).optional(),
});
export const ruleCreateOptions = z.looseObject({ resources: z.array(billingResource) });

export const product = z.looseObject({ id, name: text, product_type: text });
export const productCycle = z.looseObject({
    id,
    product: id,
    cycle: text,
    cycle_multiplier: z.number().int(),
    currency: text,
    fixed_price: decimalValue.optional(),
});

/** A client as lists return it (lookups.clients). */
export const clientListed = z.looseObject({
    id,
    first_name: text,
    last_name: text,
    email: text,
    currency: text,
    name: text.optional(),
    status: text.optional(),
});
/** A client as GET clients/{id} returns it (the Reseller resource). */
export const clientDetail = clientListed.extend({
    phone: text,
    city: text,
    country: text,
    address1: text.optional(),
    zip_code: text.optional(),
    company: nullableText.optional(),
    state: nullableText.optional(),
    vat_id: nullableText.optional(),
    status: text,
});

const ruleBrief = z.looseObject({ id, display_name: text });
const planBase = {
    id,
    name: text,
    currency: nullableText,
    is_default: z.boolean(),
    services_count: z.number().int().optional(),
    pricing_rules: z.array(ruleBrief).optional(),
};
/** The staff API shows the owner; the reseller API hides it (HiddenField). */
export const plan = (scope: "staff" | "reseller") =>
    scope === "staff" ? z.looseObject({ ...planBase, reseller_resources: id.nullable() }) : z.looseObject(planBase);

export const priceRule = z.looseObject({
    id,
    display_name: text,
    plan: id,
    resource: id,
    priority: z.number().int(),
    pricing: z.looseObject({
        prices: z.array(z.looseObject({ f: decimalValue, p: decimalValue })),
        attribute: nullableText.optional(),
        attribute_unit: nullableText.optional(),
        time_unit: nullableText.optional(),
    }),
    conditions: z.array(z.looseObject({ name: text, attribute: text, operator: text, value: z.unknown() })).optional(),
    modifiers: z
        .array(z.looseObject({ name: text, attribute: text, operator: text, value: z.unknown(), price: decimalValue, time_unit: text, price_is_percent: z.boolean() }))
        .optional(),
});

const configurationBase = { id, name: text, description: z.string().nullable(), is_default: z.boolean(), client_count: z.number().int().optional() };
export const configuration = (scope: "staff" | "reseller") =>
    scope === "staff" ? z.looseObject({ ...configurationBase, reseller_resources: id.nullable() }) : z.looseObject({ ...configurationBase, reseller_resources: id.nullable().optional() });

const idOrObject = z.union([id, z.looseObject({ id })], { error: "an id or an object with an id" }).nullable().optional();
export const resellerServices = z.looseObject({
    services: z.array(z.looseObject({ id, status: text, product: z.union([id, z.looseObject({})], { error: "an id or an object" }).nullable().optional(), cycle: idOrObject })),
    resources: z.record(
        z.string(),
        z.looseObject({
            id,
            service: id.nullable(),
            plan: z.looseObject({ id, name: text }).nullable(),
            enduser_panel_url: nullableText,
        }),
    ),
});

export const serviceDetail = z.looseObject({ id, status: text });

export const billingSettings = z.looseObject({ suspend_instead_of_terminate: z.boolean() });

/**
 * Where an answer differs from a shape: `"field" is missing` or `"field" <problem>`,
 * de-duplicated over list items (`objects[].pricing.prices[].p`).
 */
export function shapeProblems(schema: z.ZodType, value: unknown, itemPrefix = ""): string[] {
    const r = schema.safeParse(value);
    if (r.success) return [];
    const out = new Set<string>();
    for (const issue of r.error.issues) {
        const at = valueAt(value, issue.path);
        const field = (itemPrefix + issue.path.map((p) => (typeof p === "number" ? "[]" : `.${String(p)}`)).join("")).replace(/^\./, "") || "(the answer)";
        out.add(at === undefined ? `"${field}" is missing` : `"${field}" is ${describe(at)}, expected ${expectation(issue)}`);
    }
    return [...out];
}

function valueAt(value: unknown, path: PropertyKey[]): unknown {
    let v: unknown = value;
    for (const p of path) {
        if (v === null || typeof v !== "object") return undefined;
        v = (v as Record<PropertyKey, unknown>)[p];
    }
    return v;
}

function describe(v: unknown): string {
    if (v === null) return "null";
    if (Array.isArray(v)) return "a list";
    if (typeof v === "string") return `the string ${JSON.stringify(v.length > 40 ? v.slice(0, 40) + "…" : v)}`;
    if (typeof v === "object") return "an object";
    return `${typeof v} ${String(v)}`;
}

function expectation(issue: z.core.$ZodIssue): string {
    if (issue.code === "invalid_type") return issue.expected;
    return issue.message;
}
