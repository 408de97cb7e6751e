import type * as dynamic from "@pulumi/pulumi/dynamic";
import { reseller } from "./resources/reseller";
import { openstackPlan } from "./resources/openstack-plan";
import { pricingRule } from "./resources/pricing-rule";
import { resellerService } from "./resources/reseller-service";
import { frontendDomain } from "./resources/frontend-domain";
import { configuration } from "./resources/configuration";

/** Every resource kind, by the name used in its type token (fleio:index:<Kind>). */
export const resources = {
    Reseller: reseller,
    OpenstackPlan: openstackPlan,
    PricingRule: pricingRule,
    ResellerService: resellerService,
    FrontendDomain: frontendDomain,
    Configuration: configuration,
} satisfies Record<string, dynamic.ResourceProvider>;

export type ResourceKind = keyof typeof resources;
