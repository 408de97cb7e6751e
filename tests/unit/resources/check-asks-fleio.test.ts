import * as assert from "node:assert/strict";
import nock from "nock";
import { configure, resource } from "../../../provider";
import { UNKNOWN } from "../../../provider/resources/define";
import { CHECK_BASE, CREATE_OPTIONS, CREATE_OPTIONS_PATH, configureForCheck, secret, serveCreateOptions } from "../support/check-harness";

// check() asks Fleio whether a billing resource name exists and a currency is offered,
// but only for a new resource or a changed value, once per provider process, and it
// never fails a preview because Fleio could not be asked.

const rule = { planId: "1", displayName: "Rule", resourceName: "instance", prices: [{ from: 0, price: "0.01" }] };
const client = { firstName: "Ada", lastName: "Op", email: "ada@example.com", phone: "+49 1", address1: "1 St", city: "Berlin", zipCode: "10115", country: "DE", currency: "EUR" };
const plan = { name: "Plan", currency: "EUR" };
const API = "/backend/staffapi";

describe("check() asks Fleio only about new or changed names and currencies", () => {
    let unmatched: string[] = [];
    const onNoMatch = (req: { method?: string; path?: string }) => unmatched.push(`${req.method} ${req.path}`);

    before(() => nock.emitter.on("no match", onNoMatch));
    after(() => nock.emitter.removeListener("no match", onNoMatch));
    beforeEach(async () => {
        unmatched = [];
        nock.disableNetConnect();
        await configureForCheck();
    });
    afterEach(() => {
        nock.cleanAll();
        nock.enableNetConnect();
        assert.deepEqual(unmatched, [], "no request beyond the ones the test serves");
    });

    it("a new rule naming a billing resource Fleio lacks fails, listing what Fleio has", async () => {
        const fleio = serveCreateOptions();
        const r = await resource("PricingRule").check!({}, { ...rule, resourceName: "instanse" });
        assert.ok(fleio.isDone());
        assert.equal(r.failures?.length, 1);
        assert.equal(r.failures![0].property, "resourceName");
        assert.match(r.failures![0].reason, /no billing resource.*"instanse".*Instance, Image, Volume, Instance traffic/);
    });

    it("a resource name in Fleio's internal spelling and a type that tells it apart pass", async () => {
        serveCreateOptions();
        assert.deepEqual((await resource("PricingRule").check!({}, { ...rule, resourceName: "instance_traffic", resourceType: "internal" })).failures, []);
        assert.match((await resource("PricingRule").check!({}, { ...rule, resourceName: "volume", resourceType: "metric" })).failures![0].reason, /type "metric"/);
    });

    for (const [kind, inputs] of [["Reseller", client], ["OpenstackPlan", plan]] as const) {
        it(`${kind}: a currency Fleio does not offer fails, naming those it offers`, async () => {
            serveCreateOptions();
            const r = await resource(kind).check!({}, { ...inputs, currency: "gbp" });
            assert.equal(r.failures?.[0]?.property, "currency");
            assert.match(r.failures![0].reason, /does not offer.*"gbp".*EUR, USD/);
        });
    }

    it("a secret currency Fleio does not offer is refused without being printed", async () => {
        serveCreateOptions();
        const r = await resource("OpenstackPlan").check!({}, { ...plan, currency: secret("GBP") });
        assert.equal(r.failures?.[0]?.property, "currency");
        assert.match(r.failures![0].reason, /secret value not shown/);
        assert.doesNotMatch(r.failures![0].reason, /GBP/);
    });

    it("one call per provider process, shared by every check and by the create that follows", async () => {
        serveCreateOptions(1);
        for (const [kind, inputs] of [["PricingRule", rule], ["Reseller", client], ["OpenstackPlan", plan], ["PricingRule", { ...rule, resourceName: "volume" }]] as const)
            assert.deepEqual((await resource(kind).check!({}, inputs)).failures, [], kind);
        // The create resolves "instance" from the answer check() already had.
        nock(CHECK_BASE).get(`${API}/openstack/billing/pricerule`).query(true).reply(200, { count: 0, next: null, previous: null, objects: [] });
        const apiRule = { id: 9, display_name: "Rule", plan: 1, resource: 1, priority: 1, pricing: { prices: [{ f: 0, p: 0.01 }], attribute: null, attribute_unit: null, time_unit: "bc" }, conditions: [], modifiers: [] };
        nock(CHECK_BASE).post(`${API}/openstack/billing/pricerule`).reply(201, apiRule);
        nock(CHECK_BASE).get(`${API}/openstack/billing/pricerule/9`).reply(200, apiRule);
        const checked = await resource("PricingRule").check!({}, rule);
        const { outs } = await resource("PricingRule").create!(checked.inputs);
        assert.equal(outs.resolvedResourceId, "1");
    });

    it("a preview with no change asks nothing, also when the program writes values differently", async () => {
        serveCreateOptions();
        const olds: Record<string, Record<string, unknown>> = {};
        for (const [kind, inputs] of [["PricingRule", rule], ["Reseller", client], ["OpenstackPlan", plan]] as const) olds[kind] = (await resource(kind).check!({}, inputs)).inputs;
        await configureForCheck(); // a new process: nothing remembered, nothing served
        nock.cleanAll();
        for (const [kind, news] of [["PricingRule", { ...rule, resourceName: " instance " }], ["Reseller", { ...client, currency: "eur" }], ["OpenstackPlan", plan]] as const)
            assert.deepEqual((await resource(kind).check!(olds[kind], news)).failures, [], kind);
    });

    it("a change to another field asks nothing; a changed name or currency asks", async () => {
        serveCreateOptions();
        const olds = (await resource("PricingRule").check!({}, rule)).inputs;
        const oldPlan = (await resource("OpenstackPlan").check!({}, plan)).inputs;
        await configureForCheck();
        nock.cleanAll();
        assert.deepEqual((await resource("PricingRule").check!(olds, { ...rule, prices: [{ from: 0, price: "0.02" }], displayName: "Renamed" })).failures, []);
        assert.deepEqual((await resource("OpenstackPlan").check!(oldPlan, { ...plan, name: "Renamed" })).failures, []);
        const fleio = serveCreateOptions();
        const r = await resource("PricingRule").check!(olds, { ...rule, resourceName: "gpu" });
        assert.ok(fleio.isDone());
        assert.equal(r.failures?.[0]?.property, "resourceName");
        assert.equal((await resource("OpenstackPlan").check!(oldPlan, { ...plan, currency: "JPY" })).failures?.[0]?.property, "currency");
    });

    it("a reseller's plan change Fleio would refuse (no other default in its scope) fails at preview with the fix; a staff plan's asks nothing", async () => {
        const owned = { ...plan, resellerClientId: "5", isDefault: false };
        const olds = { ...owned, __provider: "p" };
        const scan = (defaults: boolean) => {
            nock(CHECK_BASE).get(`${API}/clients/5/reseller_services`).reply(200, { services: [{ id: 11, status: "active" }], resources: { "11": { id: 4, service: 11, plan: null, enduser_panel_url: null } } });
            const p = (id: number, rr: number | null, d: boolean) => ({ id, name: `P${id}`, currency: "EUR", is_default: d, reseller_resources: rr });
            nock(CHECK_BASE).get(`${API}/openstack/billing/plan`).query(true).reply(200, { count: 3, next: null, previous: null, objects: [p(1, null, true), p(2, 4, defaults), p(3, 4, false), p(4, 9, true)] });
        };
        scan(false);
        const refused = await resource("OpenstackPlan").check!(olds, { ...owned, name: "Renamed" });
        assert.equal(refused.failures?.[0]?.property, "isDefault");
        assert.match(refused.failures![0].reason, /Fleio refuses to save this plan with isDefault false: no plan of the reseller's scope is its default.*Set isDefault: true/);
        await configureForCheck();
        scan(true);
        assert.deepEqual((await resource("OpenstackPlan").check!(olds, { ...owned, name: "Renamed" })).failures, []);
        // The plan the stack made the default, un-defaulted while it is the scope's only one.
        await configureForCheck();
        scan(true);
        const only = await resource("OpenstackPlan").check!({ ...olds, isDefault: true }, owned);
        assert.match(only.failures?.[0]?.reason ?? "", /it is the scope's only default plan/);
        // Unchanged: nothing asked (the afterEach hook fails on any unserved request).
        await configureForCheck();
        nock.cleanAll();
        assert.deepEqual((await resource("OpenstackPlan").check!(olds, owned)).failures, []);
        assert.deepEqual((await resource("OpenstackPlan").check!({ ...plan, isDefault: false }, { ...plan, name: "Staff renamed" })).failures, []);
    });

    it("a value still unknown at preview is not asked about", async () => {
        assert.deepEqual((await resource("PricingRule").check!({}, { ...rule, resourceName: UNKNOWN })).failures, []);
        assert.deepEqual((await resource("Reseller").check!({}, { ...client, currency: UNKNOWN })).failures, []);
    });

    it("Fleio unreachable or failing: the preview is not failed, and the attempt is not repeated", async () => {
        nock(CHECK_BASE).get(CREATE_OPTIONS_PATH).replyWithError(Object.assign(new Error("connect ECONNREFUSED"), { code: "ECONNREFUSED" }));
        assert.deepEqual((await resource("PricingRule").check!({}, { ...rule, resourceName: "gpu" })).failures, []);
        assert.deepEqual((await resource("Reseller").check!({}, { ...client, currency: "GBP" })).failures, []);
        await configureForCheck();
        nock(CHECK_BASE).get(CREATE_OPTIONS_PATH).reply(500, "<h1>Server Error (500)</h1>", { "content-type": "text/html" });
        assert.deepEqual((await resource("OpenstackPlan").check!({}, { ...plan, currency: "GBP" })).failures, []);
    });

    it("no credentials at preview: nothing is asked and nothing fails", async () => {
        await configure({ config: { get: () => undefined, require: () => "" } } as never);
        const saved = { url: process.env.FLEIO_URL, token: process.env.FLEIO_TOKEN };
        delete process.env.FLEIO_URL;
        delete process.env.FLEIO_TOKEN;
        try {
            assert.deepEqual((await resource("PricingRule").check!({}, { ...rule, resourceName: "gpu" })).failures, []);
        } finally {
            if (saved.url !== undefined) process.env.FLEIO_URL = saved.url;
            if (saved.token !== undefined) process.env.FLEIO_TOKEN = saved.token;
        }
    });

    it("Fleio's answer without currencies or resources is no reason to fail", async () => {
        serveCreateOptions(1, { ...CREATE_OPTIONS, currencies: undefined, resources: undefined });
        assert.deepEqual((await resource("OpenstackPlan").check!({}, { ...plan, currency: "JPY" })).failures, []);
        assert.deepEqual((await resource("PricingRule").check!({}, { ...rule, resourceName: "gpu" })).failures, []);
    });
});
