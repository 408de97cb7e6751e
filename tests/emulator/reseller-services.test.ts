import * as assert from "node:assert/strict";
import { clientBody, makeReseller, MONTHLY_CYCLE, OPENSTACK_CYCLE, OPENSTACK_PRODUCT, RESELLER_PRODUCT, setSuspendInsteadOfTerminate, useEmulator, YEARLY_CYCLE } from "./helpers";

describe("emulator: reseller services (StaffClientViewSet actions)", () => {
    const ctx = useEmulator();
    const order = (clientId: number, productCycle: number = MONTHLY_CYCLE) =>
        ctx.http.post(`clients/${clientId}/create_reseller_service`, { product_id: RESELLER_PRODUCT, product_cycle_id: productCycle });

    it("create_reseller_service answers {detail: Ok} with no id; reseller_services shows the service and its resources", async () => {
        const c = await ctx.http.ok("POST", "clients", clientBody());
        const r = await order(c.id);
        assert.deepEqual([r.status, r.body], [200, { detail: "Ok" }]);
        const rs = await ctx.http.ok("GET", `clients/${c.id}/reseller_services`);
        assert.equal(rs.services.length, 1);
        const s = rs.services[0];
        assert.equal(s.display_name, "Reseller service");
        assert.equal(s.status, "active");
        assert.deepEqual(s.product, { name: "Reseller", description: "Resell the cloud under your own brand" });
        assert.equal(s.cycle.id, MONTHLY_CYCLE);
        assert.equal(s.pricing_plan, null);
        assert.equal(s.activated_at, null);
        const res = rs.resources[String(s.id)];
        // The reseller starts on the staff default plan, made on demand.
        assert.equal(res.plan.name, "default");
        assert.equal(res.enduser_panel_url, null);
        assert.equal(res.service, s.id);
    });

    it("also creates a 'default' configuration owned by the new reseller", async () => {
        const r = await makeReseller(ctx.http);
        const configs = await ctx.http.ok("GET", `configurations?filtering=reseller_resources:${r.rrId}`);
        assert.deepEqual(
            configs.objects.map((c: { name: string; is_default: boolean }) => [c.name, c.is_default]),
            [["default", true]],
        );
    });

    it("allows one reseller service per client: a second order is 403", async () => {
        const r = await makeReseller(ctx.http);
        const again = await order(r.clientId, YEARLY_CYCLE);
        assert.deepEqual([again.status, again.body], [403, { detail: "Client already has a reseller service" }]);
    });

    it("validates the order body (integers required) before looking at the client", async () => {
        const r = await ctx.http.post("clients/1/create_reseller_service", { product_id: "x" });
        assert.deepEqual([r.status, r.body], [400, { product_id: ["A valid integer is required."], product_cycle_id: ["This field is required."] }]);
    });

    it("a cycle of another product is Fleio's IndexError (500); an unknown product its DoesNotExist (500)", async () => {
        const c = await ctx.http.ok("POST", "clients", clientBody());
        assert.equal((await ctx.http.post(`clients/${c.id}/create_reseller_service`, { product_id: RESELLER_PRODUCT, product_cycle_id: OPENSTACK_CYCLE })).status, 500);
        assert.equal((await ctx.http.post(`clients/${c.id}/create_reseller_service`, { product_id: 42, product_cycle_id: MONTHLY_CYCLE })).status, 500);
        assert.equal((await ctx.http.ok("GET", `clients/${c.id}/reseller_services`)).services.length, 0);
    });

    it("does not check the product type: a non-reseller product answers Ok and makes a service without reseller resources", async () => {
        const c = await ctx.http.ok("POST", "clients", clientBody());
        const r = await ctx.http.post(`clients/${c.id}/create_reseller_service`, { product_id: OPENSTACK_PRODUCT, product_cycle_id: OPENSTACK_CYCLE });
        assert.deepEqual([r.status, r.body], [200, { detail: "Ok" }]);
        assert.deepEqual(await ctx.http.ok("GET", `clients/${c.id}/reseller_services`), { services: [], resources: {} });
        const services = await ctx.http.ok("GET", `billing/services?client=${c.id}`);
        assert.equal(services.count, 1);
        assert.equal(services.objects[0].product.id, OPENSTACK_PRODUCT);
        // not a reseller, so it may still order a real reseller service
        assert.equal((await order(c.id)).status, 200);
    });

    it("billing/services/{id} has the full staff shape", async () => {
        const r = await makeReseller(ctx.http, { first_name: "Full", last_name: "Shape", external_billing_id: "shape-1" });
        const s = await ctx.http.ok("GET", `billing/services/${r.serviceId}`);
        assert.deepEqual(s.client, { id: r.clientId, name: "Full Shape", external_billing_id: "shape-1" });
        assert.deepEqual(s.product, { id: RESELLER_PRODUCT, name: "Reseller", description: "Resell the cloud under your own brand" });
        assert.deepEqual(s.cycle, { id: MONTHLY_CYCLE, display_name: "1 month" });
        assert.deepEqual([s.status, s.suspend_reason, s.suspend_type, s.notes, s.plugin_data], ["active", null, null, "", {}]);
        for (const k of ["created_at", "updated_at", "activated_at", "suspended_at", "terminated_at", "next_due_date"]) assert.ok(k in s, k);
    });

    it("new_reseller_service_data lists the reseller products with their cycles", async () => {
        const c = await ctx.http.ok("POST", "clients", clientBody());
        const d = await ctx.http.ok("GET", `clients/${c.id}/new_reseller_service_data`);
        assert.deepEqual(
            d.products.map((p: { id: number }) => p.id),
            [RESELLER_PRODUCT],
        );
        assert.deepEqual(
            d.products[0].cycles.map((x: { id: number; cycle: string }) => [x.id, x.cycle]),
            [
                [MONTHLY_CYCLE, "month"],
                [YEARLY_CYCLE, "year"],
            ],
        );
    });

    describe("update_reseller_billing_plan", () => {
        it("sets the plan shown in reseller_services", async () => {
            const r = await makeReseller(ctx.http);
            const plan = await ctx.http.ok("POST", "openstack/billing/plan", { name: "Wholesale", currency: "EUR" });
            const u = await ctx.http.post(`clients/${r.clientId}/update_reseller_billing_plan`, { plan: plan.id, service: r.serviceId });
            assert.deepEqual([u.status, u.body], [200, { detail: "Plan updated" }]);
            const rs = await ctx.http.ok("GET", `clients/${r.clientId}/reseller_services`);
            assert.deepEqual(rs.resources[String(r.serviceId)].plan, { id: plan.id, name: "Wholesale" });
        });

        it("404 Plan not found / Service not found", async () => {
            const r = await makeReseller(ctx.http);
            const noPlan = await ctx.http.post(`clients/${r.clientId}/update_reseller_billing_plan`, { plan: 9999, service: r.serviceId });
            assert.deepEqual([noPlan.status, noPlan.body], [404, { detail: "Plan not found" }]);
            const plan = (await ctx.http.ok("GET", `clients/${r.clientId}/reseller_services`)).resources[String(r.serviceId)].plan.id;
            const noService = await ctx.http.post(`clients/${r.clientId}/update_reseller_billing_plan`, { plan, service: 9999 });
            assert.deepEqual([noService.status, noService.body], [404, { detail: "Service not found" }]);
        });

        it("a missing key is Fleio's KeyError: HTTP 500, not 400", async () => {
            const r = await makeReseller(ctx.http);
            assert.equal((await ctx.http.post(`clients/${r.clientId}/update_reseller_billing_plan`, { plan: 1 })).status, 500);
            assert.equal((await ctx.http.post(`clients/${r.clientId}/update_reseller_billing_plan`, { service: r.serviceId })).status, 500);
        });
    });

    describe("update_reseller_enduser_panel_url", () => {
        it("stores the value as given (no URL validation) and null clears it", async () => {
            const r = await makeReseller(ctx.http);
            const url = (v: unknown) => ctx.http.post(`clients/${r.clientId}/update_reseller_enduser_panel_url`, { enduser_panel_url: v, service: r.serviceId });
            const read = async () => (await ctx.http.ok("GET", `clients/${r.clientId}/reseller_services`)).resources[String(r.serviceId)].enduser_panel_url;
            const set = await url("http://cloud.reseller.example/");
            assert.deepEqual([set.status, set.body], [200, { detail: "Enduser panel url updated" }]);
            assert.equal(await read(), "http://cloud.reseller.example/");
            await url("not a url");
            assert.equal(await read(), "not a url");
            await url(null);
            assert.equal(await read(), null);
        });

        it("a missing key is a 500; an unknown service a 404", async () => {
            const r = await makeReseller(ctx.http);
            assert.equal((await ctx.http.post(`clients/${r.clientId}/update_reseller_enduser_panel_url`, { service: r.serviceId })).status, 500);
            assert.equal((await ctx.http.post(`clients/${r.clientId}/update_reseller_enduser_panel_url`, { enduser_panel_url: "http://x.example/" })).status, 500);
            const none = await ctx.http.post(`clients/${r.clientId}/update_reseller_enduser_panel_url`, { enduser_panel_url: null, service: 9999 });
            assert.deepEqual([none.status, none.body], [404, { detail: "Service not found" }]);
        });

        it("does not check that the service belongs to the client in the URL (as in Fleio)", async () => {
            const a = await makeReseller(ctx.http);
            const b = await makeReseller(ctx.http);
            await ctx.http.ok("POST", `clients/${a.clientId}/update_reseller_enduser_panel_url`, { enduser_panel_url: "http://b.example/", service: b.serviceId });
            const rs = await ctx.http.ok("GET", `clients/${b.clientId}/reseller_services`);
            assert.equal(rs.resources[String(b.serviceId)].enduser_panel_url, "http://b.example/");
        });
    });

    describe("ending a reseller service (billing/services/{id}/terminate)", () => {
        it("with suspend_instead_of_terminate (out of the box) it only suspends, keeping resources and plan; again: 'not active'", async () => {
            const r = await makeReseller(ctx.http);
            const before = await ctx.http.ok("GET", `clients/${r.clientId}/reseller_services`);
            const t = await ctx.http.post(`billing/services/${r.serviceId}/terminate`);
            assert.deepEqual([t.status, t.body], [202, { detail: "Suspend instead of terminate is enabled for the client. Suspending service." }]);
            const s = await ctx.http.ok("GET", `billing/services/${r.serviceId}`);
            assert.deepEqual([s.status, s.suspend_reason, s.suspend_type], ["suspended", "Suspend instead of terminate is enabled", "staff"]);
            const after = await ctx.http.ok("GET", `clients/${r.clientId}/reseller_services`);
            assert.deepEqual(after.resources, before.resources);
            const again = await ctx.http.post(`billing/services/${r.serviceId}/terminate`);
            assert.deepEqual([again.status, again.body], [202, { detail: "Suspend instead of terminate is enabled for the client and service is not active." }]);
        });

        describe("with the setting false", () => {
            before(() => setSuspendInsteadOfTerminate(ctx.http, false));
            after(() => setSuspendInsteadOfTerminate(ctx.http, true));

            it("terminates it, drops it from reseller_services and lets the client order a new one", async () => {
                const r = await makeReseller(ctx.http);
                const t = await ctx.http.post(`billing/services/${r.serviceId}/terminate`);
                assert.deepEqual([t.status, t.body], [202, { detail: "Terminate in progress" }]);
                const s = await ctx.http.ok("GET", `billing/services/${r.serviceId}`);
                assert.equal(s.status, "terminated");
                assert.ok(s.terminated_at);
                assert.deepEqual(await ctx.http.ok("GET", `clients/${r.clientId}/reseller_services`), { services: [], resources: {} });
                assert.equal((await order(r.clientId)).status, 200);
                const rs = await ctx.http.ok("GET", `clients/${r.clientId}/reseller_services`);
                assert.equal(rs.services.length, 1);
                assert.notEqual(rs.services[0].id, r.serviceId);
            });

            it("a second terminate is 403 (the service is no longer active)", async () => {
                const r = await makeReseller(ctx.http);
                await ctx.http.ok("POST", `billing/services/${r.serviceId}/terminate`);
                const again = await ctx.http.post(`billing/services/${r.serviceId}/terminate`);
                assert.deepEqual([again.status, again.body], [403, { detail: "Service is not active or suspended" }]);
            });

            it("the reseller's plans, configurations and end users go with it", async () => {
                const r = await makeReseller(ctx.http);
                const plan = await ctx.http.ok("POST", "openstack/billing/plan", { name: "Retail", currency: "EUR", reseller_resources: r.rrId });
                await ctx.http.ok("POST", `billing/services/${r.serviceId}/terminate`);
                assert.equal((await ctx.http.get(`openstack/billing/plan/${plan.id}`)).status, 404);
                assert.equal((await ctx.http.ok("GET", `configurations?filtering=reseller_resources:${r.rrId}`)).count, 0);
                assert.equal((await ctx.http.ok("GET", `clients/${r.clientId}`)).status, "active");
            });
        });
    });

    it("a reseller action body without `service` is Django's HTML 500", async () => {
        const r = await makeReseller(ctx.http);
        const res = await ctx.http.post(`clients/${r.clientId}/update_reseller_billing_plan`, { plan: 1 });
        assert.equal(res.status, 500);
        assert.match(res.headers.get("content-type") ?? "", /^text\/html/);
        assert.equal(res.body, "<h1>Server Error (500)</h1>");
    });

    it("with two reseller scopes, configuration 'default' by name is ambiguous: Fleio's MultipleObjectsReturned (500)", async () => {
        await makeReseller(ctx.http);
        const r = await ctx.http.post("clients", clientBody({ configuration: "default" }));
        assert.equal(r.status, 500);
    });
});
