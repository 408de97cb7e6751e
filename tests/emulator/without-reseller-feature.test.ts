import * as assert from "node:assert/strict";
import { clientBody, Http, RESELLER_PRODUCT, MONTHLY_CYCLE, useEmulator } from "./helpers";

/**
 * A Fleio released after the reseller feature was removed (shared/fleio-api.md,
 * "Versions and the reseller feature": Fleio's docs from 2022.09/2022.10 announce its
 * removal; such a Fleio answers 404 on `clients/{id}/reseller_services` and has no
 * product of type `reseller`). An unrouted URL is Django's HTML 404 ([O]: "an unknown
 * path → 404 text/html").
 */
describe("emulator: a Fleio without the reseller feature (resellerFeature: false)", () => {
    const ctx = useEmulator({ resellerFeature: false });

    it("has no product of type reseller, even in the demo setup", async () => {
        const products = (await ctx.http.ok("GET", "billing/products")).objects as { id: number; product_type: string }[];
        assert.deepEqual(products.filter((p) => p.product_type === "reseller"), []);
        assert.ok(!products.some((p) => p.id === RESELLER_PRODUCT));
        const cycles = (await ctx.http.ok("GET", "billing/productcycles")).objects as { id: number }[];
        assert.ok(!cycles.some((c) => c.id === MONTHLY_CYCLE), "the reseller product's cycles are not there either");
    });

    it("answers the reseller client actions with Django's HTML 404, for a client that exists", async () => {
        const c = await ctx.http.ok("POST", "clients", clientBody());
        for (const [method, action] of [["GET", "reseller_services"], ["GET", "new_reseller_service_data"], ["POST", "create_reseller_service"], ["POST", "update_reseller_billing_plan"], ["POST", "update_reseller_enduser_panel_url"]] as const) {
            const r = await ctx.http.call(method, `clients/${c.id}/${action}`, method === "POST" ? {} : undefined);
            assert.equal(r.status, 404, `${method} ${action}`);
            assert.match(r.headers.get("content-type") ?? "", /text\/html/, `${action}: not routed at all, so not DRF's JSON 404`);
        }
        assert.equal((await ctx.http.call("GET", `clients/${c.id}`)).status, 200, "the client itself is there");
    });

    it("has no reseller API", async () => {
        const r = await new Http(ctx.em, ctx.em.staffToken, "resellerapi").call("GET", "clients");
        assert.equal(r.status, 404);
        assert.match(r.headers.get("content-type") ?? "", /text\/html/);
    });

    it("ignores has_reseller_service on the client list (django-filter ignores an unknown filter)", async () => {
        const all = await ctx.http.ok("GET", "clients");
        const filtered = await ctx.http.ok("GET", "clients?has_reseller_service=true");
        assert.ok(all.count > 0);
        assert.equal(filtered.count, all.count);
    });
});

describe("emulator: with the reseller feature (the default)", () => {
    const ctx = useEmulator();
    it("routes reseller_services (a JSON answer) and lists the reseller product", async () => {
        const c = await ctx.http.ok("POST", "clients", clientBody());
        const r = await ctx.http.call("GET", `clients/${c.id}/reseller_services`);
        assert.equal(r.status, 200);
        assert.deepEqual(r.body, { services: [], resources: {} });
        assert.equal((await ctx.http.ok("GET", "clients?has_reseller_service=true")).count, 0, "the filter narrows");
        assert.ok((await ctx.http.ok("GET", "billing/products")).objects.some((p: { product_type: string }) => p.product_type === "reseller"));
    });
});
