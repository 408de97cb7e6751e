import * as assert from "node:assert/strict";
import * as fleio from "../../sdk";
import { recordRegistrations, Registered } from "./support/mock-registrations";

/**
 * What discover's files ask of the onboarding component: an `adopt` id on every child
 * (client, plans, rules, service, panel, configuration), and a reseller without an
 * end-user panel domain (`domain: null`). Pulumi's runtime mocks record the registrations.
 */
describe("ResellerOnboarding: adopt ids on every child, and domain: null", () => {
    let registered: Registered[];

    beforeEach(async () => {
        registered = await recordRegistrations();
    });
    const settle = async (count: number) => {
        const start = Date.now();
        while (Date.now() - start < 5000 && registered.length < count) await new Promise((r) => setTimeout(r, 10));
    };
    const adoptOf = (name: string) => registered.find((r) => r.name === name)?.inputs.adopt;

    it("passes each adopt id to the child it names; domain: null registers no FrontendDomain", async () => {
        const o = new fleio.ResellerOnboarding("hand", {
            client: { firstName: "A", lastName: "B", email: "a@b.example", phone: "1", address1: "x", city: "y", zipCode: "1", country: "DE", currency: "EUR", adopt: "11" },
            resellerPlan: { name: "By hand", adopt: "22", rules: [{ key: "small", displayName: "Small", resourceName: "instance", prices: [{ from: 0, price: "1" }], adopt: "5" }] },
            service: { productName: "Reseller", cycle: "month", adopt: "33" },
            domain: null,
            configuration: { name: "cfg", adopt: "7" },
            endUserPlan: { name: "Retail", adopt: "8", rules: [{ key: "big", displayName: "Big", resourceName: "instance", prices: [{ from: 0, price: "2" }], adopt: "9" }] },
        });
        // component, client, plan, rule, service, configuration, end-user plan and its rule
        await settle(8);
        await new Promise((r) => setTimeout(r, 200));
        assert.deepEqual(
            registered.map((r) => r.name).sort(),
            ["hand", "hand-client", "hand-configuration", "hand-enduser-plan", "hand-enduser-plan-big", "hand-reseller-plan", "hand-reseller-plan-small", "hand-service"],
        );
        assert.equal(registered.some((r) => r.type === "fleio:index:FrontendDomain"), false);
        assert.equal(o.endUserPanelUrl, undefined);
        for (const [name, id] of [["hand-client", "11"], ["hand-reseller-plan", "22"], ["hand-reseller-plan-small", "5"], ["hand-service", "33"], ["hand-configuration", "7"], ["hand-enduser-plan", "8"], ["hand-enduser-plan-big", "9"]])
            assert.equal(adoptOf(name), id, name);
    });

    it("with a domain and domainAdopt, the panel takes over the service's URL", async () => {
        new fleio.ResellerOnboarding("hand", {
            client: { firstName: "A", lastName: "B", email: "a@b.example", phone: "1", address1: "x", city: "y", zipCode: "1", country: "DE", currency: "EUR" },
            resellerPlan: { name: "By hand", rules: [{ displayName: "Small", resourceName: "instance", prices: [{ from: 0, price: "1" }] }] },
            service: { productName: "Reseller", cycle: "month", adopt: "33" },
            domain: "panel.hand.example",
            domainAdopt: "33",
        });
        await settle(6);
        assert.equal(adoptOf("hand-domain"), "33");
    });
});
