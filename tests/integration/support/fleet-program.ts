import * as pulumi from "@pulumi/pulumi";
import * as fleio from "../../../sdk";

/** One reseller of the fleet, as a data row: what changes from one to the next. */
export interface FleetReseller {
    key: string;
    currency: string;
    /** Price of an m1.small hour on the reseller's own plan. */
    smallPrice: string;
    /** Price its service on the shared premium plan instead of its own. */
    onPremium?: boolean;
}

export const PREMIUM_PLAN = "Premium resellers";
export const RULE_NAMES = ["m1.small per hour", "Volume GB per month"];

/**
 * ResellerOnboarding takes no existing plan for the service, so a reseller moved to the
 * shared plan gets it through a transformation of its own service: the component and
 * every other child keep their names, and the move is an in-place plan change.
 */
function serviceOn(serviceName: string, planId: pulumi.Output<string>): pulumi.ResourceTransformation {
    return (args) => (args.name === serviceName ? { props: { ...args.props, planId }, opts: args.opts } : undefined);
}

/** A fleet of resellers, each onboarded by one component call, plus a shared premium plan. */
export function fleetProgram(resellers: FleetReseller[]) {
    const premium = new fleio.OpenstackPlan("premium-plan", { name: PREMIUM_PLAN, currency: "EUR" });
    new fleio.PricingRule("premium-m1.small-hour", {
        planId: premium.planId,
        displayName: "m1.small per hour",
        resourceName: "instance",
        timeUnit: "hour",
        prices: [{ from: 0, price: "0.015" }],
        conditions: [{ attribute: "instance_type", operator: "eq", value: "m1.small" }],
    });
    const out: Record<string, { clientId: pulumi.Output<string>; serviceId: pulumi.Output<string>; resellerPlanId: pulumi.Output<string>; endUserPanelUrl: pulumi.Output<string> }> = {};
    for (const r of resellers) {
        const o = new fleio.ResellerOnboarding(
            r.key,
            {
                client: {
                    firstName: "Fleet",
                    lastName: r.key.toUpperCase(),
                    company: `Fleet ${r.key}`,
                    email: `ops@${r.key}.fleet.example`,
                    phone: "+49 30 1234567",
                    address1: "1 Cloud Street",
                    city: "Berlin",
                    zipCode: "10115",
                    country: "DE",
                    currency: r.currency,
                    externalBillingId: `fleet-${r.key}`,
                },
                resellerPlan: {
                    name: `Fleet ${r.key} pricing`,
                    rules: [
                        {
                            displayName: RULE_NAMES[0],
                            resourceName: "instance",
                            timeUnit: "hour",
                            prices: [{ from: 0, price: r.smallPrice }],
                            conditions: [{ attribute: "instance_type", operator: "eq", value: "m1.small" }],
                        },
                        { displayName: RULE_NAMES[1], resourceName: "volume", attribute: "size", attributeUnit: "gb", timeUnit: "billingCycle", prices: [{ from: 0, price: "0.10" }] },
                    ],
                },
                service: { productName: "Reseller", cycle: "month" },
                domain: `cloud.${r.key}.fleet.example`,
            },
            r.onPremium ? { transformations: [serviceOn(`${r.key}-service`, premium.planId)] } : undefined,
        );
        out[r.key] = { clientId: o.clientId, serviceId: o.serviceId, resellerPlanId: o.resellerPlanId, endUserPanelUrl: o.endUserPanelUrl! };
    }
    return { premiumPlanId: premium.planId, resellers: out };
}
