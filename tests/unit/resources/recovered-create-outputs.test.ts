import * as assert from "node:assert/strict";
import nock from "nock";
import { API, dropped, firstPage, fleio, page, provider, withRetries } from "../support/resource-harness";
import { resetProviderContext } from "../../../provider/context";
import { resellerInputs } from "../../../provider/resources/reseller";
import { openstackPlanInputs } from "../../../provider/resources/openstack-plan";
import { pricingRuleInputs } from "../../../provider/resources/pricing-rule";
import { configurationInputs } from "../../../provider/resources/configuration";
import { resellerServiceInputs } from "../../../provider/resources/reseller-service";

// A create whose answer was lost (Fleio committed it, the connection dropped) is found
// again by its natural key. Its outputs must be those of an answered create, or the next
// preview shows an update (and, for a reseller, replaces everything that uses its id).
// Fleio lists some objects shorter than it answers a create (a client's list entry has no
// address or zip code), so each answer below has the shape Fleio gives that request.

const ID = 908172635;
const client = {
    first_name: "Rita", last_name: "Rescue", company: "Rescue Cloud", email: "ops@rescue.example", phone: "+49 30 1234567", fax: "",
    address1: "1 Cloud Street", address2: "", city: "Berlin", state: "", zip_code: "10115", country: "DE", currency: "EUR", vat_id: "",
};
/** StaffCreateClientSerializer: what POST /clients answers (fleio-api.md, Clients). */
const clientCreated = (ext: string | null) => ({
    id: ID, ...client, groups: [], external_billing_id: ext, configuration: "default", create_auto_order_service: false,
    auto_order_service_external_billing_id: null, custom_fields: [], reseller_client: 0,
});
/** StaffClientBriefSerializer (the list): no fax, address1, address2, zip_code; no external_billing_id. */
const clientListed = {
    id: ID, name: "Rita Rescue", first_name: "Rita", last_name: "Rescue", company: "Rescue Cloud", city: "Berlin", country: "DE", state: "",
    date_created: "2026-12-06T15:00:00Z", currency: "EUR", phone: "+49 30 1234567", country_name: "Germany", long_name: "Rita Rescue (Rescue Cloud)",
    email: "ops@rescue.example", vat_id: "", status: "active", uptodate_credit: null, suspend_instead_of_terminate: true, configuration_name: "default",
    group_name: "", outofcredit_datetime: null, reseller_client_details: null,
};
/** StaffClientSerializer (retrieve): the list's fields and the contact fields. */
const clientDetail = { ...clientListed, fax: "", users: [], address1: "1 Cloud Street", address2: "", zip_code: "10115", credits: [], custom_fields: [], group_name: "n/a" };
const resellerRaw = {
    firstName: "Rita", lastName: "Rescue", company: "Rescue Cloud", email: "ops@rescue.example", phone: "+49 30 1234567",
    address1: "1 Cloud Street", city: "Berlin", zipCode: "10115", country: "DE", currency: "EUR",
};
const bySearch = { search: "ops@rescue.example", ...firstPage };

const apiPlan = { id: 3, name: "Rescue pricing", currency: "EUR", is_default: false, reseller_resources: null, services_count: 0, pricing_rules: [], reseller_client: null };
const plans = { ordering: "id", ...firstPage };

const createOptions = { resources: [{ id: 1, name: "Instance", type: "service" }, { id: 2, name: "Volume", type: "service" }] };
// Fleio renders prices as numbers (Observed).
const apiRule = {
    id: 9, display_name: "Volume GB", plan: 3, resource: 2, priority: 1,
    pricing: { prices: [{ f: 0, p: 0.1 }, { f: 1000, p: 0.08 }], attribute: "size", attribute_unit: "g", time_unit: "bc" },
    conditions: [{ name: "condition", attribute: "type", attribute_unit: null, operator: "eq", value: "ssd" }],
    modifiers: [],
};

const apiConfig = { id: 8, name: "rescue-retail", description: "", is_default: false, reseller_resources: null, client_count: 0 };

const services = (plan: number) => ({
    services: [{ id: 11, display_name: "Reseller service", status: "active", product: { name: "Reseller" }, cycle: { id: 1, display_name: "1 month" } }],
    resources: { "11": { id: 4, service: 11, plan: { id: plan, name: `Plan ${plan}` }, enduser_panel_url: null } },
});
const productLookups = () => {
    fleio().get(`${API}/billing/products`).query(firstPage).reply(200, page([{ id: 1, name: "Reseller", product_type: "reseller" }]));
    fleio().get(`${API}/billing/productcycles`).query(firstPage).reply(200, page([{ id: 1, product: 1, cycle: "month", cycle_multiplier: 1, currency: "EUR" }]));
};

interface Case {
    kind: string;
    inputs: Record<string, unknown>;
    /** Fleio's answers to an answered create. */
    answered(): void;
    /** Fleio's answers when the create's answer is lost: the object is there to be found. */
    lost(): void;
    /** Outputs only a read of Fleio knows (a create's answer does not render them). */
    readOnly?: string[];
}

const cases: Case[] = [
    {
        kind: "Reseller",
        inputs: resellerInputs.parse(resellerRaw),
        answered() {
            fleio().get(`${API}/clients`).query(bySearch).reply(200, page([]));
            fleio().post(`${API}/clients`).reply(201, clientCreated(null));
        },
        lost() {
            fleio().get(`${API}/clients`).query(bySearch).reply(200, page([]));
            fleio().post(`${API}/clients`).replyWithError(dropped());
            fleio().get(`${API}/clients`).query(bySearch).reply(200, page([clientListed]));
            fleio().get(`${API}/clients/${ID}`).reply(200, clientDetail);
        },
        readOnly: ["dateCreated"],
    },
    {
        kind: "Reseller",
        inputs: resellerInputs.parse({ ...resellerRaw, externalBillingId: "rescue-cloud" }),
        answered() {
            fleio().post(`${API}/clients`).reply(201, clientCreated("rescue-cloud"));
        },
        lost() {
            fleio().post(`${API}/clients`).replyWithError(dropped());
            fleio().get(`${API}/clients`).query({ external_billing_id: "rescue-cloud", ...firstPage }).reply(200, page([clientListed]));
            fleio().get(`${API}/clients/${ID}`).reply(200, clientDetail);
        },
        readOnly: ["dateCreated"],
    },
    {
        kind: "OpenstackPlan",
        inputs: openstackPlanInputs.parse({ name: "Rescue pricing", currency: "EUR" }),
        answered() {
            fleio().get(`${API}/openstack/billing/plan`).query(plans).reply(200, page([]));
            fleio().post(`${API}/openstack/billing/plan`).reply(201, apiPlan);
        },
        lost() {
            fleio().get(`${API}/openstack/billing/plan`).query(plans).reply(200, page([]));
            fleio().post(`${API}/openstack/billing/plan`).replyWithError(dropped());
            fleio().get(`${API}/openstack/billing/plan`).query(plans).reply(200, page([apiPlan]));
            fleio().get(`${API}/openstack/billing/plan/3`).reply(200, apiPlan);
        },
    },
    {
        kind: "PricingRule",
        inputs: pricingRuleInputs.parse({
            planId: "3", displayName: "Volume GB", resourceName: "volume", attribute: "size", attributeUnit: "g", timeUnit: "bc",
            prices: [{ from: 0, price: "0.10" }, { from: 1000, price: "0.08" }], conditions: [{ name: "condition", attribute: "type", operator: "eq", value: "ssd" }],
        }),
        answered() {
            fleio().get(`${API}/openstack/billing/pricerule/create_options`).reply(200, createOptions);
            fleio().get(`${API}/openstack/billing/pricerule`).query(firstPage).reply(200, page([]));
            fleio().post(`${API}/openstack/billing/pricerule`).reply(201, apiRule);
        },
        lost() {
            fleio().get(`${API}/openstack/billing/pricerule/create_options`).reply(200, createOptions);
            fleio().get(`${API}/openstack/billing/pricerule`).query(firstPage).reply(200, page([]));
            fleio().post(`${API}/openstack/billing/pricerule`).replyWithError(dropped());
            fleio().get(`${API}/openstack/billing/pricerule`).query(firstPage).reply(200, page([apiRule]));
            fleio().get(`${API}/openstack/billing/pricerule/9`).reply(200, apiRule);
        },
    },
    {
        kind: "Configuration",
        inputs: configurationInputs.parse({ name: "rescue-retail" }),
        answered() {
            fleio().get(`${API}/configurations`).query(firstPage).reply(200, page([]));
            fleio().post(`${API}/configurations`).reply(201, apiConfig);
        },
        lost() {
            fleio().get(`${API}/configurations`).query(firstPage).reply(200, page([]));
            fleio().post(`${API}/configurations`).replyWithError(dropped());
            fleio().get(`${API}/configurations`).query({ search: "rescue-retail", ...firstPage }).reply(200, page([apiConfig]));
            fleio().get(`${API}/configurations/8`).reply(200, apiConfig);
        },
    },
    {
        kind: "ResellerService",
        inputs: resellerServiceInputs.parse({ clientId: String(ID), productName: "Reseller", cycle: "month", planId: "2" }),
        answered() {
            productLookups();
            fleio().post(`${API}/clients/${ID}/create_reseller_service`).reply(200, { detail: "Ok" });
            fleio().get(`${API}/clients/${ID}/reseller_services`).reply(200, services(1));
            fleio().post(`${API}/clients/${ID}/update_reseller_billing_plan`, { plan: 2, service: 11 }).reply(200, { detail: "Plan updated" });
            fleio().get(`${API}/clients/${ID}/reseller_services`).reply(200, services(2));
        },
        lost() {
            productLookups();
            fleio().post(`${API}/clients/${ID}/create_reseller_service`).replyWithError(dropped());
            fleio().get(`${API}/clients/${ID}/reseller_services`).times(2).reply(200, services(1));
            fleio().post(`${API}/clients/${ID}/update_reseller_billing_plan`, { plan: 2, service: 11 }).reply(200, { detail: "Plan updated" });
            fleio().get(`${API}/clients/${ID}/reseller_services`).reply(200, services(2));
        },
    },
];

/** A new provider process against a fresh mock of Fleio. */
async function freshRun(): Promise<void> {
    nock.cleanAll();
    resetProviderContext();
    await withRetries(0);
}

const without = (o: Record<string, unknown>, keys: string[] = []) => Object.fromEntries(Object.entries(o).filter(([k]) => !keys.includes(k)));

describe("a create whose answer was lost has the outputs of an answered create", () => {
    beforeEach(() => nock.disableNetConnect());
    afterEach(() => {
        nock.cleanAll();
        nock.enableNetConnect();
    });

    for (const c of cases) {
        const label = `${c.kind}${"externalBillingId" in c.inputs ? " with externalBillingId" : c.kind === "Reseller" ? " without externalBillingId" : ""}`;
        it(`${label}: same id and outputs, and diff() sees no change against its inputs`, async () => {
            const r = provider(c.kind);
            await freshRun();
            c.answered();
            const answered = await r.create!({ ...c.inputs });
            assert.deepEqual(nock.pendingMocks(), [], "every answer of the answered create was used");

            await freshRun();
            c.lost();
            const recovered = await r.create!({ ...c.inputs });
            assert.equal(recovered.id, answered.id);
            assert.deepEqual(without(recovered.outs, c.readOnly), without(answered.outs, c.readOnly));
            const d = await r.diff!(recovered.id, recovered.outs, { ...c.inputs });
            assert.deepEqual({ changes: d.changes, replaces: d.replaces }, { changes: false, replaces: [] });
            assert.deepEqual(nock.pendingMocks(), [], "every answer of the recovered create was used");
        });
    }

    it("a look-up that finds the object but cannot read it keeps its id: no orphan, the next up converges it", async () => {
        const r = provider("Reseller");
        await freshRun();
        fleio().post(`${API}/clients`).replyWithError(dropped());
        fleio().get(`${API}/clients`).query({ external_billing_id: "rescue-cloud", ...firstPage }).reply(200, page([clientListed]));
        fleio().get(`${API}/clients/${ID}`).reply(503, { detail: "Service temporarily unavailable, try again later." });
        const { id } = await r.create!(resellerInputs.parse({ ...resellerRaw, externalBillingId: "rescue-cloud" }));
        assert.equal(id, String(ID));
    });

    it("a found object gone by the time it is read fails the create, naming the request that failed", async () => {
        const r = provider("Configuration");
        await freshRun();
        fleio().get(`${API}/configurations`).query(firstPage).reply(200, page([]));
        fleio().post(`${API}/configurations`).replyWithError(dropped());
        fleio().get(`${API}/configurations`).query({ search: "rescue-retail", ...firstPage }).reply(200, page([apiConfig]));
        fleio().get(`${API}/configurations/8`).reply(404, { detail: "Not found." });
        await assert.rejects(r.create!(configurationInputs.parse({ name: "rescue-retail" })), /POST \/configurations failed.*Fleio made configuration "rescue-retail" in this scope \(id 8\), but it was gone when read again/);
    });
});
