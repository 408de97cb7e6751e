import { z } from "zod";
import type { Db } from "../model";

/**
 * The data file as the emulator writes it. A file that does not match (hand
 * edited, cut short, from another version) is refused at start, naming what is
 * wrong, instead of failing later inside some request. Typed against `Db`, so the
 * compiler keeps this schema and the model in step.
 */

const id = z.number().int();
const fk = id.nullable();
const text = z.string();
const textOrNull = z.string().nullable();

const user = z.object({
    id,
    username: text,
    email: text,
    first_name: text,
    last_name: text,
    password_hash: textOrNull,
    date_joined: text,
    last_login: textOrNull,
    is_active: z.boolean(),
    is_staff: z.boolean(),
    is_superuser: z.boolean(),
    is_reseller: z.boolean(),
    reseller_resources: fk,
    language: text,
    email_verified: z.boolean(),
    external_billing_id: textOrNull,
});

const client = z.object({
    id,
    first_name: text,
    last_name: text,
    company: textOrNull,
    address1: text,
    address2: textOrNull,
    city: text,
    country: text,
    state: textOrNull,
    zip_code: text,
    phone: text,
    fax: textOrNull,
    email: text,
    date_created: text,
    currency: text,
    external_billing_id: textOrNull,
    groups: z.array(text),
    vat_id: textOrNull,
    tax_exempt: z.boolean(),
    configuration: fk,
    status: z.enum(["active", "inactive", "suspended", "closed", "deleting"]),
    suspend_reason: text,
    outofcredit_datetime: textOrNull,
    uptodate_credit: textOrNull,
    has_billing_agreement: z.boolean(),
    reseller_resources: fk,
    custom_fields: z.array(z.object({ name: text, value: text })),
    users: z.array(id),
    credits: z.array(z.object({ currency: text, amount: text })),
    delete_at: z.number().optional(),
});

const publicStatus = z.enum(["public", "private", "retired"]);

const product = z.object({
    id,
    name: text,
    code: text,
    description: text,
    product_type: z.enum(["generic", "openstack", "hosting", "domain", "reseller"]),
    status: publicStatus,
    price_model: z.enum(["free", "fixed_and_dynamic", "dynamic_fixed_prices"]),
    auto_setup: z.enum(["on_order", "on_payment", "manual"]),
    requires_domain: z.boolean(),
    hide_services: z.boolean(),
});

const cycle = z.object({
    id,
    product: id,
    cycle: z.enum(["onetime", "hour", "month", "year"]),
    cycle_multiplier: z.number().int(),
    fixed_price: text,
    setup_fee: text,
    setup_fee_entire_quantity: z.boolean(),
    currency: text,
    is_relative_price: z.boolean(),
    status: publicStatus,
});

const service = z.object({
    id,
    client: id,
    product: id,
    cycle: id,
    display_name: text,
    status: z.enum(["pending", "active", "suspended", "terminated", "canceled", "fraud", "archived"]),
    created_at: text,
    activated_at: textOrNull,
    updated_at: text,
    terminated_at: textOrNull,
    next_due_date: textOrNull,
    next_expiration_date: textOrNull,
    next_invoice_date: textOrNull,
    override_price: textOrNull,
    domain_name: textOrNull,
    suspended_at: textOrNull,
    suspend_reason: textOrNull,
    suspend_type: textOrNull,
    notes: text,
});

const condition = z.object({ id, name: text, attribute: text, attribute_unit: textOrNull, operator: text, value: z.unknown() });
const modifier = condition.extend({ price: text, time_unit: text, price_is_percent: z.boolean() });

const rule = z.object({
    id,
    display_name: text,
    plan: id,
    resource: id,
    priority: z.number().int(),
    pricing: z.object({
        prices: z.array(z.object({ f: text, p: text })),
        attribute: textOrNull.optional(),
        attribute_unit: textOrNull.optional(),
        time_unit: textOrNull.optional(),
    }),
    conditions: z.array(condition),
    modifiers: z.array(modifier),
});

const billingResource = z.object({
    id,
    display_name: text,
    type: text,
    name: text,
    definition: z.object({
        attributes: z.array(z.object({ name: text, type: text, value_size: text.optional() })).optional(),
        metrics: z
            .array(
                z.object({
                    name: text,
                    rescale_to: text.optional(),
                    aggregation: text.optional(),
                    reaggregation: text.optional(),
                    granularity: z.number().optional(),
                    unit: text.optional(),
                }),
            )
            .optional(),
    }),
});

export const dataFileSchema: z.ZodType<Db> = z.object({
    version: z.literal(2),
    seq: z.object({
        users: id,
        services: id,
        reseller_resources: id,
        plans: id,
        rules: id,
        rule_parts: id,
        configurations: id,
        cycles: id,
        billing_resources: id,
    }),
    users: z.array(user),
    tokens: z.array(z.object({ key: text, user: id })),
    currencies: z.array(z.object({ code: text, rate: text, is_default: z.boolean() })),
    clients: z.array(client),
    products: z.array(product),
    cycles: z.array(cycle),
    services: z.array(service),
    reseller_resources: z.array(z.object({ id, service: fk, plan: fk, enduser_panel_url: textOrNull })),
    plans: z.array(z.object({ id, name: text, currency: textOrNull, is_default: z.boolean(), reseller_resources: fk })),
    rules: z.array(rule),
    configurations: z.array(z.object({ id, name: text, description: text, is_default: z.boolean(), reseller_resources: fk, billing: z.record(z.string(), z.unknown()) })),
    billing_resources: z.array(billingResource),
});

/** zod's issues as one line each: `clients.0.email: expected string, received number`. */
export function describeIssues(error: z.ZodError): string {
    return error.issues
        .slice(0, 10)
        .map((i) => `${i.path.map(String).join(".") || "(top level)"}: ${i.message}`)
        .join("; ");
}
