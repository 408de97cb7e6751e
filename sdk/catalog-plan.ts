import * as pulumi from "@pulumi/pulumi";
import { declarePlan, PlanSpec } from "./onboarding";
import type { PricingRule } from "./resources";

export interface CatalogPlanArgs extends PlanSpec {
    currency: pulumi.Input<string>;
}

/**
 * A staff plan described once with its rules, whichever resellers it prices (the plan
 * catalog of the GitOps format, version 2): `catalog-<key>-plan` and its rules
 * `catalog-<key>-plan-<rule key>`. Resellers point their service at `planId`
 * (`resellerPlan: { planId }` of ResellerOnboarding) without owning the plan, so a
 * reseller's removal never deletes it, and a changed rule is one update of one object.
 */
export class CatalogPlan extends pulumi.ComponentResource {
    readonly planId: pulumi.Output<string>;
    /** Every rule: a reseller goes on the plan only once they exist. */
    readonly rules: PricingRule[];

    constructor(key: string, args: CatalogPlanArgs, opts?: pulumi.ComponentResourceOptions) {
        const name = catalogPlanName(key);
        super("fleio:index:CatalogPlan", name, {}, opts);
        const plan = declarePlan(`${name}-plan`, { ...args, rules: args.rules ?? [] }, args.currency, undefined, args.isDefault ?? false, { parent: this });
        this.planId = plan.planId;
        this.rules = plan.rules;
        this.registerOutputs({ planId: this.planId });
    }
}

/** The component's name for a catalog key; its plan is `<this>-plan`. */
export const catalogPlanName = (key: string) => `catalog-${key}`;
