import * as assert from "node:assert/strict";
import { API, firstPage, fleio, page, provider, useFleioMock } from "../support/resource-harness";
import { pricingRuleInputs } from "../../../provider/resources/pricing-rule";
import { resetProviderContext } from "../../../provider/context";

// Taking over an object Fleio already holds as declared sends no write: `discover`
// writes data files from a live Fleio, and the up that adopts them must leave every
// object untouched. Only the GETs below are answered; nock refuses any other call.

const client = { id: 43, name: "Ada Op", first_name: "Ada", last_name: "Op", company: "", email: "ada@example.com", phone: "+49 1", fax: "", address1: "1 St", address2: "", city: "Berlin", state: "", zip_code: "10115", country: "DE", currency: "EUR", vat_id: "", status: "active" };
const clientInputs = { firstName: "Ada", lastName: "Op", email: "ada@example.com", phone: "+49 1", address1: "1 St", city: "Berlin", zipCode: "10115", country: "DE", currency: "EUR" };

describe("adopt sends no write when Fleio already matches", () => {
    useFleioMock();

    it("Reseller: one read; an external id asked for is checked with Fleio's filter, not written", async () => {
        fleio().get(`${API}/clients/43`).reply(200, client);
        const { outs } = await provider("Reseller").create!({ ...clientInputs, adopt: "43" });
        assert.equal(outs.clientId, "43");
        // Another run: within one run, a second resource may not take the same client.
        resetProviderContext();
        fleio().get(`${API}/clients/43`).reply(200, client);
        fleio().get(`${API}/clients`).query({ external_billing_id: "acme", ...firstPage }).reply(200, page([client]));
        await provider("Reseller").create!({ ...clientInputs, externalBillingId: "acme", adopt: "43" });
    });

    it("Reseller: a field that differs is still written", async () => {
        fleio().get(`${API}/clients/43`).reply(200, { ...client, city: "Old" });
        fleio().patch(`${API}/clients/43`).reply(200, client);
        const { outs } = await provider("Reseller").create!({ ...clientInputs, adopt: "43" });
        assert.equal(outs.city, "Berlin");
    });

    it("OpenstackPlan: one read of the plan", async () => {
        fleio().get(`${API}/openstack/billing/plan/3`).reply(200, { id: 3, name: "Hand made", currency: "EUR", is_default: false, reseller_resources: null, services_count: 1 });
        const { outs } = await provider("OpenstackPlan").create!({ name: "Hand made", currency: "EUR", isDefault: false, adopt: "3" });
        assert.equal(outs.planId, "3");
    });

    it("PricingRule: the rule and the billing resources are read; prices compare as decimals, tiers in any order", async () => {
        fleio().get(`${API}/openstack/billing/pricerule/9`).reply(200, {
            id: 9, display_name: "Volume GB", plan: 1, resource: 2, priority: 1,
            pricing: { prices: [{ f: 1000, p: 0.08 }, { f: 0, p: 0.1 }], attribute: "size", attribute_unit: "g", time_unit: "bc" },
            conditions: [{ name: "condition", attribute: "type", attribute_unit: null, operator: "eq", value: "ssd" }],
            modifiers: [{ name: "modifier", attribute: "region", attribute_unit: null, operator: "eq", value: "r2", price: 10, time_unit: "h", price_is_percent: true }],
        });
        fleio().get(`${API}/openstack/billing/pricerule/create_options`).reply(200, { resources: [{ id: 1, name: "Instance", type: "service" }, { id: 2, name: "Volume", type: "service" }] });
        // As check() hands them over: normalised by the input schema.
        const { outs } = await provider("PricingRule").create!(pricingRuleInputs.parse({
            planId: "1", displayName: "Volume GB", resourceName: "volume", priority: 1, attribute: "size", attributeUnit: "gb", timeUnit: "billingCycle",
            prices: [{ from: "0", price: "0.10" }, { from: 1000, price: "0.08" }],
            conditions: [{ attribute: "type", value: "ssd" }],
            modifiers: [{ attribute: "region", value: "r2", price: "10", timeUnit: "hour", pricePercent: true }],
            adopt: "9",
        }));
        assert.equal(outs.ruleId, "9");
    });

    it("Configuration: one read of the configuration and the owner's scope", async () => {
        fleio().get(`${API}/configurations/8`).reply(200, { id: 8, name: "cfg", description: "d", is_default: false, reseller_resources: 4, client_count: 0 });
        fleio().get(`${API}/clients/5/reseller_services`).reply(200, { services: [{ id: 11, status: "active" }], resources: { "11": { id: 4, service: 11, plan: null, enduser_panel_url: null } } });
        const { outs } = await provider("Configuration").create!({ name: "cfg", description: "d", isDefault: false, resellerClientId: "5", adopt: "8" });
        assert.equal(outs.configurationId, "8");
    });

    it("ResellerService: one read of the client's services when the plan is already the one asked for", async () => {
        fleio().get(`${API}/clients/5/reseller_services`).reply(200, {
            services: [{ id: 11, status: "active", product: { id: 1, name: "Reseller" }, cycle: { id: 1 } }],
            resources: { "11": { id: 4, service: 11, plan: { id: 2, name: "Plan 2" }, enduser_panel_url: null } },
        });
        const { outs } = await provider("ResellerService").create!({ clientId: "5", productName: "Reseller", cycle: "month", planId: "2", adopt: "11" });
        assert.equal(outs.serviceId, "11");
    });

    it("FrontendDomain: reads the service and who holds which domain (the service's client once); the URL already set is left alone", async () => {
        const rs = { services: [{ id: 11, status: "active" }], resources: { "11": { id: 4, service: 11, plan: null, enduser_panel_url: "https://cloud.example.com/" } } };
        fleio().get(`${API}/clients/5/reseller_services`).reply(200, rs);
        fleio().get(`${API}/clients`).query({ has_reseller_service: "true", ...firstPage }).reply(200, page([{ id: 5 }]));
        const { outs } = await provider("FrontendDomain").create!({ clientId: "5", serviceId: "11", domain: "cloud.example.com", scheme: "https", adopt: "11" });
        assert.equal(outs.enduserPanelUrl, "https://cloud.example.com/");
    });
});
