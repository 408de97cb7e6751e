import { ResellerOnboarding, RuleSpec, PlanSpec } from "../onboarding";
import type { ResellerArgs } from "../resources";
import type { GitopsRule, ResellerFile } from "./format";
import { loadResellers } from "./load";

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

/** One data file as the arguments of its ResellerOnboarding. */
export function onboardingArgs(name: string, r: ResellerFile) {
    const plan = (spec: { name?: string; currency?: string; adopt?: string } | undefined, fallback: string, rules: GitopsRule[]): PlanSpec => ({
        name: spec?.name ?? fallback,
        currency: spec?.currency,
        adopt: spec?.adopt,
        rules: rules.map(ruleSpec),
    });
    return {
        client: r.client as unknown as ResellerArgs,
        resellerPlan: plan(r.plan, `Reseller pricing - ${name}`, r.pricing),
        service: { productName: r.product, cycle: r.cycle, adopt: r.service?.adopt },
        domain: r.domain ?? null,
        scheme: r.scheme,
        // The panel of an adopted service is its own to take over.
        domainAdopt: r.domain !== undefined ? r.service?.adopt : undefined,
        configuration: r.configuration,
        endUserPlan: r.endUserPlan && plan(r.endUserPlan, `End-user pricing - ${name}`, r.endUserPlan.pricing),
    };
}

/**
 * The GitOps program: every file in `dir` is one reseller, onboarded by one
 * ResellerOnboarding named after the file. `only` (reseller names) keeps a subset: a
 * fleet runs one stack per shard of the same folder. Returns each reseller's end-user
 * panel URL (empty for a reseller without a domain). `renamed` (new file name → old)
 * lets a renamed file keep its resources: the old name becomes the component's alias,
 * and its children, named after it, follow.
 */
export function gitopsProgram(dir: string, only?: ReadonlySet<string>, renamed?: ReadonlyMap<string, string>): Record<string, unknown> {
    const panels: Record<string, unknown> = {};
    for (const [name, r] of loadResellers(dir)) {
        if (only && !only.has(name)) continue;
        const onboarding = new ResellerOnboarding(name, onboardingArgs(name, r), renamed?.has(name) ? { aliases: [{ name: renamed.get(name)! }] } : undefined);
        panels[name] = onboarding.endUserPanelUrl;
    }
    return panels;
}
