import * as assert from "node:assert/strict";
import { makeReseller, useEmulator } from "./helpers";

// What the provider uses to take back a reseller Fleio kept suspended after a delete:
// the staff `resume` actions of a client (as fleio-whmcs calls it) and of a service.
describe("resuming what Fleio kept suspended", () => {
    const ctx = useEmulator();

    it("a deleted (so suspended) reseller client and its terminated (so suspended) service become active again", async () => {
        const r = await makeReseller(ctx.http);
        await ctx.http.ok("POST", `billing/services/${r.serviceId}/terminate`);
        assert.equal((await ctx.http.del(`clients/${r.clientId}`)).status, 204);
        assert.equal((await ctx.http.ok("GET", `clients/${r.clientId}`)).status, "suspended");
        assert.equal((await ctx.http.ok("GET", `billing/services/${r.serviceId}`)).status, "suspended");

        assert.deepEqual(await ctx.http.ok("POST", `clients/${r.clientId}/resume`), { detail: "Client resumed" });
        assert.equal((await ctx.http.ok("GET", `clients/${r.clientId}`)).status, "active");
        assert.equal((await ctx.http.ok("GET", `billing/services/${r.serviceId}`)).status, "suspended", "a service is resumed by its own action");

        assert.deepEqual(await ctx.http.ok("POST", `billing/services/${r.serviceId}/resume`), { detail: "Service resumed" });
        const s = await ctx.http.ok("GET", `billing/services/${r.serviceId}`);
        assert.equal(s.status, "active");
        assert.equal(s.suspend_reason, null);
        const rs = await ctx.http.ok("GET", `clients/${r.clientId}/reseller_services`);
        assert.equal(rs.services[0].status, "active");
        assert.ok(rs.resources[String(r.serviceId)], "its reseller resources were kept throughout");
    });

    it("resuming a service that is not suspended is refused (403); a client that is not suspended stays as it is", async () => {
        const r = await makeReseller(ctx.http);
        const again = await ctx.http.post(`billing/services/${r.serviceId}/resume`);
        assert.equal(again.status, 403);
        await ctx.http.ok("POST", `clients/${r.clientId}/resume`);
        assert.equal((await ctx.http.ok("GET", `clients/${r.clientId}`)).status, "active");
    });
});
