import * as assert from "node:assert/strict";
import { admin, clientBody, Http, makeReseller, resellerToken, setSuspendInsteadOfTerminate, useEmulator } from "./helpers";

/** /backend/resellerapi: each reseller sees and creates only its own objects. */
describe("emulator: reseller API scoping", () => {
    const ctx = useEmulator();
    let a: { clientId: number; rrId: number; http: Http };
    let b: { clientId: number; rrId: number; http: Http };

    before(async () => {
        for (const who of ["a", "b"] as const) {
            const r = await makeReseller(ctx.http, { first_name: who.toUpperCase() });
            const token = await resellerToken(ctx.em, r.clientId);
            const entry = { clientId: r.clientId, rrId: r.rrId, http: ctx.http.as(token, "resellerapi") };
            if (who === "a") a = entry;
            else b = entry;
        }
    });

    it("reseller-token gives a 40-hex token, the same one again on a second call", async () => {
        const first = await admin(ctx.em, "POST", "reseller-token", { client_id: a.clientId });
        const second = await admin(ctx.em, "POST", "reseller-token", { client_id: a.clientId });
        assert.match(first.body.token, /^[0-9a-f]{40}$/);
        assert.deepEqual(second.body, first.body);
        const user = await ctx.http.ok("GET", `users/${first.body.user_id}`);
        assert.equal(user.is_reseller, true);
        const plain = await ctx.http.ok("POST", "clients", clientBody());
        assert.equal((await admin(ctx.em, "POST", "reseller-token", { client_id: plain.id })).status, 400);
    });

    it("a reseller token is refused on the staff API (403)", async () => {
        const token = await resellerToken(ctx.em, a.clientId);
        const r = await ctx.http.as(token).get("clients");
        assert.equal(r.status, 403);
    });

    it("plans created by a reseller belong to it and are invisible to the other reseller (404)", async () => {
        const created = await a.http.post("openstack/billing/plan", { name: "A retail", currency: "EUR", reseller_resources: b.rrId });
        assert.equal(created.status, 201);
        // The reseller serializer hides reseller_resources; the staff view shows who owns it.
        assert.equal("reseller_resources" in created.body, false);
        const staffView = await ctx.http.ok("GET", `openstack/billing/plan/${created.body.id}`);
        assert.equal(staffView.reseller_resources, a.rrId);
        assert.equal(staffView.reseller_client.id, a.clientId);
        assert.equal((await b.http.get(`openstack/billing/plan/${created.body.id}`)).status, 404);
        assert.equal((await b.http.put(`openstack/billing/plan/${created.body.id}`, { name: "stolen", currency: "EUR", is_default: true })).status, 404);
        const listA = await a.http.ok("GET", "openstack/billing/plan");
        assert.deepEqual(
            listA.objects.map((p: { id: number }) => p.id),
            [created.body.id],
        );
        const listB = await b.http.ok("GET", "openstack/billing/plan");
        assert.equal(listB.count, 0, "B sees neither A's plans nor the staff plans");
    });

    it("a reseller cannot migrate a plan's services to another reseller's plan", async () => {
        const mine = await a.http.ok("POST", "openstack/billing/plan", { name: "A tmp", currency: "EUR" });
        const theirs = await b.http.ok("POST", "openstack/billing/plan", { name: "B plan", currency: "EUR" });
        const r = await a.http.del(`openstack/billing/plan/${mine.id}?plan_to_migrate=${theirs.id}`);
        assert.deepEqual([r.status, r.body], [400, { plan_to_migrate: ["Can't migrate to another reseller plan"] }]);
    });

    it("pricing rules only on the reseller's own plans", async () => {
        const planA = await a.http.ok("POST", "openstack/billing/plan", { name: "A rules", currency: "EUR" });
        const rule = { display_name: "r", plan: planA.id, resource: 2, pricing: { prices: [{ f: 0, p: "0.1" }], time_unit: "h" } };
        const created = await a.http.post("openstack/billing/pricerule", rule);
        assert.equal(created.status, 201);
        const onForeignPlan = await b.http.post("openstack/billing/pricerule", rule);
        assert.deepEqual([onForeignPlan.status, onForeignPlan.body], [400, { plan: [`Invalid pk "${planA.id}" - object does not exist.`] }]);
        assert.equal((await b.http.get(`openstack/billing/pricerule/${created.body.id}`)).status, 404);
        assert.equal((await b.http.ok("GET", "openstack/billing/pricerule")).count, 0);
        const options = await a.http.ok("GET", "openstack/billing/pricerule/create_options");
        assert.ok(options.plans.every((p: { id: number }) => p.id !== 1), "no staff plans offered to a reseller");
    });

    it("configurations are scoped too; the name is unique within the reseller's scope", async () => {
        const mine = await a.http.ok("GET", "configurations");
        assert.deepEqual(
            mine.objects.map((c: { name: string; reseller_resources: number }) => [c.name, c.reseller_resources]),
            [["default", a.rrId]],
        );
        const created = await a.http.post("configurations", { name: "premium" });
        assert.equal(created.status, 201);
        assert.equal(created.body.reseller_resources, a.rrId);
        const dup = await a.http.post("configurations", { name: "premium" });
        assert.deepEqual([dup.status, dup.body], [400, { name: "A configuration with this name already exists" }]);
        assert.equal((await b.http.post("configurations", { name: "premium" })).status, 201);
        assert.equal((await b.http.get(`configurations/${created.body.id}`)).status, 404);
        const def = mine.objects[0];
        const delDefault = await a.http.del(`configurations/${def.id}`);
        assert.equal(delDefault.status, 409);
    });

    it("clients: a reseller lists only the clients under it", async () => {
        const c = await ctx.http.ok("POST", "clients", clientBody({ reseller_client: a.clientId }));
        const listA = await a.http.ok("GET", "clients");
        assert.deepEqual(
            listA.objects.map((x: { id: number }) => x.id),
            [c.id],
        );
        assert.equal((await b.http.ok("GET", "clients")).count, 0);
        assert.equal((await b.http.get(`clients/${c.id}`)).status, 404);
    });

    it("a reseller token keeps working while the service is only suspended, and stops when it is terminated", async () => {
        const r = await makeReseller(ctx.http);
        const http = ctx.http.as(await resellerToken(ctx.em, r.clientId), "resellerapi");
        assert.equal((await http.get("configurations")).status, 200);
        await ctx.http.ok("POST", `billing/services/${r.serviceId}/terminate`);
        assert.equal((await http.get("configurations")).status, 200, "suspended: the reseller resources stay");
        await setSuspendInsteadOfTerminate(ctx.http, false);
        try {
            await ctx.http.ok("POST", `billing/services/${r.serviceId}/terminate`);
            assert.equal((await http.get("configurations")).status, 403);
        } finally {
            await setSuspendInsteadOfTerminate(ctx.http, true);
        }
    });
});
