import { resources, ResourceKind } from "../registry";
import { describeResource, packageSchema, PropertySpec, token, CONFIG } from "./schema";

/**
 * The reference pages under docs/reference/, generated from the same schema the plugin serves
 * (scripts/gen-docs.ts writes them; tests/unit/docs-drift.test.ts fails when they are
 * out of date). Each example is one set of inputs rendered as TypeScript and YAML, and
 * the drift test checks those inputs pass the resource's own check().
 */

/** Example inputs per resource; `${name.output}` marks a reference to another resource's output. */
export const EXAMPLES: Record<ResourceKind, { name: string; inputs: Record<string, unknown>; note?: string }> = {
    Reseller: {
        name: "reseller",
        inputs: {
            firstName: "Ada",
            lastName: "Operator",
            company: "Acme Cloud",
            email: "ops@acme-cloud.example",
            phone: "+49 30 1234567",
            address1: "1 Cloud Street",
            city: "Berlin",
            zipCode: "10115",
            country: "DE",
            currency: "EUR",
            externalBillingId: "reseller-acme",
        },
    },
    OpenstackPlan: { name: "reseller-plan", inputs: { name: "Reseller pricing - Acme Cloud", currency: "EUR" } },
    PricingRule: {
        name: "small-instance-hour",
        inputs: {
            planId: "${reseller-plan.planId}",
            displayName: "m1.small per hour",
            resourceName: "instance",
            timeUnit: "hour",
            prices: [{ from: "0", price: "0.02" }],
            conditions: [{ attribute: "instance_type", operator: "eq", value: "m1.small" }],
        },
    },
    ResellerService: {
        name: "reseller-service",
        inputs: { clientId: "${reseller.clientId}", productName: "Reseller", cycle: "month", cycleCurrency: "EUR", planId: "${reseller-plan.planId}" },
    },
    FrontendDomain: { name: "enduser-panel", inputs: { clientId: "${reseller.clientId}", serviceId: "${reseller-service.serviceId}", domain: "cloud.acme-reseller.example" } },
    Configuration: { name: "reseller-configuration", inputs: { name: "acme-retail", description: "Acme's customers", resellerClientId: "${reseller.clientId}" } },
};

const IMPORT_ID: Record<ResourceKind, string> = {
    Reseller: "the client's id",
    OpenstackPlan: "the plan's id",
    PricingRule: "the pricing rule's id",
    ResellerService: "the reseller service's id (its client, product and cycle are found from it)",
    FrontendDomain: "the id of the reseller service whose end-user panel URL it is",
    Configuration: "the configuration's id",
};

const camel = (s: string) => s.replace(/-([a-z])/g, (_, c: string) => c.toUpperCase());
const ref = /^\$\{([a-z0-9-]+)\.([A-Za-z]+)\}$/;

function ts(v: unknown, indent: string): string {
    if (typeof v === "string") {
        const m = ref.exec(v);
        return m ? `${camel(m[1])}.${m[2]}` : JSON.stringify(v);
    }
    if (Array.isArray(v)) return `[${v.map((x) => ts(x, indent)).join(", ")}]`;
    if (v && typeof v === "object") return `{ ${Object.entries(v).map(([k, x]) => `${k}: ${ts(x, indent)}`).join(", ")} }`;
    return JSON.stringify(v);
}

function yaml(v: unknown): string {
    if (typeof v === "string") return ref.test(v) || /^[A-Za-z][\w .@/+-]*$/.test(v) && !/^(true|false|null|yes|no)$/i.test(v) ? v : JSON.stringify(v);
    if (Array.isArray(v)) return `[${v.map(yaml).join(", ")}]`;
    if (v && typeof v === "object") return `{ ${Object.entries(v).map(([k, x]) => `${k}: ${yaml(x)}`).join(", ")} }`;
    return JSON.stringify(v);
}

function typeText(p: PropertySpec): string {
    if (p.$ref === "pulumi.json#/Any") return "any";
    if (p.$ref) return p.$ref.split(":").pop()!;
    if (p.type === "array") return `${typeText(p.items ?? {})}[]`;
    return p.type ?? "any";
}

const cell = (s: string) => s.replace(/\|/g, "\\|").replace(/\n/g, " ");

function page(kind: ResourceKind, schema: Record<string, any>): string {
    const core = resources[kind].core;
    const d = describeResource(core);
    const r = schema.resources[token(kind)];
    const ex = EXAMPLES[kind];
    const lines: string[] = [];
    lines.push(`# ${kind}`, "", `\`${token(kind)}\``, "", r.description.split("\n\n")[0], "");
    lines.push("## Example", "", "TypeScript (`pulumi-fleio`):", "", "```ts", 'import * as fleio from "pulumi-fleio";', "");
    lines.push(`const ${camel(ex.name)} = new fleio.${kind}("${ex.name}", {`);
    for (const [k, v] of Object.entries(ex.inputs)) lines.push(`    ${k}: ${ts(v, "    ")},`);
    lines.push("});", "```", "", "YAML (the native plugin, see [YAML programs and `pulumi import`](../guides/yaml-and-import.md)):", "", "```yaml", "resources:", `  ${ex.name}:`, `    type: ${token(kind)}`, "    properties:");
    for (const [k, v] of Object.entries(ex.inputs)) lines.push(`      ${k}: ${yaml(v)}`);
    lines.push("```", "");
    lines.push("## Inputs", "", "| Name | Type | Required | Description | Constraints |", "|---|---|---|---|---|");
    for (const [k, p] of Object.entries(d.inputProperties)) {
        const flags = [...(d.replaceOnChange.includes(k) ? ["replaces on change"] : []), ...(d.createOnly.includes(k) ? ["used at create only"] : [])];
        lines.push(`| \`${k}\` | ${typeText(p)} | ${d.requiredInputs.includes(k) ? "yes" : "no"} | ${cell(p.description ?? "")} | ${cell([...d.constraints[k], ...flags].join("; "))} |`);
    }
    const nested = new Set<string>();
    const collect = (p: PropertySpec) => {
        const t = p.$ref ?? p.items?.$ref;
        if (t && t.startsWith("#/types/")) nested.add(t.slice("#/types/".length));
    };
    Object.values(d.properties).forEach(collect);
    for (const t of [...nested].sort()) {
        const type = schema.types[t];
        lines.push("", `### ${t.split(":").pop()}`, "", "| Name | Type | Required | Description |", "|---|---|---|---|");
        for (const [k, p] of Object.entries(type.properties as Record<string, PropertySpec>)) lines.push(`| \`${k}\` | ${typeText(p)} | ${type.required.includes(k) ? "yes" : "no"} | ${cell(p.description ?? "")} |`);
    }
    lines.push("", "## Outputs", "", "All inputs, normalised (e.g. codes upper-cased, decimals canonical), and:", "", "| Name | Type | Description |", "|---|---|---|");
    for (const [k, p] of Object.entries(d.properties).filter(([k]) => !(k in d.inputProperties))) lines.push(`| \`${k}\` | ${typeText(p)} | ${cell(p.description ?? "")} |`);
    // The spec's stable outputs are what core.planned keeps (tests/unit/resources/preview-keeps-stable-outputs.test.ts).
    const stable = core.spec.stableOutputs ?? [];
    lines.push(
        "",
        stable.length
            ? `In a preview of an update, ${stable.map((k) => `\`${k}\``).join(", ").replace(/, ([^,]+)$/, " and $1")} stay known (the native plugin; the dynamic provider keeps only the resource's id output, see [Your first reseller](../guides/first-reseller.md#the-resources)); the other outputs above are known only after the update.`
            : "In a preview of an update, the outputs above are known only after the update.",
    );
    lines.push("", "## Replacement", "");
    if (d.replaceOnChange.length) {
        lines.push(`A change of ${d.replaceOnChange.map((k) => `\`${k}\``).join(" or ")} replaces the object${d.deleteBeforeReplace ? "; the old one is deleted before the new one is made" : ""}. Every other change is made in place.`);
    } else lines.push("Every change is made in place.");
    if (d.createOnly.length) lines.push("", `${d.createOnly.map((k) => `\`${k}\``).join(", ")}: used only when the object is created; a later change is not a difference.`);
    lines.push("", "## Import", "", "```sh", `pulumi import ${token(kind)} ${ex.name} <id>`, "```", "", `\`<id>\` is ${IMPORT_ID[kind]}.`);
    const unrecoverable = Object.entries(d.inputProperties).filter(([, p]) => /cannot recover|never returns/.test(p.description ?? ""));
    for (const [k] of unrecoverable) lines.push("", `Fleio does not return \`${k}\`: add it to the generated code by hand if the object has one.`);
    lines.push("", "Many at once: `pulumi import --file import.json`, with `{\"resources\": [{\"type\": \"" + token(kind) + "\", \"name\": \"" + ex.name + "\", \"id\": \"<id>\"}]}`.");
    lines.push("", `TypeScript programs that used the dynamic provider move to this type with no change in Fleio: see [Moving a TypeScript stack to the native plugin](../guides/yaml-and-import.md#moving-a-typescript-stack-to-the-native-plugin).`, "");
    return lines.join("\n");
}

function index(schema: Record<string, any>): string {
    const lines = ["# pulumi-fleio resource reference", "", "Generated from the package schema (`pulumi package get-schema bin/pulumi-resource-fleio`) by `node dist/scripts/gen-docs.js`; do not edit by hand.", "", "## Resources", ""];
    for (const kind of Object.keys(resources) as ResourceKind[]) lines.push(`- [${kind}](${kind}.md): ${schema.resources[token(kind)].description.split("\n\n")[0]}`);
    lines.push("", "## Provider configuration", "", "| Key | Type | Environment | Description |", "|---|---|---|---|");
    for (const [k, p] of Object.entries(CONFIG)) lines.push(`| \`fleio:${k}\` | ${p.type}${p.secret ? " (secret)" : ""} | ${p.defaultInfo?.environment.join(", ") ?? ""} | ${cell(p.description ?? "")} |`);
    lines.push("");
    return lines.join("\n");
}

/** Every page, by file name under docs/reference/. */
export function referencePages(): Record<string, string> {
    const schema = packageSchema("docs");
    const pages: Record<string, string> = { "README.md": index(schema) };
    for (const kind of Object.keys(resources) as ResourceKind[]) pages[`${kind}.md`] = page(kind, schema);
    return pages;
}
