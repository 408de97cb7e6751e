import { stringify } from "yaml";
import { argumentProblems } from "../onboarding-args";
import { isExistingPlan, PlanSpec, RuleSpec } from "../onboarding";
import { catalogPlanName } from "../catalog-plan";
import { domainKey } from "../../provider/validation/fields";
import type { CatalogPlanFile, ResellerFile } from "./format";
import { CATALOG_OUTPUT, catalogPlanArgs, onboardingArgs } from "./program";

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

/** A rule's properties: its plan by reference, decimals as the schema's strings. */
function ruleProperties(planName: string, rule: Omit<RuleSpec, "key">): Json {
    const prices = (rule.prices as { from: unknown; price: unknown }[]).map((t) => ({ from: decimal(t.from), price: decimal(t.price) }));
    const modifiers = (rule.modifiers as Json[] | undefined)?.map((m) => ({ ...m, price: decimal(m.price) }));
    return { planId: ref(planName, "planId"), ...(literal(defined({ ...rule, prices, modifiers })) as Json) };
}

/**
 * The resources ResellerOnboarding declares for one data file, as YAML resources with
 * the component's child names (`acme-client`, `acme-reseller-plan-small`, …) and its
 * order constraints: the service waits for every rule of its plan; the reseller's own
 * configuration and plan (and its rules) wait for the service. The mapping from file to
 * objects is onboardingArgs, the one the TypeScript program uses.
 */
function resellerResources(name: string, file: ResellerFile, catalogRules: ReadonlyMap<string, string[]>): Record<string, Resource> {
    const key = file.plan?.catalog;
    // A placeholder id passes the argument checks; the service's planId below refers to the catalog plan.
    const args = onboardingArgs(name, file, key === undefined ? undefined : { planId: "1" });
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
            out[ruleName] = {
                type: "fleio:index:PricingRule",
                properties: ruleProperties(planName, rule),
                ...(dependsOn && { options: { dependsOn: dependsOn.map(dep) } }),
            };
            return ruleName;
        });
    };
    const planName = key === undefined ? `${name}-reseller-plan` : `${catalogPlanName(key)}-plan`;
    const rules = isExistingPlan(args.resellerPlan) ? catalogRules.get(key!)! : plan(planName, args.resellerPlan, undefined, undefined);
    out[service] = {
        type: "fleio:index:ResellerService",
        properties: {
            clientId: ref(client, "clientId"),
            planId: ref(planName, "planId"),
            ...(literal(defined(args.service)) as Json),
        },
        // A reseller is never priced by a plan that is still empty.
        ...(rules.length ? { options: { dependsOn: rules.map(dep) } } : {}),
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
    for (const c of args.configurations ?? []) {
        const { key: configKey, ...rest } = c;
        out[`${name}-configuration-${configKey}`] = {
            type: "fleio:index:Configuration",
            properties: { ...(literal(defined(rest)) as Json), resellerClientId: ref(client, "clientId") },
            options: { dependsOn: [dep(service)] },
        };
    }
    if (args.endUserPlan) plan(`${name}-enduser-plan`, args.endUserPlan, client, [service]);
    for (const { key: planKey, ...p } of args.endUserPlans ?? []) plan(`${name}-enduser-plan-${planKey}`, p, client, [service]);
    return out;
}

/** A catalog plan's resources, as the CatalogPlan component declares them: `catalog-<key>-plan` and its rules. */
function catalogResources(key: string, file: CatalogPlanFile): { resources: Record<string, Resource>; rules: string[] } {
    const planName = `${catalogPlanName(key)}-plan`;
    const args = catalogPlanArgs(file);
    const resources: Record<string, Resource> = {
        [planName]: { type: "fleio:index:OpenstackPlan", properties: literal(defined({ name: args.name, currency: args.currency, isDefault: args.isDefault, adopt: args.adopt })) as Json },
    };
    const rules = args.rules!.map(({ key: ruleKey, ...rule }: RuleSpec) => {
        const ruleName = `${planName}-${ruleKey}`;
        resources[ruleName] = { type: "fleio:index:PricingRule", properties: ruleProperties(planName, rule) };
        return ruleName;
    });
    return { resources, rules };
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
    /** The folder's plan catalog (format version 2; `loadGitopsData(dir).catalog`): rendered as the CatalogPlan component declares it. */
    catalog?: ReadonlyMap<string, CatalogPlanFile>;
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
    const add = (more: Record<string, Resource>, from: string) => {
        for (const [name, r] of Object.entries(more)) {
            // Flat YAML names have no parent to tell a catalog plan's rule from a reseller's object.
            if (name in resources) throw new Error(`${from} would declare "${name}", which another file's resources already use; rename one of the files or the rule key`);
            resources[name] = r;
        }
    };
    const panels: Record<string, string> = {};
    const catalogRules = new Map<string, string[]>();
    const catalogIds: Record<string, string> = {};
    for (const key of [...(opts.catalog?.keys() ?? [])].sort()) {
        const c = catalogResources(key, opts.catalog!.get(key)!);
        add(c.resources, `plans/${key}`);
        catalogRules.set(key, c.rules);
        catalogIds[key] = ref(`${catalogPlanName(key)}-plan`, "planId");
    }
    for (const name of [...resellers.keys()].sort()) {
        const key = resellers.get(name)!.plan?.catalog;
        if (key !== undefined && !catalogRules.has(key)) throw new Error(`${name}: the catalog plan "${key}" is not in the catalog given (plans/${key}.yaml)`);
        add(resellerResources(name, resellers.get(name)!, catalogRules), name);
        if (resellers.get(name)!.domain !== undefined) panels[name] = ref(`${name}-domain`, "enduserPanelUrl");
    }
    const program = {
        name: opts.project ?? "fleio-gitops-yaml",
        runtime: "yaml",
        description: "Fleio resellers onboarded from data files, rendered by pulumi-fleio gitops render-yaml.",
        plugins: { providers: [{ name: "fleio", path: opts.pluginPath ?? DEFAULT_PLUGIN_PATH }] },
        resources,
        outputs: { endUserPanels: panels, ...(catalogRules.size ? { [CATALOG_OUTPUT]: catalogIds } : {}) },
    };
    const header = [
        `# Rendered by \`pulumi-fleio gitops render-yaml\`${opts.source ? ` from ${opts.source}` : ""}; do not edit.`,
        "# Edit the data files and render again (`--check` tells CI whether this file is up to date).",
    ].join("\n");
    return `${header}\n${stringify(program, { lineWidth: 0 })}`;
}
