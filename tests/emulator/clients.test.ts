import * as assert from "node:assert/strict";
import { clientBody, makeReseller, sleep, useEmulator } from "./helpers";

describe("emulator: /clients", () => {
    const ctx = useEmulator({ deleteDelayMs: 150 });

    it("gives clients random big-integer ids (above 2^32, JSON-safe), not a sequence", async () => {
        const ids: number[] = [];
        for (let i = 0; i < 5; i++) ids.push((await ctx.http.ok("POST", "clients", clientBody())).id);
        for (const id of ids) {
            assert.ok(Number.isSafeInteger(id), `${id} is a safe integer`);
            assert.ok(id > 2 ** 32, `${id} is above 2^32`);
        }
        assert.equal(new Set(ids).size, 5);
        const steps = ids.slice(1).map((id, i) => id - ids[i]);
        assert.ok(!steps.every((s) => s === 1), "ids are not consecutive");
    });

    it("POST answers 201 with StaffCreateClientSerializer fields (configuration by name, reseller_client 0)", async () => {
        const r = await ctx.http.post("clients", clientBody({ company: "Analytical Engines", currency: "USD" }));
        assert.equal(r.status, 201);
        assert.equal(r.body.currency, "USD");
        assert.equal(r.body.configuration, "default");
        assert.equal(r.body.reseller_client, 0);
        assert.equal("name" in r.body, false);
        const full = await ctx.http.get(`clients/${r.body.id}`);
        assert.equal(full.body.name, "Ada Lovelace");
        assert.equal(full.body.long_name, "Analytical Engines (Ada Lovelace)");
        assert.equal(full.body.country_name, "United Kingdom");
        assert.equal(full.body.reseller_client, null);
        assert.equal(full.body.belongs_to_reseller, false);
        assert.equal(full.body.reseller_client_details, null);
        assert.equal(full.body.status, "active");
    });

    it("currency defaults to the default currency and must exist", async () => {
        assert.equal((await ctx.http.ok("POST", "clients", clientBody())).currency, "EUR");
        const r = await ctx.http.post("clients", clientBody({ currency: "XYZ" }));
        assert.deepEqual([r.status, r.body], [400, { currency: ['Invalid pk "XYZ" - object does not exist.'] }]);
    });

    it("external_billing_id is unique and filterable; neither read serializer renders it", async () => {
        const body = clientBody();
        const c = await ctx.http.ok("POST", "clients", body);
        const dup = await ctx.http.post("clients", { ...body });
        assert.deepEqual([dup.status, dup.body], [400, { external_billing_id: ["client with this external billing id already exists."] }]);
        const found = await ctx.http.get(`clients?external_billing_id=${body.external_billing_id}`);
        assert.deepEqual(found.body.objects.map((o: { id: number }) => o.id), [c.id]);
        assert.equal("external_billing_id" in found.body.objects[0], false);
        assert.equal("external_billing_id" in (await ctx.http.get(`clients/${c.id}`)).body, false);
    });

    it("external_billing_id: null never collides, a second blank one is Fleio's IntegrityError (500)", async () => {
        await ctx.http.ok("POST", "clients", clientBody({ external_billing_id: null }));
        await ctx.http.ok("POST", "clients", clientBody({ external_billing_id: null }));
        await ctx.http.ok("POST", "clients", clientBody({ external_billing_id: "" }));
        assert.equal((await ctx.http.post("clients", clientBody({ external_billing_id: "" }))).status, 500);
    });

    it("email is not unique on clients", async () => {
        await ctx.http.ok("POST", "clients", clientBody({ email: "same@example.org" }));
        await ctx.http.ok("POST", "clients", clientBody({ email: "same@example.org" }));
    });

    it("an unknown configuration name is a 400", async () => {
        const r = await ctx.http.post("clients", clientBody({ configuration: "gold" }));
        assert.deepEqual([r.status, r.body], [400, { configuration: ["Object with name=gold does not exist."] }]);
    });

    it("reseller_client puts the client under that reseller", async () => {
        const reseller = await makeReseller(ctx.http, { first_name: "Res", last_name: "Eller" });
        const c = await ctx.http.ok("POST", "clients", clientBody({ reseller_client: reseller.clientId }));
        const full = await ctx.http.ok("GET", `clients/${c.id}`);
        assert.equal(full.reseller_client, reseller.clientId);
        assert.equal(full.belongs_to_reseller, true);
        assert.deepEqual(full.reseller_client_details, { name: "Res Eller", id: reseller.clientId });
        const brief = await ctx.http.ok("GET", `clients?id=${c.id}`);
        assert.deepEqual(brief.objects[0].reseller_client_details, { name: "Res Eller", id: reseller.clientId });
        const withService = await ctx.http.ok("GET", "clients?has_reseller_service=true&page_size=1000");
        assert.deepEqual(
            withService.objects.map((o: { id: number }) => o.id),
            [reseller.clientId],
        );
    });

    it("PUT requires custom_fields; PATCH is partial", async () => {
        const c = await ctx.http.ok("POST", "clients", clientBody());
        const put = await ctx.http.put(`clients/${c.id}`, { ...clientBody(), external_billing_id: undefined });
        assert.deepEqual([put.status, put.body], [400, { custom_fields: ["This field is required."] }]);
        const ok = await ctx.http.put(`clients/${c.id}`, { ...clientBody(), external_billing_id: undefined, custom_fields: [], city: "Paris", country: "FR" });
        assert.equal(ok.status, 200);
        assert.equal(ok.body.city, "Paris");
        const patch = await ctx.http.patch(`clients/${c.id}`, { phone: "+33 1 23 45 67 89" });
        assert.equal(patch.status, 200);
        const full = await ctx.http.ok("GET", `clients/${c.id}`);
        assert.deepEqual([full.city, full.country, full.phone], ["Paris", "FR", "+33 1 23 45 67 89"]);
        const bad = await ctx.http.patch(`clients/${c.id}`, { zip_code: "12345678901" });
        assert.deepEqual([bad.status, bad.body], [400, { zip_code: ["Ensure this field has no more than 10 characters."] }]);
    });

    it("an update without reseller_client detaches the client from its reseller (Fleio's update serializer)", async () => {
        const reseller = await makeReseller(ctx.http);
        const c = await ctx.http.ok("POST", "clients", clientBody({ reseller_client: reseller.clientId }));
        await ctx.http.ok("PATCH", `clients/${c.id}`, { reseller_client: reseller.clientId, city: "Rome" });
        assert.equal((await ctx.http.ok("GET", `clients/${c.id}`)).reseller_client, reseller.clientId);
        await ctx.http.ok("PATCH", `clients/${c.id}`, { city: "Milan" });
        assert.equal((await ctx.http.ok("GET", `clients/${c.id}`)).reseller_client, null);
    });

    it("DELETE answers 202 Client delete scheduled; the client is 'deleting', then gone (404) after the delay", async () => {
        const c = await ctx.http.ok("POST", "clients", clientBody());
        const del = await ctx.http.del(`clients/${c.id}`);
        assert.deepEqual([del.status, del.body], [202, { detail: "Client delete scheduled" }]);
        const during = await ctx.http.get(`clients/${c.id}`);
        assert.equal(during.status, 200);
        assert.equal(during.body.status, "deleting");
        await sleep(250);
        const after = await ctx.http.get(`clients/${c.id}`);
        assert.deepEqual([after.status, after.body], [404, { detail: "Not found." }]);
        assert.equal((await ctx.http.del(`clients/${c.id}`)).status, 404);
    });

    it("deleting a reseller client removes its reseller service, resources, plans and configurations", async () => {
        const r = await makeReseller(ctx.http);
        const plan = await ctx.http.ok("POST", "openstack/billing/plan", { name: "Owned", currency: "EUR", reseller_resources: r.rrId });
        await ctx.http.ok("DELETE", `clients/${r.clientId}`);
        await sleep(250);
        assert.equal((await ctx.http.get(`billing/services/${r.serviceId}`)).status, 404);
        assert.equal((await ctx.http.get(`openstack/billing/plan/${plan.id}`)).status, 404);
        const configs = await ctx.http.ok("GET", `configurations?filtering=reseller_resources:${r.rrId}`);
        assert.equal(configs.count, 0);
    });
});
