import { z } from "zod";

/**
 * The GitOps data format: one file per reseller (YAML or JSON), named after the
 * reseller (the file name without extension names its Pulumi resources). Documented
 * in docs/gitops-format.md. A file says which version of the format it is written in
 * (`formatVersion`); a file without it is version 1, the first published form.
 */
export const GITOPS_FORMAT_VERSION = 1;

/** An id of an existing Fleio object to take over instead of creating one (see `adopt` on every resource). */
const adopt = z.union([z.string().regex(/^[1-9]\d{0,18}$/, "must be a Fleio id (a positive whole number)"), z.number().int().positive()]).transform(String).optional();
const price = z.union([z.string(), z.number()]);
const conditionValue = z.union([z.string(), z.number(), z.boolean(), z.array(z.union([z.string(), z.number()]))]);

const condition = z.strictObject({
    name: z.string().optional(),
    attribute: z.string().min(1),
    attributeUnit: z.string().optional(),
    operator: z.string().optional(),
    value: conditionValue,
});
const modifier = condition.extend({
    price,
    timeUnit: z.string().min(1),
    pricePercent: z.boolean().optional(),
});

/** One pricing rule of a plan. The short form (`price`, `flavor`) covers the common case; `prices`, `conditions` and `modifiers` hold any rule Fleio has. */
export const gitopsRule = z
    .strictObject({
        key: z.string().regex(/^[a-z0-9][a-z0-9-]{0,62}$/, "must be lower-case letters, digits and dashes (it names the Pulumi resource)"),
        displayName: z.string().min(1),
        /** Billing resource name: instance, volume, image, … */
        resource: z.string().min(1).optional(),
        /** Only where a resource name exists under several types, e.g. "service" or "metric". */
        resourceType: z.string().min(1).optional(),
        /** The billing resource by Fleio id, instead of `resource`. */
        resourceId: adopt,
        timeUnit: z.string().default("hour"),
        priority: z.number().int().min(0).optional(),
        /** One price from 0 on … */
        price: price.optional(),
        /** … or tiers: [{ from: 0, price: "0.05" }, { from: 100, price: "0.04" }]. */
        prices: z.array(z.strictObject({ from: price, price })).min(1).optional(),
        /** The flavour (e.g. m1.small): a condition on Fleio's instance attribute `instance_type`. */
        flavor: z.string().optional(),
        attribute: z.string().optional(),
        attributeUnit: z.string().optional(),
        conditions: z.array(condition).optional(),
        modifiers: z.array(modifier).optional(),
        adopt,
    })
    .superRefine((r, ctx) => {
        if ((r.price === undefined) === (r.prices === undefined)) ctx.addIssue({ code: "custom", path: ["price"], message: "give either price (one price) or prices (tiers), exactly one of them" });
        if (!r.resource === !r.resourceId) ctx.addIssue({ code: "custom", path: ["resource"], message: "give the billing resource: resource (a name such as instance) or resourceId, exactly one of them" });
    });

const plan = z.strictObject({
    /** The plan's name in Fleio; default "Reseller pricing - <file name>" (reseller plan) or "End-user pricing - <file name>". */
    name: z.string().min(1).optional(),
    /** Default: the client's currency. */
    currency: z.string().optional(),
    adopt,
});

export const resellerFile = z.strictObject({
    /** The version of this format the file is written in; absent = 1. */
    formatVersion: z.literal(GITOPS_FORMAT_VERSION, { error: `this pulumi-fleio reads format version ${GITOPS_FORMAT_VERSION}; upgrade pulumi-fleio to read a newer file` }).default(GITOPS_FORMAT_VERSION),
    /** The reseller client: ResellerArgs (firstName, lastName, email, …, currency, externalBillingId, adopt). */
    client: z.record(z.string(), z.string()),
    /** The end-user panel domain; absent = the reseller has none (nothing is set or cleared). */
    domain: z.string().optional(),
    scheme: z.enum(["https", "http"]).optional(),
    product: z.string().default("Reseller"),
    cycle: z.enum(["hour", "month", "year"]).default("month"),
    /** The reseller service to take over (its id), instead of ordering one. */
    service: z.strictObject({ adopt }).optional(),
    /** The plan that prices the reseller (its rules are `pricing`). */
    plan: plan.optional(),
    pricing: z.array(gitopsRule).min(1, "a reseller needs at least one price"),
    configuration: z.strictObject({ name: z.string(), description: z.string().optional(), isDefault: z.boolean().optional(), adopt }).optional(),
    /** The plan the reseller sells to its own customers, with its rules. */
    endUserPlan: plan.extend({ pricing: z.array(gitopsRule).min(1, "an end-user plan needs at least one price") }).optional(),
});
export type ResellerFile = z.infer<typeof resellerFile>;
/** A file as written (before defaults). */
export type ResellerFileInput = z.input<typeof resellerFile>;
export type GitopsRule = z.infer<typeof gitopsRule>;
