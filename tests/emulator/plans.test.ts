import * as assert from "node:assert/strict";
import { makeReseller, useEmulator } from "./helpers";

describe("emulator: OpenStack plans (/openstack/billing/plan)", () => {
    const ctx = useEmulator();
    const PATH = "openstack/billing/plan";

    let defaultPlan = 0;

    it("a fresh Fleio has no plan; the first reseller service creates the staff 'default' plan in the client's currency", async () => {
        assert.equal((await ctx.http.ok("GET", PATH)).count, 0);
        await makeReseller(ctx.http, { currency: "EUR" });
        const page = await ctx.http.ok("GET", PATH);
        assert.equal(page.count, 1);
        const p = page.objects[0];
        assert.deepEqual([p.name, p.currency, p.is_default, p.reseller_resources, p.reseller_client], ["default", "EUR", true, null, null]);
        assert.deepEqual(p.pricing_rules, []);
        defaultPlan = p.id;
    });

    it("ignores `filtering` (every plan comes back, no error) but honours search and is_default", async () => {
        const mine = await ctx.http.ok("POST", PATH, { name: "Searchable zebra", currency: "EUR" });
        const all = await ctx.http.ok("GET", `${PATH}?page_size=100`);
        const filtered = await ctx.http.get(`${PATH}?page_size=100&filtering=id:${mine.id}`);
        assert.equal(filtered.status, 200);
        assert.equal(filtered.body.count, all.count);
        assert.equal((await ctx.http.get(`${PATH}?filtering=nonsense:1`)).status, 200);
        const found = await ctx.http.ok("GET", `${PATH}?search=zebra`);
        assert.deepEqual(found.objects.map((o: { id: number }) => o.id), [mine.id]);
        assert.ok((await ctx.http.ok("GET", `${PATH}?is_default=true`)).objects.every((o: { is_default: boolean }) => o.is_default));
    });

    it("POST answers 201 with the plan; name is not unique; currency must exist", async () => {
        const a = await ctx.http.post(PATH, { name: "Same", currency: "USD" });
        const b = await ctx.http.post(PATH, { name: "Same", currency: "USD" });
        assert.deepEqual([a.status, b.status], [201, 201]);
        assert.notEqual(a.body.id, b.body.id);
        assert.equal(a.body.is_default, false);
        const bad = await ctx.http.post(PATH, { name: "X", currency: "ZZZ" });
        assert.deepEqual([bad.status, bad.body], [400, { currency: ['Invalid pk "ZZZ" - object does not exist.'] }]);
        const noName = await ctx.http.post(PATH, { currency: "EUR" });
        assert.deepEqual([noName.status, noName.body], [400, { name: ["This field is required."] }]);
    });

    it("is_default is per reseller scope: a new staff default clears the old one, not the reseller's", async () => {
        const r = await makeReseller(ctx.http);
        const resellerDefault = await ctx.http.ok("POST", PATH, { name: "R default", currency: "EUR", is_default: true, reseller_resources: r.rrId });
        const staffDefault = await ctx.http.ok("POST", PATH, { name: "New staff default", currency: "EUR", is_default: true });
        const defaults = await ctx.http.ok("GET", `${PATH}?is_default=true&page_size=100`);
        assert.deepEqual(
            defaults.objects.map((p: { id: number }) => p.id).sort(),
            [resellerDefault.id, staffDefault.id].sort(),
        );
        assert.deepEqual(resellerDefault.reseller_client.id, r.clientId);
        // put the seed plan back as the staff default for the tests below
        await ctx.http.ok("PUT", `${PATH}/${defaultPlan}`, { name: "default", currency: "EUR", is_default: true });
    });

    it("PUT answers the plan wrapped: {plan: {...}}", async () => {
        const p = await ctx.http.ok("POST", PATH, { name: "Before", currency: "EUR" });
        const r = await ctx.http.put(`${PATH}/${p.id}`, { name: "After", currency: "GBP", is_default: false });
        assert.equal(r.status, 200);
        assert.deepEqual(Object.keys(r.body), ["plan"]);
        assert.equal(r.body.plan.id, p.id);
        assert.equal(r.body.plan.name, "After");
        assert.equal(r.body.plan.currency, "GBP");
        assert.equal((await ctx.http.ok("GET", `${PATH}/${p.id}`)).name, "After");
    });

    it("PUT requires name (400) and currency (Fleio's KeyError: 500)", async () => {
        const p = await ctx.http.ok("POST", PATH, { name: "P", currency: "EUR" });
        const noName = await ctx.http.put(`${PATH}/${p.id}`, { currency: "EUR", is_default: false });
        assert.deepEqual([noName.status, noName.body], [400, { name: ["This field is required."] }]);
        const noCurrency = await ctx.http.put(`${PATH}/${p.id}`, { name: "P", is_default: false });
        assert.equal(noCurrency.status, 500);
    });

    it("unsetting the only default is 400 There must be a default billing plan, unless other_default is given", async () => {
        const r = await ctx.http.put(`${PATH}/${defaultPlan}`, { name: "default", currency: "EUR", is_default: false });
        assert.deepEqual([r.status, r.body], [400, { detail: "There must be a default billing plan" }]);
        const other = await ctx.http.ok("POST", PATH, { name: "Other", currency: "EUR" });
        const moved = await ctx.http.put(`${PATH}/${defaultPlan}`, { name: "default", currency: "EUR", is_default: false, other_default: other.id });
        assert.equal(moved.status, 200);
        assert.equal(moved.body.plan.is_default, false);
        assert.equal((await ctx.http.ok("GET", `${PATH}/${other.id}`)).is_default, true);
        await ctx.http.ok("PUT", `${PATH}/${defaultPlan}`, { name: "default", currency: "EUR", is_default: true });
        assert.equal((await ctx.http.ok("GET", `${PATH}/${other.id}`)).is_default, false);
    });

    describe("DELETE ?plan_to_migrate=", () => {
        it("is required (400), cannot be the plan itself (400), must exist (400 invalid pk)", async () => {
            const p = await ctx.http.ok("POST", PATH, { name: "Doomed", currency: "EUR" });
            const missing = await ctx.http.del(`${PATH}/${p.id}`);
            assert.deepEqual([missing.status, missing.body], [400, { plan_to_migrate: ["This field is required."] }]);
            const self = await ctx.http.del(`${PATH}/${p.id}?plan_to_migrate=${p.id}`);
            assert.deepEqual([self.status, self.body], [400, { plan_to_migrate: ["Can't migrate to selected plan"] }]);
            const unknown = await ctx.http.del(`${PATH}/${p.id}?plan_to_migrate=99999`);
            assert.deepEqual([unknown.status, unknown.body], [400, { plan_to_migrate: ['Invalid pk "99999" - object does not exist.'] }]);
            assert.equal((await ctx.http.get(`${PATH}/${p.id}`)).status, 200, "still there after refused deletes");
        });

        it("an unknown plan is 404 before the parameter is looked at", async () => {
            assert.equal((await ctx.http.del(`${PATH}/99999`)).status, 404);
        });

        it("a plan reseller resources point at (also a suspended reseller's) is Django's HTML 500; moved away, it deletes", async () => {
            const from = await ctx.http.ok("POST", PATH, { name: "Old wholesale", currency: "EUR" });
            const to = await ctx.http.ok("POST", PATH, { name: "New wholesale", currency: "EUR" });
            const rule = await ctx.http.ok("POST", "openstack/billing/pricerule", { display_name: "r", plan: from.id, resource: 1, pricing: { prices: [{ f: 0, p: 1 }] } });
            const r = await makeReseller(ctx.http);
            await ctx.http.ok("POST", `clients/${r.clientId}/update_reseller_billing_plan`, { plan: from.id, service: r.serviceId });
            // suspend-instead-of-terminate (the default): the service is only suspended and keeps its plan
            await ctx.http.ok("POST", `billing/services/${r.serviceId}/terminate`);
            const refused = await ctx.http.del(`${PATH}/${from.id}?plan_to_migrate=${to.id}`);
            assert.equal(refused.status, 500);
            assert.match(refused.headers.get("content-type") ?? "", /^text\/html/);
            assert.equal(refused.body, "<h1>Server Error (500)</h1>");
            assert.equal((await ctx.http.get(`${PATH}/${from.id}`)).status, 200, "still there");
            await ctx.http.ok("POST", `clients/${r.clientId}/update_reseller_billing_plan`, { plan: to.id, service: r.serviceId });
            const del = await ctx.http.del(`${PATH}/${from.id}?plan_to_migrate=${to.id}`);
            assert.deepEqual([del.status, del.body], [200, { detail: "Plan Old wholesale deleted and 0 services migrated to plan New wholesale" }]);
            assert.equal((await ctx.http.get(`${PATH}/${from.id}`)).status, 404);
            assert.equal((await ctx.http.get(`openstack/billing/pricerule/${rule.id}`)).status, 404);
        });

        it("deleting the default hands the flag to the target in the same scope", async () => {
            const d = await ctx.http.ok("POST", PATH, { name: "Temp default", currency: "EUR", is_default: true });
            await ctx.http.ok("DELETE", `${PATH}/${d.id}?plan_to_migrate=${defaultPlan}`);
            assert.equal((await ctx.http.ok("GET", `${PATH}/${defaultPlan}`)).is_default, true);
        });
    });

    it("create_options lists currencies and non-default plans", async () => {
        const o = await ctx.http.ok("GET", `${PATH}/create_options`);
        // the demo setup's currencies on top of the factory EUR
        assert.deepEqual(
            o.currencies.map((c: { code: string }) => c.code).sort(),
            ["EUR", "GBP", "RON", "USD"],
        );
        assert.ok(o.currencies.every((c: { rate: string }) => typeof c.rate === "string"));
        assert.ok(o.non_default_plans.every((p: { id: number }) => p.id !== defaultPlan));
    });
});

// AdminPricingPlanViewSet.update of Fleio 2019.12 (S1, shared/fleio-api.md): the rule holds
// for every plan of a scope with no default, not only for the default plan itself.
describe("emulator: a Fleio with no default staff plan refuses staff plan updates that do not make one", () => {
    const ctx = useEmulator();
    const PATH = "openstack/billing/plan";

    it("a plan made without is_default, while none is default: a rename is 400; making it the default is 200", async () => {
        const p = await ctx.http.ok("POST", PATH, { name: "Wholesale", currency: "EUR" });
        // Fleio's reseller module puts a new reseller on any staff plan when none is default, without marking it.
        const r = await makeReseller(ctx.http);
        assert.equal((await ctx.http.ok("GET", `clients/${r.clientId}/reseller_services`)).resources[String(r.serviceId)].plan.id, p.id);
        assert.equal((await ctx.http.ok("GET", `${PATH}/${p.id}`)).is_default, false);
        const renamed = await ctx.http.put(`${PATH}/${p.id}`, { name: "Wholesale 2", currency: "EUR", is_default: false });
        assert.deepEqual([renamed.status, renamed.body], [400, { detail: "There must be a default billing plan" }]);
        assert.equal((await ctx.http.ok("GET", `${PATH}/${p.id}`)).name, "Wholesale", "nothing changed");
        const made = await ctx.http.put(`${PATH}/${p.id}`, { name: "Wholesale 2", currency: "EUR", is_default: true });
        assert.equal(made.status, 200);
        assert.equal(made.body.plan.is_default, true);
    });

    it("once another plan of the scope is default, a plan that is not may be saved", async () => {
        const p = await ctx.http.ok("POST", PATH, { name: "Retail", currency: "EUR" });
        const r = await ctx.http.put(`${PATH}/${p.id}`, { name: "Retail 2", currency: "USD", is_default: false });
        assert.equal(r.status, 200);
        assert.deepEqual([r.body.plan.name, r.body.plan.currency], ["Retail 2", "USD"]);
    });
});
