import { stringify } from "yaml";
import { argumentProblems } from "../onboarding-args";
import type { PlanSpec, RuleSpec } from "../onboarding";
import { domainKey } from "../../provider/validation/fields";
import type { ResellerFile } from "./format";
import { onboardingArgs } from "./program";
import { keptNames } from "./renamed-files";

/** Where a project that ran `npm install pulumi-fleio` finds the native plugin. */
export const DEFAULT_PLUGIN_PATH = "node_modules/pulumi-fleio/bin";

type Json = Record<string, unknown>;
type Resource = { type: string; properties: Json; options?: Json };

/**
 * Pulumi YAML reads `${…}` in any string as an expression; a value from a data file is
 * data, so its `${` is escaped to `$${` (YAML's literal dollar).
 */
const literal = (v: unknown): unknown => {
    if (typeof v === "string") return v.replace(/\$\{/g, () => "$${");
    if (Array.isArray(v)) return v.map(literal);
    if (v && typeof v === "object") return Object.fromEntries(Object.entries(v).filter(([, x]) => x !== undefined).map(([k, x]) => [k, literal(x)]));
    return v;
};
const ref = (resource: string, output: string) => `\${${resource}.${output}}`;
/** A whole resource, as dependsOn lists it. */
const dep = (resource: string) => `\${${resource}}`;
/** Only the fields that are set: an absent field is the provider's default, as in the component. */
const defined = (o: Json): Json => Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined));
/** The schema's decimal fields are strings; a data file may write them as numbers. */
const decimal = (v: unknown) => (typeof v === "number" ? String(v) : v);

/**
 * The resources ResellerOnboarding declares for one data file, as YAML resources with
 * the component's child names (`acme-client`, `acme-reseller-plan-small`, …) and its
 * order constraints: the service waits for every rule of its plan; the reseller's own
 * configuration and plan (and its rules) wait for the service. The mapping from file to
 * objects is onboardingArgs, the one the TypeScript program uses.
 */
function resellerResources(name: string, file: ResellerFile): Record<string, Resource> {
    const args = onboardingArgs(name, file);
    const problems = argumentProblems(args, { template: "use-factory" });
    if (problems.length) throw new Error(`${name}: ${problems.join("; ")}`);
    const out: Record<string, Resource> = {};
    const client = `${name}-client`;
    const service = `${name}-service`;
    const currency = args.client.currency as string;
    out[client] = { type: "fleio:index:Reseller", properties: literal(args.client) as Json };

    const plan = (planName: string, spec: PlanSpec, owner: string | undefined, dependsOn: string[] | undefined): string[] => {
        out[planName] = {
            type: "fleio:index:OpenstackPlan",
            properties: {
                ...(literal(defined({ name: spec.name, currency: spec.currency ?? currency, isDefault: spec.isDefault ?? owner !== undefined })) as Json),
                ...(owner && { resellerClientId: ref(owner, "clientId") }),
                ...(literal(defined({ adopt: spec.adopt })) as Json),
            },
            ...(dependsOn && { options: { dependsOn: dependsOn.map(dep) } }),
        };
        return spec.rules!.map(({ key, ...rule }: RuleSpec) => {
            const ruleName = `${planName}-${key}`;
            const prices = (rule.prices as { from: unknown; price: unknown }[]).map((t) => ({ from: decimal(t.from), price: decimal(t.price) }));
            const modifiers = (rule.modifiers as Json[] | undefined)?.map((m) => ({ ...m, price: decimal(m.price) }));
            out[ruleName] = {
                type: "fleio:index:PricingRule",
                properties: { planId: ref(planName, "planId"), ...(literal(defined({ ...rule, prices, modifiers })) as Json) },
                ...(dependsOn && { options: { dependsOn: dependsOn.map(dep) } }),
            };
            return ruleName;
        });
    };
    const rules = plan(`${name}-reseller-plan`, args.resellerPlan, undefined, undefined);
    out[service] = {
        type: "fleio:index:ResellerService",
        properties: {
            clientId: ref(client, "clientId"),
            planId: ref(`${name}-reseller-plan`, "planId"),
            ...(literal(defined(args.service)) as Json),
        },
        // A reseller is never priced by a plan that is still empty.
        options: { dependsOn: rules.map(dep) },
    };
    if (args.domain !== null) {
        out[`${name}-domain`] = {
            type: "fleio:index:FrontendDomain",
            properties: { clientId: ref(client, "clientId"), serviceId: ref(service, "serviceId"), ...(literal(defined({ domain: args.domain, scheme: args.scheme, adopt: args.domainAdopt })) as Json) },
        };
    }
    // Objects the reseller owns need its service (its scope) first.
    if (args.configuration) {
        out[`${name}-configuration`] = {
            type: "fleio:index:Configuration",
            properties: { ...(literal(defined(args.configuration)) as Json), resellerClientId: ref(client, "clientId") },
            options: { dependsOn: [dep(service)] },
        };
    }
    if (args.endUserPlan) plan(`${name}-enduser-plan`, args.endUserPlan, client, [service]);
    return out;
}

/**
 * Two files that claim one panel domain or one external billing id would fight over
 * one Fleio object; the TypeScript program refuses them at run time, the renderer here.
 */
function checkUnique(resellers: ReadonlyMap<string, ResellerFile>): void {
    for (const [field, value] of [
        ["domain", (r: ResellerFile) => (r.domain === undefined ? undefined : domainKey(r.domain))],
        ["client.externalBillingId", (r: ResellerFile) => r.client.externalBillingId?.trim() || undefined],
    ] as const) {
        const seen = new Map<string, string>();
        for (const [name, r] of resellers) {
            const v = value(r);
            if (v === undefined) continue;
            if (seen.has(v)) throw new Error(`${seen.get(v)} and ${name} both have ${field} "${v}"; one Fleio object cannot belong to two resellers — change one of them`);
            seen.set(v, name);
        }
    }
}

export interface RenderYamlOptions {
    /** The Pulumi project's name (default fleio-gitops-yaml). */
    project?: string;
    /** The native plugin's folder, as written into the program (default node_modules/pulumi-fleio/bin). */
    pluginPath?: string;
    /** Where the data came from, for the header comment (e.g. "resellers/"). */
    source?: string;
    /** The program rendered before (the file being replaced): a renamed data file keeps its resources' names (renamed-files.ts). */
    previous?: string;
}

/**
 * A folder's reseller files as one Pulumi YAML program declaring the resources
 * ResellerOnboarding would declare for each, under the same names; outputs each
 * reseller's end-user panel URL, as the TypeScript program does. The text depends only
 * on the files (in name order) and the options, so CI can check it is up to date.
 */
export function renderYamlProgram(resellers: ReadonlyMap<string, ResellerFile>, opts: RenderYamlOptions = {}): string {
    checkUnique(resellers);
    const resources: Record<string, Resource> = {};
    const panels: Record<string, string> = {};
    const kept = keptNames(resellers, opts.previous);
    for (const name of [...resellers.keys()].sort()) {
        const prefix = kept.get(name) ?? name;
        Object.assign(resources, resellerResources(prefix, resellers.get(name)!));
        if (resellers.get(name)!.domain !== undefined) panels[name] = ref(`${prefix}-domain`, "enduserPanelUrl");
    }
    const program = {
        name: opts.project ?? "fleio-gitops-yaml",
        runtime: "yaml",
        description: "Fleio resellers onboarded from data files, rendered by pulumi-fleio gitops render-yaml.",
        plugins: { providers: [{ name: "fleio", path: opts.pluginPath ?? DEFAULT_PLUGIN_PATH }] },
        resources,
        outputs: { endUserPanels: panels },
    };
    const header = [
        `# Rendered by \`pulumi-fleio gitops render-yaml\`${opts.source ? ` from ${opts.source}` : ""}; do not edit.`,
        "# Edit the data files and render again (`--check` tells CI whether this file is up to date).",
        ...[...kept].sort().map(([file, prefix]) => `# ${file}: its resources keep the names ${prefix}-* it had before the file was renamed (same reseller).`),
    ].join("\n");
    return `${header}\n${stringify(program, { lineWidth: 0 })}`;
}
