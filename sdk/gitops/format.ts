import { z } from "zod";
import { slug } from "../onboarding-args";

/**
 * The GitOps data format: one file per reseller (YAML or JSON), named after the
 * reseller (the file name without extension names its Pulumi resources), and, from
 * version 2, a catalog of plans (`plans/<key>.yaml`) that several resellers name.
 * Documented in docs/gitops-format.md. A file says which version of the format it is
 * written in (`formatVersion`); a file without it is version 1, the first published form.
 */
export const GITOPS_FORMAT_VERSION = 2;
/** Every version this package reads. */
export const GITOPS_FORMAT_VERSIONS = [1, 2] as const;

const formatVersion = z
    .union([z.literal(1), z.literal(2)], { error: `this pulumi-fleio reads format versions ${GITOPS_FORMAT_VERSIONS.join(" and ")}; upgrade pulumi-fleio to read a newer file` })
    .default(1);

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

/** A key that names Pulumi resources: lower-case letters, digits and dashes. */
const resourceKey = z.string().regex(/^[a-z0-9][a-z0-9-]{0,62}$/, "must be lower-case letters, digits and dashes (it names Pulumi resources)");


const configuration = z.strictObject({ name: z.string(), description: z.string().optional(), isDefault: z.boolean().optional(), adopt });

/** One of several configurations of a reseller (v2): `key` names its Pulumi resource (default: a slug of name). */
const keyedConfiguration = configuration.extend({ key: resourceKey.optional() });

/** One of several end-user plans of a reseller (v2); `key` names its Pulumi resources. A plan may have no rules, as in Fleio. */
const keyedEndUserPlan = plan.extend({ key: resourceKey, isDefault: z.boolean().optional(), pricing: z.array(gitopsRule).default([]) });

/** What only version 2 has: a version 1 file using it is refused, so an older reader never half-reads a newer file. */
const V2_ONLY = ["configurations", "endUserPlans"] as const;

export const resellerFile = z.strictObject({
    /** The version of this format the file is written in; absent = 1. */
    formatVersion,
    /** The reseller client: ResellerArgs (firstName, lastName, email, …, currency, externalBillingId, adopt). */
    client: z.record(z.string(), z.string()),
    /** The end-user panel domain; absent = the reseller has none (nothing is set or cleared). */
    domain: z.string().optional(),
    scheme: z.enum(["https", "http"]).optional(),
    product: z.string().default("Reseller"),
    cycle: z.enum(["hour", "month", "year"]).default("month"),
    /** The reseller service to take over (its id), instead of ordering one. */
    service: z.strictObject({ adopt }).optional(),
    /** The plan that prices the reseller: its own (its rules are `pricing`), or (v2) a catalog plan `{ catalog: <key> }`. */
    plan: plan.extend({ catalog: resourceKey.optional() }).optional(),
    /** The rules of the reseller's own plan; absent with a catalog plan. */
    pricing: z.array(gitopsRule).optional(),
    configuration: configuration.optional(),
    /** v2: any number of configurations (instead of `configuration`). */
    configurations: z.array(keyedConfiguration).optional(),
    /** The plan the reseller sells to its own customers, with its rules. */
    endUserPlan: plan.extend({ pricing: z.array(gitopsRule).min(1, "an end-user plan needs at least one price") }).optional(),
    /** v2: any number of plans the reseller sells (instead of `endUserPlan`). */
    endUserPlans: z.array(keyedEndUserPlan).optional(),
}).superRefine((r, ctx) => {
    const issue = (path: (string | number)[], message: string) => ctx.addIssue({ code: "custom", path, message });
    const catalog = r.plan?.catalog !== undefined;
    if (r.formatVersion === 1) {
        for (const field of V2_ONLY) if (r[field] !== undefined) issue([field], "needs formatVersion: 2 (version 1 files have no such field)");
        if (catalog) issue(["plan", "catalog"], "needs formatVersion: 2 (version 1 files have no plan catalog)");
    }
    if (catalog) {
        const file = `plans/${r.plan!.catalog}.yaml`;
        for (const field of ["name", "currency", "adopt"] as const) if (r.plan![field] !== undefined) issue(["plan", field], `a catalog plan's ${field} is in its catalog file ${file}, not here`);
        if (r.pricing !== undefined) issue(["pricing"], `a reseller on a catalog plan has no pricing of its own: its rules are in the catalog file ${file}`);
    }
    if (!catalog && (r.pricing?.length ?? 0) === 0) issue(["pricing"], r.pricing ? "a reseller needs at least one price" : "give pricing (the rules of the reseller's own plan) or plan: { catalog: <key> } (formatVersion 2)");
    if (r.configuration && r.configurations) issue(["configurations"], "give configuration (one) or configurations (a list), not both");
    if (r.endUserPlan && r.endUserPlans) issue(["endUserPlans"], "give endUserPlan (one) or endUserPlans (a list), not both");
    const dup = (list: { key?: string; name: string }[] | undefined, field: string, keyOf: (x: { key?: string; name: string }) => string) => {
        const seen = new Map<string, number>();
        list?.forEach((x, i) => {
            const k = keyOf(x);
            if (seen.has(k)) issue([field, i, "key"], `key "${k}" is also the key of ${field}.${seen.get(k)}; each needs its own key (it names Pulumi resources)`);
            else seen.set(k, i);
        });
    };
    dup(r.configurations, "configurations", configurationKey);
    dup(r.endUserPlans as { key: string; name: string }[] | undefined, "endUserPlans", (p) => p.key!);
    if ((r.endUserPlans?.filter((p) => p.isDefault).length ?? 0) > 1) issue(["endUserPlans"], "at most one end-user plan is the default of the reseller's scope (isDefault: true)");
});
export type ResellerFile = z.infer<typeof resellerFile>;

/** A configuration's key in a `configurations` list: given, or a slug of its name. */
export function configurationKey(c: { key?: string; name: string }): string {
    return c.key ?? slug(c.name);
}

/**
 * A plan of the catalog (`plans/<key>.yaml`, v2): a staff plan described once, with its
 * rules, whichever resellers it prices (`plan: { catalog: <key> }` in their files); the
 * staff default plan and other staff plans too. The file's name is the plan's key.
 */
export const catalogPlanFile = z.strictObject({
    formatVersion: z.literal(2, { error: "a catalog plan file needs formatVersion: 2 (the plan catalog is new in version 2)" }),
    /** The plan's name in Fleio. */
    name: z.string().min(1),
    currency: z.string().min(1),
    /** Whether it is Fleio's default staff plan; absent = false. */
    isDefault: z.boolean().optional(),
    adopt,
    /** The plan's rules; empty for a plan without rules, as Fleio allows. */
    pricing: z.array(gitopsRule).default([]),
});
export type CatalogPlanFile = z.infer<typeof catalogPlanFile>;
export type CatalogPlanFileInput = z.input<typeof catalogPlanFile>;
/** A file as written (before defaults). */
export type ResellerFileInput = z.input<typeof resellerFile>;
export type GitopsRule = z.infer<typeof gitopsRule>;
