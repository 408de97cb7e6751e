import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { API, firstPage, fleio, page, provider, useFleioMock, withRetries } from "../support/resource-harness";
import { DOMAIN_HOLDERS_ENV, SCAN_MAX_AGE_MS, sharedScan } from "../../../provider/domain-holders";
import { resetProviderContext } from "../../../provider/context";

// The exact Fleio calls of PricingRule, ResellerService and FrontendDomain.

const createOptions = { resources: [{ id: 1, name: "Instance", type: "service" }, { id: 2, name: "Volume", type: "service" }, { id: 5, name: "Instance traffic", type: "metric" }] };
const ruleInputs = {
    planId: "1", displayName: "Volume GB", resourceName: "volume", priority: 1, attribute: "size", attributeUnit: "g", timeUnit: "bc",
    prices: [{ from: "0", price: "0.1" }, { from: "1000", price: "0.08" }],
    conditions: [{ name: "condition", attribute: "type", operator: "eq", value: "ssd" }],
    modifiers: [{ name: "modifier", attribute: "size", operator: "gt", value: 100, price: "0.5", timeUnit: "h", pricePercent: false }],
};
const ruleBody = {
    display_name: "Volume GB", plan: 1, resource: 2, priority: 1,
    pricing: { prices: [{ f: "0", p: "0.1" }, { f: "1000", p: "0.08" }], attribute: "size", attribute_unit: "g", time_unit: "bc" },
    conditions: [{ name: "condition", attribute: "type", attribute_unit: null, operator: "eq", value: "ssd" }],
    modifiers: [{ name: "modifier", attribute: "size", attribute_unit: null, operator: "gt", value: 100, price: "0.5", time_unit: "h", price_is_percent: false }],
};
// Fleio renders decimals as strings with 4 places.
const apiRule = {
    id: 9, ...ruleBody,
    pricing: { ...ruleBody.pricing, prices: [{ f: "1000.0000", p: "0.0800" }, { f: "0.0000", p: "0.1000" }] },
    modifiers: [{ ...ruleBody.modifiers[0], price: "0.5000" }],
};

describe("PricingRule: Fleio calls", () => {
    useFleioMock();
    const r = provider("PricingRule");

    it("create: resource looked up by name in create_options, rule POSTed with Fleio's pricing shape", async () => {
        fleio().get(`${API}/openstack/billing/pricerule/create_options`).reply(200, createOptions);
        fleio().get(`${API}/openstack/billing/pricerule`).query(firstPage).reply(200, page([{ ...apiRule, id: 4, plan: 2 }]));
        fleio().post(`${API}/openstack/billing/pricerule`, ruleBody).reply(201, apiRule);
        const { id, outs } = await r.create!({ ...ruleInputs });
        assert.equal(id, "9");
        assert.equal(outs.resolvedResourceId, "2");
        assert.deepEqual(outs.prices, [{ from: "0", price: "0.1" }, { from: "1000", price: "0.08" }], "Fleio's \"0.1000\" reads back canonical and sorted");
        assert.equal(outs.modifiers[0].price, "0.5");
    });

    it("create_options and the rule scan are read once per provider process, however many rules", async () => {
        fleio().get(`${API}/openstack/billing/pricerule/create_options`).once().reply(200, createOptions);
        fleio().get(`${API}/openstack/billing/pricerule`).query(firstPage).once().reply(200, page([]));
        for (const id of [9, 10]) fleio().post(`${API}/openstack/billing/pricerule`).reply(201, { ...apiRule, id });
        await r.create!({ ...ruleInputs });
        await r.create!({ ...ruleInputs, resourceName: "Instance Traffic", resourceType: "metric" });
    });

    it("a rule of the same name and resource already in the plan (an interrupted run's) is taken over and converged", async () => {
        fleio().get(`${API}/openstack/billing/pricerule/create_options`).reply(200, createOptions);
        fleio().get(`${API}/openstack/billing/pricerule`).query(firstPage).reply(200, page([{ ...apiRule, id: 7, priority: 5 }]));
        fleio().put(`${API}/openstack/billing/pricerule/7`, ruleBody).reply(200, { ...apiRule, id: 7 });
        const { id } = await r.create!({ ...ruleInputs });
        assert.equal(id, "7");
    });

    it("an unknown resource name fails with the names Fleio knows", async () => {
        fleio().get(`${API}/openstack/billing/pricerule/create_options`).reply(200, createOptions);
        await assert.rejects(r.create!({ ...ruleInputs, resourceName: "gpu" }), /no billing resource named "gpu".*Instance \(type service\)/);
    });

    it("update: PUT the whole rule (Fleio recreates conditions and modifiers)", async () => {
        fleio().get(`${API}/openstack/billing/pricerule/9`).reply(200, apiRule);
        fleio().get(`${API}/openstack/billing/pricerule/create_options`).reply(200, createOptions);
        fleio().put(`${API}/openstack/billing/pricerule/9`, { ...ruleBody, priority: 2 }).reply(200, { ...apiRule, priority: 2 });
        const { outs } = await r.update!("9", {}, { ...ruleInputs, priority: 2 });
        assert.equal(outs.priority, 2);
    });

    it("read of a 404 drops it; delete is DELETE", async () => {
        fleio().get(`${API}/openstack/billing/pricerule/9`).reply(404, { detail: "Not found." });
        assert.deepEqual(await r.read!("9", {}), {});
        fleio().delete(`${API}/openstack/billing/pricerule/9`).reply(204);
        await r.delete!("9", {});
    });
});

const services = (plan: number | null, url: string | null = null, status = "active") => ({
    services: [{ id: 11, display_name: "Reseller service", status, product: { id: 1, name: "Reseller" }, cycle: { id: 1 } }],
    resources: { "11": { id: 4, service: 11, plan: plan === null ? null : { id: plan, name: `Plan ${plan}` }, enduser_panel_url: url } },
});
const serviceInputs = { clientId: "5", productName: "Reseller", cycle: "month", planId: "2" };

describe("ResellerService: Fleio calls", () => {
    useFleioMock();
    const s = provider("ResellerService");
    // Fleio ignores `filtering` here: the lists come back whole, with other products' cycles.
    const productLookups = () => {
        fleio().get(`${API}/billing/products`).query(firstPage).reply(200, page([
            { id: 7, name: "Default Openstack Product", product_type: "openstack" },
            { id: 1, name: "Reseller", product_type: "reseller" },
        ]));
        fleio().get(`${API}/billing/productcycles`).query(firstPage).reply(200, page([
            { id: 3, product: 7, cycle: "month", cycle_multiplier: 1, currency: "EUR" },
            { id: 1, product: 1, cycle: "month", cycle_multiplier: 1, currency: "EUR" },
            { id: 2, product: 1, cycle: "year", cycle_multiplier: 1, currency: "EUR" },
        ]));
    };

    it("create: order ({detail: Ok}, no id), read the id back, set the plan", async () => {
        productLookups();
        fleio().post(`${API}/clients/5/create_reseller_service`, { product_id: 1, product_cycle_id: 1 }).reply(200, { detail: "Ok" });
        fleio().get(`${API}/clients/5/reseller_services`).reply(200, services(1));
        fleio().post(`${API}/clients/5/update_reseller_billing_plan`, { plan: 2, service: 11 }).reply(200, { detail: "Plan updated" });
        fleio().get(`${API}/clients/5/reseller_services`).reply(200, services(2));
        const { id, outs } = await s.create!({ ...serviceInputs });
        assert.equal(id, "11");
        assert.equal(outs.serviceId, "11");
        assert.equal(outs.resellerResourcesId, "4");
        assert.equal(outs.planId, "2");
        assert.equal(outs.planName, "Plan 2");
    });

    it("a plan this run has listed or made needs no read-back once the service is on it", async () => {
        // Fleio answers update_reseller_billing_plan with a bare detail; the plan's name is what this run knows.
        fleio().get(`${API}/openstack/billing/plan`).query({ ordering: "id", ...firstPage }).reply(200, page([]));
        fleio().post(`${API}/openstack/billing/plan`, { name: "Reseller pricing", currency: "EUR", is_default: false }).reply(201, { id: 2, name: "Reseller pricing", currency: "EUR", is_default: false, reseller_resources: null });
        await provider("OpenstackPlan").create!({ name: "Reseller pricing", currency: "EUR", isDefault: false });
        productLookups();
        fleio().post(`${API}/clients/5/create_reseller_service`, { product_id: 1, product_cycle_id: 1 }).reply(200, { detail: "Ok" });
        fleio().get(`${API}/clients/5/reseller_services`).once().reply(200, services(1));
        fleio().post(`${API}/clients/5/update_reseller_billing_plan`, { plan: 2, service: 11 }).reply(200, { detail: "Plan updated" });
        const { outs } = await s.create!({ ...serviceInputs });
        assert.equal(outs.planId, "2");
        assert.equal(outs.planName, "Reseller pricing");
    });

    it("refuses a product that is not of type reseller before ordering (Fleio would accept it)", async () => {
        fleio().get(`${API}/billing/products`).query(firstPage).reply(200, page([
            { id: 7, name: "Default Openstack Product", product_type: "openstack" },
            { id: 1, name: "Reseller", product_type: "reseller" },
        ]));
        await assert.rejects(s.create!({ ...serviceInputs, productName: undefined, productId: "7" }), /product Default Openstack Product \(id 7, type openstack\) is not a reseller product/);
        await assert.rejects(s.create!({ ...serviceInputs, productName: "Default Openstack Product" }), /is not a reseller product; reseller products: Reseller \(id 1/);
    });

    it("a client with a reseller service of the same product and cycle (e.g. kept suspended) is taken over and resumed", async () => {
        productLookups();
        fleio().post(`${API}/clients/5/create_reseller_service`).reply(403, { detail: "Client already has a reseller service" });
        fleio().get(`${API}/clients/5/reseller_services`).reply(200, services(1, null, "suspended"));
        fleio().post(`${API}/billing/services/11/resume`, {}).reply(200, { detail: "ok" });
        fleio().post(`${API}/clients/5/update_reseller_billing_plan`, { plan: 2, service: 11 }).reply(200, { detail: "Plan updated" });
        fleio().get(`${API}/clients/5/reseller_services`).reply(200, services(2));
        const { id, outs } = await s.create!({ ...serviceInputs });
        assert.equal(id, "11");
        assert.equal(outs.status, "active");
    });

    it("Fleio's service brief renders the product without an id: the cycle tells the order, and no output reads \"undefined\"", async () => {
        productLookups();
        const brief = (status: string) => ({ ...services(2, null, status), services: [{ id: 11, status, product: { name: "Reseller", description: "" }, cycle: { id: 1 } }] });
        fleio().post(`${API}/clients/5/create_reseller_service`).reply(403, { detail: "Client already has a reseller service" });
        fleio().get(`${API}/clients/5/reseller_services`).reply(200, brief("suspended"));
        fleio().post(`${API}/billing/services/11/resume`, {}).reply(200, { detail: "ok" });
        fleio().get(`${API}/clients/5/reseller_services`).reply(200, brief("active"));
        const { outs } = await s.create!({ ...serviceInputs });
        assert.equal(outs.resolvedProductId, "1");
        assert.doesNotMatch(JSON.stringify(outs), /undefined/);
    });

    it("a client with a reseller service of another cycle: error naming the existing service and adopt", async () => {
        productLookups();
        fleio().post(`${API}/clients/5/create_reseller_service`).reply(403, { detail: "Client already has a reseller service" });
        fleio().get(`${API}/clients/5/reseller_services`).reply(200, services(1));
        await assert.rejects(s.create!({ ...serviceInputs, cycle: "year" }), /already has reseller service 11 .*adopt: "11"/);
    });

    it("an order answered 500 that landed is not sent again", async () => {
        productLookups();
        fleio().post(`${API}/clients/5/create_reseller_service`).reply(500, "<h1>Server Error (500)</h1>", { "content-type": "text/html" });
        fleio().get(`${API}/clients/5/reseller_services`).times(2).reply(200, services(2));
        const { id } = await s.create!({ ...serviceInputs });
        assert.equal(id, "11");
    });

    it("an order answered 500 whose look-up fails too is reported as the order that failed", async () => {
        productLookups();
        fleio().post(`${API}/clients/5/create_reseller_service`).reply(500, "<h1>Server Error (500)</h1>", { "content-type": "text/html" });
        fleio().get(`${API}/clients/5/reseller_services`).reply(502, "bad gateway");
        await assert.rejects(s.create!({ ...serviceInputs }), /create: Fleio POST \/clients\/5\/create_reseller_service failed: HTTP 500.*looking for the client's reseller service afterwards failed too/);
    });

    it("a plan that fails to apply after the service exists is a partial create carrying its id", async () => {
        productLookups();
        fleio().post(`${API}/clients/5/create_reseller_service`).reply(200, { detail: "Ok" });
        fleio().get(`${API}/clients/5/reseller_services`).reply(200, services(1));
        fleio().post(`${API}/clients/5/update_reseller_billing_plan`).reply(404, { detail: "Plan not found" });
        const err = (await s.create!({ ...serviceInputs }).catch((e) => e)) as { id?: string; message: string };
        assert.equal(err.id, "11", "the engine records the service in state");
        assert.match(err.message, /created but not finished.*Plan not found/);
    });

    it("update: sets the plan with update_reseller_billing_plan", async () => {
        fleio().get(`${API}/clients/5/reseller_services`).reply(200, services(2));
        fleio().post(`${API}/clients/5/update_reseller_billing_plan`, { plan: 3, service: 11 }).reply(200, { detail: "Plan updated" });
        fleio().get(`${API}/clients/5/reseller_services`).reply(200, services(3));
        const { outs } = await s.update!("11", { resolvedProductId: "1", resolvedProductCycleId: "1" }, { ...serviceInputs, planId: "3" });
        assert.equal(outs.planId, "3");
    });

    it("delete: a read (is it still on this stack's plan?), terminate; Fleio terminating it ends when the service is terminated; an ended one (403) is left alone", async () => {
        fleio().get(`${API}/clients/5/reseller_services`).reply(200, services(2));
        fleio().post(`${API}/billing/services/11/terminate`, {}).reply(202, { detail: "Terminate in progress" });
        fleio().get(`${API}/billing/services/11`).reply(200, { id: 11, status: "terminated" });
        await s.delete!("11", { clientId: "5", planId: "2" });
        fleio().get(`${API}/clients/5/reseller_services`).reply(200, services(2, null, "terminated"));
        fleio().post(`${API}/billing/services/11/terminate`, {}).reply(403, { detail: "Service is not active or suspended" });
        await s.delete!("11", { clientId: "5", planId: "2" });
    });

    it("a service another stack has taken over (active on another plan) is left alone, its client is not deleted, and the panel URL this run cleared is set again", async () => {
        const r = provider("Reseller");
        const d = provider("FrontendDomain");
        // Another stack took the reseller over: its service is active on that stack's plan 7, not this stack's plan 2.
        fleio().get(`${API}/clients/5/reseller_services`).reply(200, services(7, "https://cloud.example.com/"));
        fleio().post(`${API}/clients/5/update_reseller_enduser_panel_url`, { enduser_panel_url: null, service: 11 }).reply(200, { detail: "ok" });
        await d.delete!("11", { clientId: "5", serviceId: "11", domain: "cloud.example.com", scheme: "https" });
        fleio().post(`${API}/clients/5/update_reseller_enduser_panel_url`, { enduser_panel_url: "https://cloud.example.com/", service: 11 }).reply(200, { detail: "ok" });
        await s.delete!("11", { clientId: "5", planId: "2" });
        // No terminate, no plan move, no client DELETE: nock refuses any call not set up here.
        await r.delete!("5", {});
    });

    it("delete when Fleio only suspends: the service moves to the staff default plan, so its own plan can be deleted", async () => {
        fleio().get(`${API}/clients/5/reseller_services`).reply(200, services(2));
        fleio().post(`${API}/billing/services/11/terminate`, {}).reply(202, { detail: "Suspend instead of terminate is enabled for the client. Suspending service." });
        fleio().get(`${API}/openstack/billing/plan`).query({ ordering: "id", ...firstPage }).reply(200, page([{ id: 1, name: "Default", currency: "EUR", is_default: true, reseller_resources: null }, { id: 2, name: "Plan 2", currency: "EUR", is_default: false, reseller_resources: null }]));
        fleio().post(`${API}/clients/5/update_reseller_billing_plan`, { plan: 1, service: 11 }).reply(200, { detail: "Plan updated" });
        await s.delete!("11", { clientId: "5", planId: "2" });
    });

    it("a new cycle, which Fleio's suspend-instead-of-terminate would block, is refused at preview; with it off, allowed", async () => {
        const olds = { ...serviceInputs, cycle: "month" };
        fleio().get(`${API}/clients/5`).reply(200, { id: 5, suspend_instead_of_terminate: true });
        const refused = await s.check!(olds, { ...serviceInputs, cycle: "year" });
        assert.equal(refused.failures?.[0]?.property, "cycle");
        assert.match(refused.failures![0].reason, /suspend_instead_of_terminate on.*refuse a second one/);
        fleio().get(`${API}/clients/5`).reply(200, { id: 5, suspend_instead_of_terminate: false });
        assert.deepEqual((await s.check!(olds, { ...serviceInputs, cycle: "year" })).failures, []);
        // Unchanged, or a new service: no call at all (nock would refuse one).
        assert.deepEqual((await s.check!(olds, { ...serviceInputs, cycle: "month" })).failures, []);
        assert.deepEqual((await s.check!({}, { ...serviceInputs, cycle: "year" })).failures, []);
    });

    it("with no default staff plan (a fresh Fleio), kept services go to one plan made as Fleio makes its own, never to another reseller's plan", async () => {
        const suspended = { detail: "Suspend instead of terminate is enabled for the client. Suspending service." };
        fleio().get(`${API}/clients/5/reseller_services`).reply(200, services(2));
        fleio().get(`${API}/clients/6/reseller_services`).reply(200, { ...services(3), services: [{ ...services(3).services[0], id: 12 }], resources: { "12": { ...services(3).resources["11"], service: 12 } } });
        fleio().post(`${API}/billing/services/11/terminate`, {}).reply(202, suspended);
        fleio().post(`${API}/billing/services/12/terminate`, {}).reply(202, suspended);
        // Only resellers' plans, none of them the default: each may be deleted by this same run.
        fleio().get(`${API}/openstack/billing/plan`).query({ ordering: "id", ...firstPage }).reply(200, page([{ id: 2, name: "A", currency: "EUR", is_default: false, reseller_resources: null }, { id: 3, name: "B", currency: "EUR", is_default: false, reseller_resources: null }]));
        fleio().get(`${API}/openstack/billing/plan/create_options`).reply(200, { currencies: [{ code: "USD", is_default: false }, { code: "EUR", is_default: true }] });
        fleio().post(`${API}/openstack/billing/plan`, { name: "default", currency: "EUR", is_default: true }).once().reply(201, { id: 9, name: "default", currency: "EUR", is_default: true, reseller_resources: null });
        fleio().post(`${API}/clients/5/update_reseller_billing_plan`, { plan: 9, service: 11 }).reply(200, { detail: "Plan updated" });
        fleio().post(`${API}/clients/6/update_reseller_billing_plan`, { plan: 9, service: 12 }).reply(200, { detail: "Plan updated" });
        await Promise.all([s.delete!("11", { clientId: "5", planId: "2" }), s.delete!("12", { clientId: "6", planId: "3" })]);
    });

    it("read: a terminated or missing service drops it from state", async () => {
        fleio().get(`${API}/clients/5/reseller_services`).reply(200, { ...services(2), services: [{ id: 11, status: "terminated" }] });
        assert.deepEqual(await s.read!("11", { ...serviceInputs }), {});
    });
});

const domainInputs = { clientId: "5", serviceId: "11", domain: "cloud.example.com", scheme: "https" };

describe("FrontendDomain: Fleio calls", () => {
    useFleioMock();
    const d = provider("FrontendDomain");
    const scan = (holders: Record<string, string | null>) => {
        fleio().get(`${API}/clients`).query({ has_reseller_service: "true", ...firstPage }).reply(200, page(Object.keys(holders).map((id) => ({ id: Number(id) }))));
        for (const [id, url] of Object.entries(holders))
            fleio().get(`${API}/clients/${id}/reseller_services`).reply(200, { services: [{ id: Number(id) * 2 + 1, status: "active" }], resources: { [String(Number(id) * 2 + 1)]: { id: 1, service: 1, plan: null, enduser_panel_url: url } } });
    };

    it("create: checks the service is the client's, scans once who holds which domain, sets the URL", async () => {
        fleio().get(`${API}/clients/5/reseller_services`).reply(200, services(2));
        scan({ "6": "https://other.example.com/" });
        fleio().post(`${API}/clients/5/update_reseller_enduser_panel_url`, { enduser_panel_url: "https://cloud.example.com/", service: 11 }).reply(200, { detail: "Enduser panel url updated" });
        const { id, outs } = await d.create!({ ...domainInputs });
        assert.equal(id, "11");
        assert.equal(outs.enduserPanelUrl, "https://cloud.example.com/");
        assert.deepEqual(outs.frontend, { panelUrl: "https://cloud.example.com/", backendApiUrl: "https://fleio.test/backend/api/", resellerClientId: 5, signupPath: "/backend/api/signup" });
    });

    it("the scan takes a client this run has read already as it saw it: the run's own new reseller is not read twice", async () => {
        fleio().get(`${API}/clients/5/reseller_services`).once().reply(200, services(2));
        // The client list names client 5 too (it has a reseller service now); only client 6 is read.
        fleio().get(`${API}/clients`).query({ has_reseller_service: "true", ...firstPage }).reply(200, page([{ id: 5 }, { id: 6 }]));
        fleio().get(`${API}/clients/6/reseller_services`).reply(200, { services: [{ id: 13, status: "active" }], resources: { "13": { id: 1, service: 13, plan: null, enduser_panel_url: "https://other.example.com/" } } });
        fleio().post(`${API}/clients/5/update_reseller_enduser_panel_url`, { enduser_panel_url: "https://cloud.example.com/", service: 11 }).reply(200, { detail: "Enduser panel url updated" });
        const { outs } = await d.create!({ ...domainInputs });
        assert.equal(outs.enduserPanelUrl, "https://cloud.example.com/");
    });

    it("refuses a domain another reseller holds, before setting anything", async () => {
        fleio().get(`${API}/clients/5/reseller_services`).reply(200, services(2));
        scan({ "6": "https://cloud.example.com/" });
        await assert.rejects(d.create!({ ...domainInputs }), /cloud\.example\.com is already the end-user panel of reseller client 6 \(service 13\)/);
    });

    it("scans once per provider process, and remembers this run's own claims", async () => {
        fleio().get(`${API}/clients/5/reseller_services`).reply(200, services(2));
        scan({ "6": null });
        fleio().post(`${API}/clients/5/update_reseller_enduser_panel_url`).reply(200, { detail: "ok" });
        await d.create!({ ...domainInputs });
        // A second panel in the same run: no new scan (whose answer for client 6 also
        // serves as this run's view of its services), and the first claim counts.
        await assert.rejects(d.create!({ clientId: "6", serviceId: "13", domain: "cloud.example.com", scheme: "https" }), /already the end-user panel of reseller client 5/);
    });

    describe("in a fleet run, the scan is shared by the run's stacks", () => {
        let dir: string;
        beforeEach(() => {
            dir = fs.mkdtempSync(path.join(os.tmpdir(), "holders-"));
            process.env[DOMAIN_HOLDERS_ENV] = path.join(dir, "domain-holders.json");
        });
        afterEach(() => {
            delete process.env[DOMAIN_HOLDERS_ENV];
            fs.rmSync(dir, { recursive: true, force: true });
        });
        /** What another stack of the run left. */
        const leave = (siteUrl: string, holders: object, scannedAt = Date.now()) => fs.writeFileSync(process.env[DOMAIN_HOLDERS_ENV]!, JSON.stringify({ siteUrl, scannedAt, holders }));

        it("stacks that need the holders at the same moment scan once: the others wait for the scan", async () => {
            let scans = 0;
            const scan = async () => {
                scans++;
                await new Promise((r) => setTimeout(r, 100));
                return new Map([["a.example.com", { clientId: "1", serviceId: "2" }]]);
            };
            const got = await Promise.all([1, 2, 3].map(() => sharedScan("https://fleio.test", scan)));
            assert.equal(scans, 1);
            for (const h of got) assert.deepEqual([...h], [["a.example.com", { clientId: "1", serviceId: "2" }]]);
            // A scan that fails leaves nothing: the next stack scans itself.
            await assert.rejects(sharedScan("https://other.test", async () => Promise.reject(new Error("Fleio down"))), /Fleio down/);
            await sharedScan("https://other.test", scan);
            assert.equal(scans, 2);
        });

        it("the first stack scans and leaves its scan, not its own claims, for the others (0600)", async () => {
            fleio().get(`${API}/clients/5/reseller_services`).reply(200, services(2));
            scan({ "6": "https://other.example.com/" });
            fleio().post(`${API}/clients/5/update_reseller_enduser_panel_url`).reply(200, { detail: "ok" });
            await d.create!({ ...domainInputs });
            const file = process.env[DOMAIN_HOLDERS_ENV]!;
            const left = JSON.parse(fs.readFileSync(file, "utf8"));
            assert.ok(Math.abs(Date.now() - left.scannedAt) < 60_000, "the scan says when it was taken");
            assert.deepEqual({ ...left, scannedAt: undefined }, { siteUrl: "https://fleio.test", scannedAt: undefined, holders: { "other.example.com": { clientId: "6", serviceId: "13" } } });
            assert.equal(fs.statSync(file).mode & 0o777, 0o600);
        });

        it("a later stack takes the scan instead of reading every reseller, and it still refuses a held domain", async () => {
            leave("https://fleio.test", { "cloud.example.com": { clientId: "6", serviceId: "13" } });
            fleio().get(`${API}/clients/5/reseller_services`).reply(200, services(2));
            await assert.rejects(d.create!({ ...domainInputs }), /cloud\.example\.com is already the end-user panel of reseller client 6 \(service 13\)/);
        });

        it("a scan of another Fleio, one older than an hour, one without its time, or an unreadable file, is not used: the stack scans", async () => {
            const held = { "cloud.example.com": { clientId: "6", serviceId: "13" } };
            for (const write of [
                () => leave("https://other-fleio.test", {}),
                () => leave("https://fleio.test", held, Date.now() - SCAN_MAX_AGE_MS - 1000),
                () => fs.writeFileSync(process.env[DOMAIN_HOLDERS_ENV]!, JSON.stringify({ siteUrl: "https://fleio.test", holders: held })),
                () => fs.writeFileSync(process.env[DOMAIN_HOLDERS_ENV]!, "{half"),
            ]) {
                resetProviderContext();
                await withRetries(0);
                write();
                fleio().get(`${API}/clients/5/reseller_services`).reply(200, services(2));
                scan({});
                fleio().post(`${API}/clients/5/update_reseller_enduser_panel_url`).reply(200, { detail: "ok" });
                await d.create!({ ...domainInputs });
            }
        });
    });

    it("will not overwrite another URL on the service unless adopt says so", async () => {
        fleio().get(`${API}/clients/5/reseller_services`).reply(200, services(2, "https://old.example.com/"));
        await assert.rejects(d.create!({ ...domainInputs }), /already has end-user panel url https:\/\/old\.example\.com\/; set adopt: "11"/);
    });

    it("refuses a service that is not the client's (Fleio itself does not check)", async () => {
        fleio().get(`${API}/clients/5/reseller_services`).reply(200, { services: [], resources: {} });
        await assert.rejects(d.create!({ ...domainInputs }), /client 5 has no live reseller service 11/);
    });

    it("read: the URL in Fleio is the domain; no URL drops the resource", async () => {
        fleio().get(`${API}/clients/5/reseller_services`).reply(200, services(2, "http://Drifted.example.com/"));
        const read = await d.read!("11", { ...domainInputs });
        assert.equal(read.props.domain, "drifted.example.com");
        assert.equal(read.props.scheme, "http");
        fleio().get(`${API}/clients/5/reseller_services`).reply(200, services(2, null));
        assert.deepEqual(await d.read!("11", { ...domainInputs }), {});
    });

    it("create right after this run ordered the service: its read of the services serves, no second read", async () => {
        const s = provider("ResellerService");
        fleio().get(`${API}/billing/products`).query(firstPage).reply(200, page([{ id: 1, name: "Reseller", product_type: "reseller" }]));
        fleio().get(`${API}/billing/productcycles`).query(firstPage).reply(200, page([{ id: 1, product: 1, cycle: "month", cycle_multiplier: 1, currency: "EUR" }]));
        fleio().post(`${API}/clients/5/create_reseller_service`).reply(200, { detail: "Ok" });
        fleio().get(`${API}/clients/5/reseller_services`).once().reply(200, services(2));
        await s.create!({ clientId: "5", productName: "Reseller", cycle: "month", planId: "2" });
        scan({});
        fleio().post(`${API}/clients/5/update_reseller_enduser_panel_url`, { enduser_panel_url: "https://cloud.example.com/", service: 11 }).reply(200, { detail: "ok" });
        await d.create!({ ...domainInputs });
        // This run's own write counts too: the same URL again sends nothing.
        await d.update!("11", { ...domainInputs }, { ...domainInputs });
    });

    it("delete reads the panel URL and clears it with null when it is still this stack's; another URL, or none, is left as it is", async () => {
        fleio().get(`${API}/clients/5/reseller_services`).reply(200, services(2, "https://cloud.example.com/"));
        fleio().post(`${API}/clients/5/update_reseller_enduser_panel_url`, { enduser_panel_url: null, service: 11 }).reply(200, { detail: "ok" });
        await d.delete!("11", { ...domainInputs });
        fleio().get(`${API}/clients/5/reseller_services`).reply(200, services(2, "https://other.example.com/"));
        await d.delete!("11", { ...domainInputs });
        fleio().get(`${API}/clients/5/reseller_services`).reply(200, services(2, null));
        await d.delete!("11", { ...domainInputs });
    });

    it("delete of a panel whose service is gone: a 404, or Fleio's 500 and a read that finds no live service, counts as deleted", async () => {
        fleio().get(`${API}/clients/5/reseller_services`).reply(404, { detail: "Not found." });
        await d.delete!("11", { ...domainInputs });
        // The service ended between the read and the clear.
        fleio().get(`${API}/clients/5/reseller_services`).reply(200, services(2, "https://cloud.example.com/"));
        fleio().post(`${API}/clients/5/update_reseller_enduser_panel_url`).reply(404, { detail: "Service not found" });
        await d.delete!("11", { ...domainInputs });
        fleio().get(`${API}/clients/5/reseller_services`).reply(200, services(2, "https://cloud.example.com/"));
        fleio().post(`${API}/clients/5/update_reseller_enduser_panel_url`).reply(500, "<h1>Server Error (500)</h1>", { "content-type": "text/html" });
        fleio().get(`${API}/clients/5/reseller_services`).reply(200, services(2, null, "terminated"));
        await d.delete!("11", { ...domainInputs });
        // The 500 of a service that is still live is a real failure.
        fleio().get(`${API}/clients/5/reseller_services`).reply(200, services(2, "https://cloud.example.com/"));
        fleio().post(`${API}/clients/5/update_reseller_enduser_panel_url`).reply(500, "<h1>Server Error (500)</h1>", { "content-type": "text/html" });
        fleio().get(`${API}/clients/5/reseller_services`).reply(200, services(2, "https://cloud.example.com/"));
        await assert.rejects(d.delete!("11", { ...domainInputs }), /500/);
    });
});
