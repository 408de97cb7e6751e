import * as pulumi from "@pulumi/pulumi";
import type { z } from "zod";
import type { resellerInputs, ResellerOutputs } from "../provider/resources/reseller";
import type { openstackPlanInputs, OpenstackPlanOutputs } from "../provider/resources/openstack-plan";
import type { pricingRuleInputs, PricingRuleOutputs } from "../provider/resources/pricing-rule";
import type { resellerServiceInputs, ResellerServiceOutputs } from "../provider/resources/reseller-service";
import type { frontendDomainInputs, FrontendDomainOutputs } from "../provider/resources/frontend-domain";
import type { configurationInputs, ConfigurationOutputs } from "../provider/resources/configuration";
import { registration } from "./provider-handle";
import { claimsOfDomain, claimsOfReseller, claimsOfRule, held } from "./resource-claims";
import { idOutput, Inputs, Outputs, withOutputs } from "./types";

// Args are the provider's input schemas as users write them (z.input: before
// normalisation, so `price: 0.05` and `price: "0.05"` both type-check); one source.

/** Inputs of a {@link Reseller}: the client's contact and billing details. */
export type ResellerArgs = Inputs<z.input<typeof resellerInputs>>;
/** Inputs of an {@link OpenstackPlan}. */
export type OpenstackPlanArgs = Inputs<z.input<typeof openstackPlanInputs>>;
/** Inputs of a {@link PricingRule}. */
export type PricingRuleArgs = Inputs<z.input<typeof pricingRuleInputs>>;
/** Inputs of a {@link ResellerService}. */
export type ResellerServiceArgs = Inputs<z.input<typeof resellerServiceInputs>>;
/** Inputs of a {@link FrontendDomain}. */
export type FrontendDomainArgs = Inputs<z.input<typeof frontendDomainInputs>>;
/** Inputs of a {@link Configuration}. */
export type ConfigurationArgs = Inputs<z.input<typeof configurationInputs>>;

/**
 * A reseller client in Fleio (step 3 of the reseller setup). Replaced when its
 * currency changes; everything else is updated in place.
 */
export interface Reseller extends Outputs<ResellerOutputs> {}
export class Reseller extends pulumi.CustomResource {
    constructor(name: string, args: ResellerArgs, opts?: pulumi.CustomResourceOptions) {
        super(...registration("Reseller", name, withOutputs(args, ["clientId", "name", "status", "dateCreated"]), claimsOfReseller(name, args, opts)));
        idOutput(this, "clientId");
    }
}

/** An OpenStack pricing plan: staff-owned, or owned by a reseller via `resellerClientId`. */
export interface OpenstackPlan extends Outputs<OpenstackPlanOutputs> {}
export class OpenstackPlan extends pulumi.CustomResource {
    constructor(name: string, args: OpenstackPlanArgs, opts?: pulumi.CustomResourceOptions) {
        super(...registration("OpenstackPlan", name, withOutputs(args, ["planId", "resellerResourcesId", "servicesCount"]), held(name, opts)));
        idOutput(this, "planId");
    }
}

/** A price rule of a plan: tiers, units, conditions and modifiers for one billing resource. */
export interface PricingRule extends Outputs<PricingRuleOutputs> {}
export class PricingRule extends pulumi.CustomResource {
    constructor(name: string, args: PricingRuleArgs, opts?: pulumi.CustomResourceOptions) {
        super(...registration("PricingRule", name, withOutputs(args, ["ruleId", "resolvedResourceId"]), claimsOfRule(name, args, opts)));
        idOutput(this, "ruleId");
    }
}

/**
 * The reseller service of a client, priced by a plan. Fleio allows one per client,
 * so a replacement ends the old service before ordering the new one.
 */
export interface ResellerService extends Outputs<ResellerServiceOutputs> {}
export class ResellerService extends pulumi.CustomResource {
    constructor(name: string, args: ResellerServiceArgs, opts?: pulumi.CustomResourceOptions) {
        super(
            ...registration(
                "ResellerService",
                name,
                withOutputs(args, ["serviceId", "resellerResourcesId", "resolvedProductId", "resolvedProductCycleId", "status", "planName"]),
                held(name, opts),
            ),
        );
        idOutput(this, "serviceId");
    }
}

/**
 * The reseller's end-user panel on its own domain (Fleio's "End user panel url"),
 * with the settings its end-user frontend needs so sign-ups land under the reseller.
 */
export interface FrontendDomain extends Outputs<FrontendDomainOutputs> {}
export class FrontendDomain extends pulumi.CustomResource {
    constructor(name: string, args: FrontendDomainArgs, opts?: pulumi.CustomResourceOptions) {
        super(...registration("FrontendDomain", name, withOutputs(args, ["enduserPanelUrl", "frontend"]), claimsOfDomain(name, args, opts)));
    }
}

/** A configuration (Settings → Configurations), staff-wide or a reseller's own. */
export interface Configuration extends Outputs<ConfigurationOutputs> {}
export class Configuration extends pulumi.CustomResource {
    constructor(name: string, args: ConfigurationArgs, opts?: pulumi.CustomResourceOptions) {
        super(...registration("Configuration", name, withOutputs(args, ["configurationId", "resellerResourcesId", "clientCount"]), held(name, opts)));
        idOutput(this, "configurationId");
    }
}
