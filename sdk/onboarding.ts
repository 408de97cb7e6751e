import * as pulumi from "@pulumi/pulumi";
import type { z } from "zod";
import type { pricingRuleInputs } from "../provider/resources/pricing-rule";
import { ApiRule, fromApi as ruleFromApi } from "../provider/resources/pricing-rule";
import { canonicalDecimal } from "../provider/validation/fields";
import { Configuration, FrontendDomain, OpenstackPlan, PricingRule, Reseller, ResellerArgs, ResellerService } from "./resources";
import { getPlanRules } from "./lookups";
import type { Inputs } from "./types";

/** A pricing rule of a plan the component creates; planId is filled in. */
export type RuleSpec = Omit<Inputs<z.input<typeof pricingRuleInputs>>, "planId" | "adopt"> & {
    /** Stable name of the rule's Pulumi resource; defaults to a slug of displayName. */
    key?: string;
};

export interface PlanSpec {
    name: pulumi.Input<string>;
    /** Defaults to the reseller's currency. */
    currency?: pulumi.Input<string>;
    /** The rules, given one by one … */
    rules?: RuleSpec[];
    /** … or copied from an existing plan with every price raised by `markupPercent`. */
    fromTemplate?: { planId: string; markupPercent: number };
}

export interface ResellerOnboardingArgs {
    /** The reseller client (step 3). */
    client: ResellerArgs;
    /** The plan that prices the reseller (step 2): a staff plan. */
    resellerPlan: PlanSpec;
    /** The reseller service's product and cycle (by name or id). */
    service: { productName?: pulumi.Input<string>; productId?: pulumi.Input<string>; cycle?: pulumi.Input<"hour" | "month" | "year" | "onetime">; productCycleId?: pulumi.Input<string> };
    /** The end-user panel domain (step 4), e.g. "cloud.reseller.example". */
    domain: pulumi.Input<string>;
    scheme?: pulumi.Input<"https" | "http">;
    /** The reseller's own configuration (step 5). */
    configuration?: { name: pulumi.Input<string>; description?: pulumi.Input<string>; isDefault?: pulumi.Input<boolean> };
    /** The plan the reseller sells to its own customers (step 5), owned by the reseller. */
    endUserPlan?: PlanSpec;
}

/**
 * One reseller, onboarded end to end: client → reseller plan with its rules →
 * reseller service on that plan → end-user panel domain → the reseller's own
 * configuration and plan. Every child is named after the component, so adding a
 * reseller is adding one call, and removing it removes exactly its objects.
 */
export class ResellerOnboarding extends pulumi.ComponentResource {
    readonly clientId: pulumi.Output<string>;
    readonly serviceId: pulumi.Output<string>;
    readonly resellerPlanId: pulumi.Output<string>;
    readonly endUserPanelUrl: pulumi.Output<string>;
    readonly frontend: FrontendDomain["frontend"];
    readonly configurationId?: pulumi.Output<string>;
    readonly endUserPlanId?: pulumi.Output<string>;

    constructor(name: string, args: ResellerOnboardingArgs, opts?: pulumi.ComponentResourceOptions) {
        super("fleio:index:ResellerOnboarding", name, {}, opts);
        const child = { parent: this };

        const client = new Reseller(`${name}-client`, args.client, child);
        const resellerPlan = this.plan(`${name}-reseller-plan`, args.resellerPlan, args.client.currency, undefined, child);
        const service = new ResellerService(
            `${name}-service`,
            { clientId: client.clientId, planId: resellerPlan.planId, ...args.service },
            { ...child, dependsOn: resellerPlan.rules },
        );
        const domain = new FrontendDomain(`${name}-domain`, { clientId: client.clientId, serviceId: service.serviceId, domain: args.domain, scheme: args.scheme }, child);

        // Objects the reseller owns can only exist once its service (and so its scope) does.
        const owned = { ...child, dependsOn: [service] };
        const config = args.configuration && new Configuration(`${name}-configuration`, { ...args.configuration, resellerClientId: client.clientId }, owned);
        const endUserPlan = args.endUserPlan && this.plan(`${name}-enduser-plan`, args.endUserPlan, args.client.currency, client.clientId, owned);

        this.clientId = client.clientId;
        this.serviceId = service.serviceId;
        this.resellerPlanId = resellerPlan.planId;
        this.endUserPanelUrl = domain.enduserPanelUrl;
        this.frontend = domain.frontend;
        this.configurationId = config?.configurationId;
        this.endUserPlanId = endUserPlan?.planId;
        this.registerOutputs({
            clientId: this.clientId,
            serviceId: this.serviceId,
            resellerPlanId: this.resellerPlanId,
            endUserPanelUrl: this.endUserPanelUrl,
            configurationId: this.configurationId,
            endUserPlanId: this.endUserPlanId,
        });
    }

    private plan(
        name: string,
        spec: PlanSpec,
        fallbackCurrency: pulumi.Input<string>,
        resellerClientId: pulumi.Input<string> | undefined,
        opts: pulumi.CustomResourceOptions,
    ): { planId: pulumi.Output<string>; rules: PricingRule[] } {
        if (!spec.rules === !spec.fromTemplate) throw new Error(`${name}: give exactly one of rules or fromTemplate`);
        // A reseller-owned plan is its scope's default: Fleio refuses to save plans in a
        // scope that has no default, and a reseller's scope starts empty.
        const plan = new OpenstackPlan(name, { name: spec.name, currency: spec.currency ?? fallbackCurrency, isDefault: resellerClientId !== undefined, resellerClientId }, opts);
        const rules = spec.rules
            ? spec.rules.map(({ key, ...rule }) => new PricingRule(`${name}-${key ?? slug(String(rule.displayName))}`, { ...rule, planId: plan.planId }, { ...opts, parent: this }))
            : [];
        if (spec.fromTemplate) {
            // Template rules are read at program time; each becomes a rule of its own.
            const { planId, markupPercent } = spec.fromTemplate;
            const derived = pulumi.output(getPlanRules({ planId })).apply((found) =>
                (found as ApiRule[]).map((r) => withMarkup(r, markupPercent)),
            );
            derived.apply((list) =>
                list.forEach((rule) => new PricingRule(`${name}-${slug(rule.displayName)}`, { ...rule, planId: plan.planId }, { ...opts, parent: this })),
            );
        }
        return { planId: plan.planId, rules };
    }
}

/** A template rule as inputs for a new plan, every price raised by `markupPercent`. */
export function withMarkup(rule: ApiRule, markupPercent: number): Omit<z.input<typeof pricingRuleInputs>, "planId"> {
    const { planId: _planId, ruleId: _ruleId, resolvedResourceId: _resolved, adopt: _adopt, ...inputs } = ruleFromApi(rule, { resourceId: String(rule.resource) });
    const raise = (price: string) => canonicalDecimal((Math.round(Number(price) * (100 + markupPercent) * 100) / 10000).toFixed(4));
    return {
        ...inputs,
        prices: inputs.prices.map((t) => ({ from: t.from, price: raise(t.price) })),
        modifiers: inputs.modifiers.map((m) => (m.pricePercent ? m : { ...m, price: raise(m.price) })),
    };
}

function slug(text: string): string {
    return text.toLowerCase().replace(/[^a-z0-9]+/g, "-").replace(/^-|-$/g, "") || "rule";
}
