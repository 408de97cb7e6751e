import * as fs from "node:fs";
import * as path from "node:path";
import { parse } from "yaml";
import { z } from "zod";

/** One reseller's data file, as a pipeline reviewer reads it. */
const rule = z.strictObject({
    key: z.string().regex(/^[a-z0-9-]+$/, "must be lower-case letters, digits and dashes (it names the Pulumi resource)"),
    displayName: z.string().min(1),
    /** Billing resource name: instance, volume, image, … */
    resource: z.string().min(1),
    timeUnit: z.string().default("hour"),
    price: z.union([z.string(), z.number()]),
    /** The flavour (e.g. m1.small): Fleio's instance attribute `instance_type` (it has no `flavor`). */
    flavor: z.string().optional(),
    attribute: z.string().optional(),
    attributeUnit: z.string().optional(),
});
export const resellerFile = z.strictObject({
    client: z.record(z.string(), z.string()),
    domain: z.string(),
    product: z.string().default("Reseller"),
    cycle: z.enum(["hour", "month", "year"]).default("month"),
    pricing: z.array(rule).min(1, "a reseller needs at least one price"),
    configuration: z.strictObject({ name: z.string(), description: z.string().optional() }).optional(),
});
export type ResellerFile = z.infer<typeof resellerFile>;

/** A rule's conditions: `flavor:` in a data file prices one flavour, by `instance_type`. */
export function ruleConditions(r: ResellerFile["pricing"][number]): { attribute: string; operator: "eq"; value: string }[] {
    return r.flavor ? [{ attribute: "instance_type", operator: "eq", value: r.flavor }] : [];
}

/** Every `*.yaml` in a folder, keyed by file name; a bad file fails naming file and field. */
export function loadResellers(dir: string): Map<string, ResellerFile> {
    const out = new Map<string, ResellerFile>();
    for (const file of fs.readdirSync(dir).filter((f) => /\.ya?ml$/.test(f)).sort()) {
        const parsed = resellerFile.safeParse(parse(fs.readFileSync(path.join(dir, file), "utf8")));
        if (!parsed.success) {
            const why = parsed.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("; ");
            throw new Error(`${file}: ${why}`);
        }
        out.set(file.replace(/\.ya?ml$/, ""), parsed.data);
    }
    return out;
}
