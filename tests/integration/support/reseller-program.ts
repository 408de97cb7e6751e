import * as fleio from "../../../sdk";

/**
 * The seed workflow's reseller setup written out resource by resource, so a test can
 * add the `adopt: "<id>"` an interrupted run's error asks for to the one resource it
 * names. Ten Fleio objects: client, two plans, four rules, service, panel, configuration.
 */
export interface ResellerSetup {
    /** `adopt` per Pulumi resource name, as a user adds them after an interrupted run. */
    adopt?: Record<string, string>;
    /** The client's city (default Berlin): a field an update changes in place. */
    city?: string;
    /** Prices per flavour rule, e.g. { "m1.small": "0.03" }, over the defaults. */
    prices?: Record<string, string>;
}

export function resellerSetup(s: ResellerSetup = {}) {
    const adopt = (name: string) => (s.adopt?.[name] ? { adopt: s.adopt[name] } : {});
    const plan = new fleio.OpenstackPlan("reseller-plan", { name: "Reseller pricing - Rescue Cloud", currency: "EUR", ...adopt("reseller-plan") });
    const flavour = (name: string, price: string) =>
        new fleio.PricingRule(`${name}-hour`, {
            planId: plan.planId,
            displayName: `${name} per hour`,
            resourceName: "instance",
            timeUnit: "hour",
            prices: [{ from: 0, price: s.prices?.[name] ?? price }],
            conditions: [{ attribute: "instance_type", operator: "eq", value: name }],
            ...adopt(`${name}-hour`),
        });
    const rules = [
        flavour("m1.small", "0.02"),
        flavour("m1.medium", "0.04"),
        flavour("m1.large", "0.08"),
        new fleio.PricingRule("volume-gb-month", {
            planId: plan.planId,
            displayName: "Volume GB per month",
            resourceName: "volume",
            attribute: "size",
            attributeUnit: "gb",
            timeUnit: "billingCycle",
            prices: [{ from: 0, price: "0.10" }],
            ...adopt("volume-gb-month"),
        }),
    ];
    const client = new fleio.Reseller("reseller", {
        firstName: "Rita",
        lastName: "Rescue",
        company: "Rescue Cloud",
        email: "ops@rescue.example",
        phone: "+49 30 1234567",
        address1: "1 Cloud Street",
        city: s.city ?? "Berlin",
        zipCode: "10115",
        country: "DE",
        currency: "EUR",
        externalBillingId: "rescue-cloud",
        ...adopt("reseller"),
    });
    const service = new fleio.ResellerService(
        "reseller-service",
        { clientId: client.clientId, productName: "Reseller", cycle: "month", cycleCurrency: "EUR", planId: plan.planId, ...adopt("reseller-service") },
        { dependsOn: rules },
    );
    const panel = new fleio.FrontendDomain("panel", { clientId: client.clientId, serviceId: service.serviceId, domain: "cloud.rescue.example" });
    const owned = { dependsOn: [service] };
    const configuration = new fleio.Configuration("configuration", { name: "rescue-retail", resellerClientId: client.clientId, ...adopt("configuration") }, owned);
    const retail = new fleio.OpenstackPlan("retail-plan", { name: "Rescue retail", currency: "EUR", isDefault: true, resellerClientId: client.clientId, ...adopt("retail-plan") }, owned);
    const retailRule = new fleio.PricingRule("retail-m1.small-hour", {
        planId: retail.planId,
        displayName: "m1.small per hour",
        resourceName: "instance",
        timeUnit: "hour",
        prices: [{ from: 0, price: "0.035" }],
        conditions: [{ attribute: "instance_type", operator: "eq", value: "m1.small" }],
        ...adopt("retail-m1.small-hour"),
    });
    return {
        clientId: client.clientId,
        resellerPlanId: plan.planId,
        ruleIds: rules.map((r) => r.ruleId),
        serviceId: service.serviceId,
        panelUrl: panel.enduserPanelUrl,
        configurationId: configuration.configurationId,
        retailPlanId: retail.planId,
        retailRuleId: retailRule.ruleId,
    };
}
