import * as assert from "node:assert/strict";
import * as pulumi from "@pulumi/pulumi";
import * as fleio from "../../sdk";

/**
 * Fleio refuses to save a plan of a scope that has no default plan, and a reseller's own
 * scope starts empty: ResellerOnboarding's end-user plan (the reseller's first plan) is
 * its scope's default unless the program says otherwise; the reseller plan (a staff plan)
 * is not. Pulumi's runtime mocks record what each plan is registered with.
 */

const args = (endUserPlan: fleio.PlanSpec, resellerPlan: Partial<fleio.PlanSpec> = {}): fleio.ResellerOnboardingArgs => ({
    client: { firstName: "Ada", lastName: "Operator", email: "ops@plans.example", phone: "+49 30 1", address1: "1 St", city: "Berlin", zipCode: "10115", country: "DE", currency: "EUR", externalBillingId: "plans" },
    resellerPlan: { name: "Reseller pricing", rules: [{ displayName: "vm", resourceName: "instance", prices: [{ from: 0, price: "0.02" }] }], ...resellerPlan },
    service: { productName: "Reseller", cycle: "month" },
    domain: "cloud.plans.example",
    endUserPlan,
});
const retail: fleio.PlanSpec = { name: "Retail", rules: [{ displayName: "vm", resourceName: "instance", prices: [{ from: 0, price: "0.03" }] }] };

describe("ResellerOnboarding: which plan is its scope's default", () => {
    let plans: Map<string, Record<string, unknown>>;

    beforeEach(async () => {
        plans = new Map();
        await pulumi.runtime.setMocks(
            {
                newResource: (a) => {
                    if (a.name.endsWith("-plan")) plans.set(a.name, a.inputs);
                    return { id: `${a.name}-id`, state: a.inputs };
                },
                call: () => ({}),
            },
            "project",
            "stack",
            true,
        );
    });

    const registered = async (n: number) => {
        for (let i = 0; i < 500 && plans.size < n; i++) await new Promise((r) => setTimeout(r, 10));
        return plans;
    };

    it("the end-user plan is the reseller's default, the reseller plan is not", async () => {
        new fleio.ResellerOnboarding("a", args(retail));
        const p = await registered(2);
        assert.equal(p.get("a-enduser-plan")?.isDefault, true);
        assert.equal(p.get("a-reseller-plan")?.isDefault, false);
    });

    it("isDefault given on either plan is kept", async () => {
        new fleio.ResellerOnboarding("b", { ...args({ ...retail, isDefault: false }, { isDefault: true }), client: { ...args(retail).client, externalBillingId: "plans-b" }, domain: "cloud.plans-b.example" });
        const p = await registered(2);
        assert.equal(p.get("b-enduser-plan")?.isDefault, false);
        assert.equal(p.get("b-reseller-plan")?.isDefault, true);
    });
});
