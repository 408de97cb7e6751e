import * as fleio from "pulumi-fleio";

/**
 * Step 5, run by the reseller itself: its own stack with `fleio:apiScope reseller`
 * and its own token, against /backend/resellerapi/. Everything it creates belongs to
 * it; no resellerClientId is given (the API scopes it).
 */
export function resellerOwnProgram(markup = "0.035", retail: { isDefault?: boolean } = {}) {
    // The reseller's first plan is its default: Fleio refuses to save plans of a scope without one.
    const plan = new fleio.OpenstackPlan("retail", { name: "Retail", currency: "EUR", isDefault: retail.isDefault ?? true });
    new fleio.PricingRule("retail-small-hour", {
        planId: plan.planId,
        displayName: "m1.small per hour",
        resourceName: "instance",
        timeUnit: "hour",
        prices: [{ from: 0, price: markup }],
        conditions: [{ attribute: "instance_type", operator: "eq", value: "m1.small" }],
    });
    const config = new fleio.Configuration("retail-config", { name: "retail", description: "Customers who sign up on our panel" });
    return { planId: plan.planId, configurationId: config.configurationId };
}
