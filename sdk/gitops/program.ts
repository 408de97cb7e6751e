import * as pulumi from "@pulumi/pulumi";
import { ResellerOnboarding, RuleSpec, PlanSpec, ExistingPlan } from "../onboarding";
import { CatalogPlan } from "../catalog-plan";
import { ProgramError } from "../claims";
import type { ResellerArgs } from "../resources";
import { CatalogPlanFile, configurationKey, GitopsRule, ResellerFile } from "./format";
import { GitopsData, loadGitopsData } from "./load";

/** A rule's conditions: `flavor:` prices one flavour, by Fleio's instance attribute `instance_type`. */
export function ruleConditions(r: GitopsRule): NonNullable<RuleSpec["conditions"]> {
    const flavor = r.flavor ? [{ attribute: "instance_type", operator: "eq", value: r.flavor }] : [];
    return [...flavor, ...(r.conditions ?? [])] as NonNullable<RuleSpec["conditions"]>;
}

/** One rule of a data file as the onboarding component's rule. */
export function ruleSpec(r: GitopsRule): RuleSpec {
    return {
        key: r.key,
        displayName: r.displayName,
        resourceName: r.resource,
        resourceType: r.resourceType,
        resourceId: r.resourceId,
        timeUnit: r.timeUnit,
        priority: r.priority,
        attribute: r.attribute,
        attributeUnit: r.attributeUnit,
        prices: r.prices ?? [{ from: 0, price: r.price! }],
        conditions: ruleConditions(r),
        modifiers: r.modifiers as RuleSpec["modifiers"],
        adopt: r.adopt,
    };
}

const planSpec = (spec: { name?: string; currency?: string; adopt?: string } | undefined, fallback: string, rules: GitopsRule[]): PlanSpec => ({
    name: spec?.name ?? fallback,
    currency: spec?.currency,
    adopt: spec?.adopt,
    rules: rules.map(ruleSpec),
});

/** A catalog plan file as the CatalogPlan component's arguments. */
export function catalogPlanArgs(p: CatalogPlanFile) {
    return { ...planSpec(p, p.name, p.pricing), name: p.name, currency: p.currency, isDefault: p.isDefault ?? false };
}

/**
 * One data file as the arguments of its ResellerOnboarding. A reseller on a catalog
 * plan gets `catalogPlan` (the plan's id, and what must exist before the reseller goes
 * on it); one without a catalog plan has a plan of its own, made with its rules.
 */
export function onboardingArgs(name: string, r: ResellerFile, catalogPlan?: ExistingPlan) {
    const plan = planSpec;
    const key = r.plan?.catalog;
    if (key !== undefined && !catalogPlan) throw new ProgramError(`${name}: the reseller is on the catalog plan "${key}"; give that plan (its id, or the CatalogPlan's planId and rules) as onboardingArgs' third argument, as gitopsProgram does`);
    const resellerPlan: PlanSpec | ExistingPlan = key !== undefined ? catalogPlan! : plan(r.plan, `Reseller pricing - ${name}`, r.pricing ?? []);
    // The scope's default is the plan said to be, else the first: Fleio refuses to save a
    // plan in a reseller scope that has no default.
    const defaultAt = r.endUserPlans?.some((p) => p.isDefault) ? -1 : 0;
    return {
        client: r.client as unknown as ResellerArgs,
        resellerPlan,
        service: { productName: r.product, cycle: r.cycle, adopt: r.service?.adopt },
        domain: r.domain ?? null,
        scheme: r.scheme,
        // The panel of an adopted service is its own to take over.
        domainAdopt: r.domain !== undefined ? r.service?.adopt : undefined,
        configuration: r.configuration,
        configurations: r.configurations?.map((c) => ({ key: configurationKey(c), name: c.name, description: c.description, isDefault: c.isDefault, adopt: c.adopt })),
        endUserPlan: r.endUserPlan && plan(r.endUserPlan, `End-user pricing - ${name}`, r.endUserPlan.pricing),
        endUserPlans: r.endUserPlans?.map((p, i) => ({ key: p.key, ...plan(p, `End-user pricing - ${name} - ${p.key}`, p.pricing), isDefault: p.isDefault ?? i === defaultAt })),
    };
}

/**
 * Where a stack finds the catalog's plans. Absent: the stack owns the catalog (declares
 * every catalog plan; a single stack). `ids`: another stack owns it (a fleet's catalog
 * stack), and these are its plans' Fleio ids by key; a key without an id is a plan that
 * stack has not made yet: unknown in a preview, an error in an update.
 */
export interface CatalogIds {
    ids: Readonly<Record<string, string>>;
}

/** The stack output holding the catalog plans' ids by key (read by a fleet's reseller stacks). */
export const CATALOG_OUTPUT = "catalogPlans";

/**
 * The GitOps program: every file in `dir` (a folder, or its files as loadGitopsData read them) is one reseller, onboarded by one
 * ResellerOnboarding named after the file, and every catalog plan (`plans/<key>.yaml`)
 * one CatalogPlan. `only` (reseller names) keeps a subset: a fleet runs one stack per
 * shard of the same folder. Returns each reseller's end-user panel URL (empty for a
 * reseller without a domain) and, when the stack owns catalog plans, their ids
 * (`catalogPlans`). `renamed` (new file name → old) lets a renamed file keep its
 * resources: the old name becomes the component's alias, and its children, named after
 * it, follow. `catalog` says where the catalog's plans are (see CatalogIds).
 */
export function gitopsProgram(dir: string | GitopsData, only?: ReadonlySet<string>, renamed?: ReadonlyMap<string, string>, catalog?: CatalogIds): Record<string, unknown> {
    // A fleet loads the folder once and hands it to each of its stacks' programs: one parse
    // per stack of every file was 40,000 parses per operation of a 1,000-reseller fleet.
    const data = typeof dir === "string" ? loadGitopsData(dir) : dir;
    const outputs: Record<string, unknown> = {};
    const owned = new Map<string, CatalogPlan>();
    if (!catalog) for (const [key, p] of data.catalog) owned.set(key, new CatalogPlan(key, catalogPlanArgs(p)));
    for (const [name, r] of data.resellers) {
        if (only && !only.has(name)) continue;
        const key = r.plan?.catalog;
        const plan = key === undefined ? undefined : owned.has(key) ? { planId: owned.get(key)!.planId, dependsOn: owned.get(key)!.rules } : catalogPlanById(key, catalog!.ids[key], name);
        const onboarding = new ResellerOnboarding(name, onboardingArgs(name, r, plan), renamed?.has(name) ? { aliases: [{ name: renamed.get(name)! }] } : undefined);
        outputs[name] = onboarding.endUserPanelUrl;
    }
    if (owned.size) {
        if (CATALOG_OUTPUT in outputs) throw new ProgramError(`a reseller file named ${CATALOG_OUTPUT} would hide the catalog plans' ids among the stack's outputs; rename that file`);
        outputs[CATALOG_OUTPUT] = Object.fromEntries([...owned].map(([key, p]) => [key, p.planId]));
    }
    return outputs;
}

/**
 * A catalog plan another stack owns, by the id that stack gave it. Not made yet: a
 * preview shows the reseller going on a plan whose id is not known yet (the catalog
 * stack's update makes it first); an update refuses, before anything is sent.
 */
function catalogPlanById(key: string, id: string | undefined, reseller: string): ExistingPlan {
    if (id !== undefined) return { planId: id };
    if (!pulumi.runtime.isDryRun())
        throw new ProgramError(`${reseller}: the catalog plan "${key}" has not been made yet (the catalog stack has no id for it); run the catalog stack first (\`pulumi-fleio fleet up\` does; in a CI matrix, the catalog job runs before the shards)`);
    // An Output whose value is not known, as the engine gives for an object not yet made.
    const Unknown = pulumi.Output as unknown as new (...a: unknown[]) => pulumi.Output<string>;
    return { planId: new Unknown(new Set(), Promise.resolve(undefined), Promise.resolve(false), Promise.resolve(false), Promise.resolve(new Set())) };
}
