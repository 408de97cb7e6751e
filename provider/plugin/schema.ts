import { z } from "zod";
import { resources, ResourceKind } from "../registry";
import type { ResourceCore } from "../resources/define";

/**
 * The Pulumi package schema of the native plugin, built from the same zod specs the
 * dynamic provider validates with: types and descriptions come from the schemas
 * (`.describe()`), replacement rules from the specs. Constraints zod knows (lengths,
 * ranges, enums) go into the docs (docs/), not the schema, which has no field for them.
 */

export const PACKAGE = "fleio";
/** The token of each resource in the native package. */
export const token = (kind: string) => `${PACKAGE}:index:${kind}`;
/** The token the dynamic provider registers the same resource under (sdk/provider-handle.ts). */
export const dynamicToken = (kind: string) => `pulumi-nodejs:dynamic/${PACKAGE}:${kind}`;

type Json = Record<string, any>;
export interface PropertySpec {
    type?: string;
    $ref?: string;
    items?: PropertySpec;
    description?: string;
    secret?: boolean;
    defaultInfo?: { environment: string[] };
}

/** The provider's settings, as config keys `fleio:<key>` (provider/config.ts reads them). */
export const CONFIG: Record<string, PropertySpec> = {
    url: { type: "string", description: "Fleio's address, e.g. https://billing.example.com (the staff or reseller API path may be included).", defaultInfo: { environment: ["FLEIO_URL"] } },
    token: { type: "string", secret: true, description: "A Fleio API token (staff, or reseller with apiScope reseller). Set it with `pulumi config set --secret fleio:token`.", defaultInfo: { environment: ["FLEIO_TOKEN"] } },
    apiScope: { type: "string", description: 'Which API the token is for: "staff" (default) or "reseller".', defaultInfo: { environment: ["FLEIO_API_SCOPE"] } },
    maxConcurrency: { type: "integer", description: "Most requests in flight at once, 1 to 64 (default 8).", defaultInfo: { environment: ["FLEIO_MAX_CONCURRENCY"] } },
    timeoutSeconds: { type: "integer", description: "Timeout of one request in seconds, 1 to 600 (default 30).", defaultInfo: { environment: ["FLEIO_TIMEOUT_SECONDS"] } },
    maxRetries: { type: "integer", description: "Retries of a failed request that is safe to repeat, 0 to 10 (default 4).", defaultInfo: { environment: ["FLEIO_MAX_RETRIES"] } },
    deleteTimeoutSeconds: { type: "integer", description: "How long a delete waits for Fleio to finish, 1 to 3600 seconds (default 300).", defaultInfo: { environment: ["FLEIO_DELETE_TIMEOUT_SECONDS"] } },
    insecureSkipVerify: { type: "boolean", description: "Accept a TLS certificate that does not verify (test installations only; default false).", defaultInfo: { environment: ["FLEIO_INSECURE_SKIP_VERIFY"] } },
};

const upperFirst = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);
const singular = (s: string) => (s.endsWith("s") ? s.slice(0, -1) : s);

/** JSON Schema (as zod writes it) to a Pulumi property; nested objects become named types. */
function property(js: Json, typeName: string, types: Record<string, Json>): PropertySpec {
    const description = js.description as string | undefined;
    const out = (p: PropertySpec): PropertySpec => (description ? { ...p, description } : p);
    if (js.anyOf || js.oneOf) return out({ $ref: "pulumi.json#/Any" });
    const t = Array.isArray(js.type) ? (js.type.includes("string") ? "string" : js.type[0]) : js.type;
    switch (t) {
        case "string":
        case "integer":
        case "number":
        case "boolean":
            return out({ type: t });
        case "array":
            return out({ type: "array", items: property(js.items ?? {}, singular(typeName), types) });
        case "object":
            if (js.properties) {
                types[token(typeName)] = objectType(js, typeName, types);
                return out({ $ref: `#/types/${token(typeName)}` });
            }
            return out({ type: "object", additionalProperties: { $ref: "pulumi.json#/Any" } } as PropertySpec);
    }
    // An enum or a transform zod cannot describe: the wire value is text.
    return out({ type: "string" });
}

function objectType(js: Json, typeName: string, types: Record<string, Json>): Json {
    const properties = Object.fromEntries(Object.entries(js.properties as Json).map(([k, v]) => [k, property(v, typeName + upperFirst(k), types)]));
    return { type: "object", ...(js.description ? { description: js.description } : {}), properties, required: js.required ?? [] };
}

const jsonSchema = (s: z.ZodType) => z.toJSONSchema(s, { io: "input", unrepresentable: "any" }) as Json;

/** The input and output properties of one resource, for the schema and the docs. */
export function describeResource(core: ResourceCore, types: Record<string, Json> = {}) {
    const spec = core.spec;
    const inJs = jsonSchema(spec.inputs);
    const inputProperties = Object.fromEntries(Object.entries(inJs.properties as Json).map(([k, v]) => [k, property(v, spec.kind + upperFirst(k), types)]));
    const outJs = spec.outputs ? jsonSchema(spec.outputs) : { properties: {}, required: [] };
    const outputOnly = Object.fromEntries(Object.entries(outJs.properties as Json).map(([k, v]) => [k, property(v, spec.kind + upperFirst(k), types)]));
    // An input with a default always has a value once checked.
    const defaulted = Object.entries(inJs.properties as Json).filter(([, v]) => v.default !== undefined).map(([k]) => k);
    return {
        inputProperties,
        requiredInputs: (inJs.required ?? []) as string[],
        properties: { ...inputProperties, ...outputOnly },
        required: [...new Set([...(inJs.required ?? []), ...defaulted, ...(outJs.required ?? [])])] as string[],
        constraints: Object.fromEntries(Object.entries(inJs.properties as Json).map(([k, v]) => [k, constraintsOf(v)])) as Record<string, string[]>,
        replaceOnChange: [...spec.replaceOnChange] as string[],
        createOnly: [...(spec.createOnly ?? [])] as string[],
        deleteBeforeReplace: spec.deleteBeforeReplace === true,
    };
}

/** What zod checks about a value, in words, for the docs. */
function constraintsOf(js: Json): string[] {
    const c: string[] = [];
    if (js.default !== undefined) c.push(`default ${JSON.stringify(js.default)}`);
    if (js.enum) c.push(`one of ${js.enum.map((e: unknown) => JSON.stringify(e)).join(", ")}`);
    if (js.minLength !== undefined && js.minLength > 0) c.push("not empty");
    if (js.maxLength !== undefined) c.push(`at most ${js.maxLength} characters`);
    if (js.minimum !== undefined) c.push(`at least ${js.minimum}`);
    if (js.maximum !== undefined) c.push(`at most ${js.maximum}`);
    if (js.minItems !== undefined) c.push(`at least ${js.minItems} item${js.minItems === 1 ? "" : "s"}`);
    if (Array.isArray(js.type) && js.type.includes("number") && js.type.includes("string")) c.push("a string or a number (written back as a string)");
    return c;
}

function description(core: ResourceCore): string {
    const d = describeResource(core);
    const replace = d.replaceOnChange.length ? ` Changing ${d.replaceOnChange.join(" or ")} replaces it${d.deleteBeforeReplace ? " (the old one is deleted first)" : ""}.` : "";
    return `${RESOURCE_TEXT[core.kind as ResourceKind]}${replace}\n\nImport by Fleio id: \`pulumi import ${token(core.kind)} <name> <id>\`.`;
}

const RESOURCE_TEXT: Record<ResourceKind, string> = {
    Reseller: "A reseller client in Fleio: an ordinary client that will own a reseller service.",
    OpenstackPlan: "An OpenStack pricing plan: staff-owned, or owned by a reseller via resellerClientId.",
    PricingRule: "A price rule of an OpenStack plan: tiers, units, conditions and modifiers for one billing resource.",
    ResellerService: "The reseller service of a client, priced by a plan. Fleio allows one per client, so a replacement ends the old service before ordering the new one.",
    FrontendDomain: "The reseller's end-user panel on its own domain (Fleio's end user panel url), with the settings its end-user frontend needs so sign-ups land under the reseller.",
    Configuration: "A configuration (Settings, Configurations), staff-wide or a reseller's own.",
};

/** The whole package schema, as `GetSchema` serves it and `pulumi package get-schema` prints it. */
export function packageSchema(version: string): Json {
    const types: Record<string, Json> = {};
    const res: Record<string, Json> = {};
    for (const kind of Object.keys(resources) as ResourceKind[]) {
        const core = resources[kind].core;
        const d = describeResource(core, types);
        res[token(kind)] = {
            description: description(core),
            properties: d.properties,
            required: d.required,
            inputProperties: d.inputProperties,
            requiredInputs: d.requiredInputs,
            // A stack made with the dynamic provider moves here with no change in Fleio.
            aliases: [{ type: dynamicToken(kind) }],
        };
    }
    const config = CONFIG;
    return {
        name: PACKAGE,
        displayName: "Fleio",
        version,
        description: "Declare a Fleio reseller setup (reseller clients, OpenStack plans, pricing rules, reseller services, end-user panel domains, configurations) as code.",
        keywords: ["pulumi", "fleio", "openstack", "billing", "category/cloud"],
        license: "Apache-2.0",
        publisher: "pulumi-fleio",
        config: { variables: config },
        provider: {
            description: "The Fleio provider: where Fleio is and how to reach it.",
            inputProperties: config,
            properties: Object.fromEntries(Object.entries(config).filter(([k]) => k !== "token")),
        },
        resources: res,
        types,
        language: {
            nodejs: { packageName: "@pulumi-fleio/fleio", dependencies: { "@pulumi/pulumi": "~3.248.0" } },
            // pyproject.toml, with the schema's version; README.md is written beside it by scripts/gen-sdk.sh.
            python: { packageName: "pulumi_fleio", respectSchemaVersion: true, pyproject: { enabled: true } },
            go: { importBasePath: "github.com/pulumi-fleio/sdk/go/fleio" },
        },
    };
}
