import * as fleio from "pulumi-fleio";

/** What changes from one reseller to the next; everything else is the workflow. */
export interface SeedSettings {
    resellerEmail: string;
    company: string;
    /** The reseller's end-user panel domain (a bare FQDN). */
    domain: string;
    currency: string;
    /** Reseller product in Fleio (type "reseller"), and its billing cycle. */
    productName: string;
    /** Price of an m1.small instance per hour, charged to the reseller. */
    smallInstancePerHour: string;
}

export const defaultSeed: SeedSettings = {
    resellerEmail: "ops@acme-cloud.example",
    company: "Acme Cloud",
    domain: "cloud.acme-reseller.example",
    currency: "EUR",
    productName: "Reseller",
    smallInstancePerHour: "0.02",
};

/**
 * The reseller setup, steps 2-5, as one Pulumi program:
 *   2. an OpenStack plan with the reseller's pricing rules (flavours per hour, volume GB per month);
 *   3. the reseller client and its reseller service on that plan;
 *   4. its end-user panel on its own domain, with the frontend settings that make sign-ups land under it;
 *   5. the reseller's own configuration and the plan it sells to its customers.
 */
export function seedWorkflow(s: SeedSettings = defaultSeed) {
    const resellerPlan = new fleio.OpenstackPlan("reseller-plan", { name: `Reseller pricing - ${s.company}`, currency: s.currency });
    const rules = [
        new fleio.PricingRule("small-instance-hour", {
            planId: resellerPlan.planId,
            displayName: "m1.small per hour",
            resourceName: "instance",
            timeUnit: "hour",
            prices: [{ from: 0, price: s.smallInstancePerHour }],
            conditions: [{ attribute: "instance_type", operator: "eq", value: "m1.small" }],
        }),
        new fleio.PricingRule("large-instance-hour", {
            planId: resellerPlan.planId,
            displayName: "m1.large per hour",
            resourceName: "instance",
            timeUnit: "hour",
            prices: [{ from: 0, price: "0.08" }],
            conditions: [{ attribute: "instance_type", operator: "eq", value: "m1.large" }],
        }),
        new fleio.PricingRule("volume-gb-month", {
            planId: resellerPlan.planId,
            displayName: "Volume GB per month",
            resourceName: "volume",
            attribute: "size",
            attributeUnit: "gb",
            timeUnit: "billingCycle",
            // Cheaper past the first TB.
            prices: [
                { from: 0, price: "0.10" },
                { from: 1000, price: "0.08" },
            ],
        }),
    ];

    const reseller = new fleio.Reseller("reseller", {
        firstName: "Ada",
        lastName: "Operator",
        company: s.company,
        email: s.resellerEmail,
        phone: "+49 30 1234567",
        address1: "1 Cloud Street",
        city: "Berlin",
        zipCode: "10115",
        country: "DE",
        currency: s.currency,
        externalBillingId: `reseller-${s.domain}`,
    });

    const service = new fleio.ResellerService(
        "reseller-service",
        // A fresh Fleio's "Default Openstack Product" has a 1-month EUR cycle too: naming the
        // product (checked to be of type reseller) is what makes "month" one cycle.
        { clientId: reseller.clientId, productName: s.productName, cycle: "month", cycleCurrency: s.currency, planId: resellerPlan.planId },
        { dependsOn: rules },
    );

    const panel = new fleio.FrontendDomain("enduser-panel", { clientId: reseller.clientId, serviceId: service.serviceId, domain: s.domain });

    // Step 5: objects the reseller owns; they need its service (its scope) first.
    const owned = { dependsOn: [service] };
    const configuration = new fleio.Configuration("reseller-configuration", { name: "acme-retail", description: "Acme's customers", resellerClientId: reseller.clientId }, owned);
    const retailPlan = new fleio.OpenstackPlan(
        "retail-plan",
        // A reseller's first plan is its default: Fleio keeps one default plan per scope.
        { name: "Acme retail", currency: s.currency, isDefault: true, resellerClientId: reseller.clientId },
        owned,
    );
    new fleio.PricingRule("retail-small-instance-hour", {
        planId: retailPlan.planId,
        displayName: "m1.small per hour",
        resourceName: "instance",
        timeUnit: "hour",
        prices: [{ from: 0, price: "0.035" }],
        conditions: [{ attribute: "instance_type", operator: "eq", value: "m1.small" }],
    });

    return {
        resellerClientId: reseller.clientId,
        resellerPlanId: resellerPlan.planId,
        resellerServiceId: service.serviceId,
        servicePlanName: service.planName,
        endUserPanelUrl: panel.enduserPanelUrl,
        endUserFrontend: panel.frontend,
        configurationId: configuration.configurationId,
        retailPlanId: retailPlan.planId,
    };
}
