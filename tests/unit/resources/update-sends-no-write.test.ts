import * as assert from "node:assert/strict";
import { API, fleio, provider, useFleioMock } from "../support/resource-harness";
import { pricingRuleInputs } from "../../../provider/resources/pricing-rule";

// An update whose target Fleio already holds as declared (changed by hand to the
// program's values, or by a run whose state was lost) sends no write: only the GETs
// below are answered, and nock refuses any PUT, PATCH or POST. Fleio's PUT of a pricing
// rule recreates its conditions and modifiers under new ids, so a needless one is a change.

const client = { id: 43, name: "Ada Op", first_name: "Ada", last_name: "Op", company: "", email: "ada@example.com", phone: "+49 1", fax: "", address1: "1 St", address2: "", city: "Berlin", state: "", zip_code: "10115", country: "DE", currency: "EUR", vat_id: "", status: "active" };
const clientInputs = { firstName: "Ada", lastName: "Op", email: "ada@example.com", phone: "+49 1", address1: "1 St", city: "Berlin", zipCode: "10115", country: "DE", currency: "EUR", externalBillingId: "acme" };

describe("update sends no write when Fleio already holds the declared values", () => {
    useFleioMock();

    it("Reseller: the state says Bucharest, Fleio and the program say Berlin: one GET, no PATCH", async () => {
        fleio().get(`${API}/clients/43`).reply(200, client);
        const { outs } = await provider("Reseller").update!("43", { ...clientInputs, city: "Bucharest", clientId: "43" }, clientInputs);
        assert.equal(outs?.city, "Berlin");
        assert.equal(outs?.clientId, "43");
    });

    it("Reseller: a changed externalBillingId (never rendered by Fleio) is checked with Fleio's filter before it is written", async () => {
        fleio().get(`${API}/clients/43`).reply(200, client);
        fleio().get(`${API}/clients`).query({ external_billing_id: "acme", page: "1", page_size: "1000" }).reply(200, { count: 0, next: null, previous: null, objects: [] });
        fleio().patch(`${API}/clients/43`).reply(200, client);
        await provider("Reseller").update!("43", { ...clientInputs, externalBillingId: "old", clientId: "43" }, clientInputs);
    });

    it("Reseller: a field Fleio holds differently is still written", async () => {
        fleio().get(`${API}/clients/43`).reply(200, { ...client, city: "Old" });
        fleio().patch(`${API}/clients/43`).reply(200, client);
        const { outs } = await provider("Reseller").update!("43", { ...clientInputs, city: "Old" }, clientInputs);
        assert.equal(outs?.city, "Berlin");
    });

    it("OpenstackPlan: one GET of the plan, no PUT and no scan of the plans", async () => {
        fleio().get(`${API}/openstack/billing/plan/3`).reply(200, { id: 3, name: "Plan 2", currency: "EUR", is_default: false, reseller_resources: null, services_count: 1 });
        const { outs } = await provider("OpenstackPlan").update!("3", { name: "Plan", currency: "EUR", isDefault: false, planId: "3" }, { name: "Plan 2", currency: "EUR", isDefault: false });
        assert.equal(outs?.name, "Plan 2");
        assert.equal(outs?.servicesCount, 1, "the outputs are what Fleio holds");
    });

    it("PricingRule: Fleio's decimals (numbers, four places) and tier order compare as the program's; no PUT recreates its conditions", async () => {
        fleio().get(`${API}/openstack/billing/pricerule/9`).reply(200, {
            id: 9, display_name: "Volume GB", plan: 1, resource: 2, priority: 2,
            pricing: { prices: [{ f: "1000.0000", p: 0.08 }, { f: 0, p: "0.1000" }], attribute: "size", attribute_unit: "g", time_unit: "bc" },
            conditions: [{ id: 41, name: "condition", attribute: "type", attribute_unit: null, operator: "eq", value: "ssd" }],
            modifiers: [{ id: 42, name: "modifier", attribute: "region", attribute_unit: null, operator: "eq", value: "r2", price: 10, time_unit: "h", price_is_percent: true }],
        });
        // The resource by id: no create_options look-up either.
        const news = pricingRuleInputs.parse({
            planId: "1", displayName: "Volume GB", resourceId: "2", priority: 2, attribute: "size", attributeUnit: "gb", timeUnit: "billingCycle",
            prices: [{ from: "0", price: "0.10" }, { from: 1000, price: "0.08" }],
            conditions: [{ attribute: "type", value: "ssd" }],
            modifiers: [{ attribute: "region", value: "r2", price: "10.00", timeUnit: "hour", pricePercent: true }],
        });
        const { outs } = await provider("PricingRule").update!("9", { ...news, priority: 1, ruleId: "9" }, news);
        assert.equal(outs?.priority, 2);
    });

    it("PricingRule: Fleio holding another priority gets the PUT", async () => {
        const rule = { id: 9, display_name: "R", plan: 1, resource: 2, priority: 1, pricing: { prices: [{ f: 0, p: 1 }], attribute: null, attribute_unit: null, time_unit: "bc" }, conditions: [], modifiers: [] };
        fleio().get(`${API}/openstack/billing/pricerule/9`).reply(200, rule);
        fleio().put(`${API}/openstack/billing/pricerule/9`).reply(200, { ...rule, priority: 3 });
        const news = pricingRuleInputs.parse({ planId: "1", displayName: "R", resourceId: "2", priority: 3, prices: [{ from: 0, price: "1" }] });
        await provider("PricingRule").update!("9", { ...news, priority: 1 }, news);
    });

    it("Configuration: one GET, no PUT", async () => {
        fleio().get(`${API}/configurations/8`).reply(200, { id: 8, name: "cfg", description: "new", is_default: false, reseller_resources: 4, client_count: 2 });
        const { outs } = await provider("Configuration").update!("8", { name: "cfg", description: "old", isDefault: false, resellerClientId: "5", resellerResourcesId: "4" }, { name: "cfg", description: "new", isDefault: false, resellerClientId: "5" });
        assert.equal(outs?.description, "new");
        assert.equal(outs?.resellerResourcesId, "4");
    });

    it("ResellerService: the plan already the declared one: one read of the client's services, no update_reseller_billing_plan", async () => {
        fleio().get(`${API}/clients/5/reseller_services`).reply(200, {
            services: [{ id: 11, status: "active", product: { id: 1, name: "Reseller" }, cycle: { id: 1 } }],
            resources: { "11": { id: 4, service: 11, plan: { id: 3, name: "Plan 3" }, enduser_panel_url: null } },
        });
        const { outs } = await provider("ResellerService").update!("11", { clientId: "5", productName: "Reseller", planId: "2", resolvedProductId: "1", resolvedProductCycleId: "1" }, { clientId: "5", productName: "Reseller", planId: "3" });
        assert.equal(outs?.planId, "3");
    });

    it("FrontendDomain: the panel URL already the declared one: reads only, no update_reseller_enduser_panel_url", async () => {
        const rs = { services: [{ id: 11, status: "active" }], resources: { "11": { id: 4, service: 11, plan: null, enduser_panel_url: "https://cloud.example.com/" } } };
        fleio().get(`${API}/clients/5/reseller_services`).reply(200, rs);
        // The domain scan takes client 5 as this run has just read it (provider/domain-holders.ts): no second read.
        fleio().get(`${API}/clients`).query({ has_reseller_service: "true", page: "1", page_size: "1000" }).reply(200, { count: 1, next: null, previous: null, objects: [{ id: 5 }] });
        const { outs } = await provider("FrontendDomain").update!("11", { clientId: "5", serviceId: "11", domain: "old.example.com", scheme: "https" }, { clientId: "5", serviceId: "11", domain: "cloud.example.com", scheme: "https" });
        assert.equal(outs?.enduserPanelUrl, "https://cloud.example.com/");
    });
});
