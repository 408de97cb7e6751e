import * as assert from "node:assert/strict";
import { startEmulator } from "../../emulator";
import { clientBody, Http, makeReseller, setSuspendInsteadOfTerminate, sleep, useEmulator } from "./helpers";

describe("emulator: /clients", () => {
    const ctx = useEmulator({ deleteDelayMs: 150 });

    it("gives clients random 6-digit ids, not a sequence, replayed from the seed", async () => {
        const ids: number[] = [];
        for (let i = 0; i < 5; i++) ids.push((await ctx.http.ok("POST", "clients", clientBody())).id);
        for (const id of ids) assert.ok(Number.isInteger(id) && id >= 100000 && id <= 999999, `${id} has 6 digits`);
        assert.equal(new Set(ids).size, 5);
        const steps = ids.slice(1).map((id, i) => id - ids[i]);
        assert.ok(!steps.every((s) => s === 1), "ids are not consecutive");
        const a = await startEmulator({ seed: 99 });
        const b = await startEmulator({ seed: 99 });
        try {
            const first = await new Http(a).ok("POST", "clients", clientBody());
            assert.equal((await new Http(b).ok("POST", "clients", clientBody())).id, first.id, "same seed, same first id");
        } finally {
            await a.close();
            await b.close();
        }
    });

    it("a new client lists uptodate_credit null, configuration_name '', suspend_instead_of_terminate true; detail has credits", async () => {
        const c = await ctx.http.ok("POST", "clients", clientBody({ currency: "EUR" }));
        const listed = (await ctx.http.ok("GET", `clients?id=${c.id}`)).objects[0];
        assert.equal(listed.uptodate_credit, null);
        assert.equal(listed.configuration_name, "");
        assert.equal(listed.suspend_instead_of_terminate, true);
        const full = await ctx.http.ok("GET", `clients/${c.id}`);
        assert.deepEqual(full.credits, [{ client: c.id, currency: "EUR", amount: "0.00" }]);
        assert.equal(full.suspend_instead_of_terminate, true);
    });

    it("POST answers 201 with StaffCreateClientSerializer fields (configuration by name, reseller_client 0)", async () => {
        const r = await ctx.http.post("clients", clientBody({ company: "Analytical Engines", currency: "USD" }));
        assert.equal(r.status, 201);
        assert.equal(r.body.currency, "USD");
        // no configuration given: none is set (the client follows its scope's default)
        assert.equal(r.body.configuration, null);
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

    // fleio-api.md, "Versions and the reseller feature": "Client `email` is a Django
    // `EmailField`: Django 2.2's `EmailValidator` accepts the domain `localhost` and IDN
    // domains" (django/core/validators.py, EmailValidator: domain_whitelist ['localhost'],
    // then the domain's IDNA form). Each address goes through POST and PATCH.
    it("email is checked as Django 2.2's EmailValidator checks it: localhost, IDN and IP literals pass", async () => {
        const accepted = ["ops@localhost", "joerg@bücher.example", "ada@xn--bcher-kva.example", "ada@[192.0.2.1]", "ada@[::1]", '"ada..op"@example.com', "o'brien+x@example.com"];
        for (const email of accepted) {
            const c = await ctx.http.post("clients", clientBody({ email }));
            assert.equal(c.status, 201, `${email}: ${JSON.stringify(c.body)}`);
            assert.equal(c.body.email, email);
            const p = await ctx.http.patch(`clients/${c.body.id}`, { email });
            assert.equal(p.status, 200, `PATCH ${email}`);
        }
        const refused = ["ops", "ops@", "jörg@example.com", "ada..op@example.com", "ada@example.c", "ada@-bad.example", "ada@[999.1.1.1]", "ada@local host"];
        for (const email of refused) {
            const r = await ctx.http.post("clients", clientBody({ email }));
            assert.deepEqual([r.status, r.body], [400, { email: ["Enter a valid email address."] }], email);
        }
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

    it("PUT without reseller_client detaches the client from its reseller (update serializer); PATCH leaves it", async () => {
        const reseller = await makeReseller(ctx.http);
        const c = await ctx.http.ok("POST", "clients", clientBody({ reseller_client: reseller.clientId }));
        await ctx.http.ok("PATCH", `clients/${c.id}`, { city: "Rome" });
        assert.equal((await ctx.http.ok("GET", `clients/${c.id}`)).reseller_client, reseller.clientId);
        await ctx.http.ok("PUT", `clients/${c.id}`, { ...clientBody(), external_billing_id: undefined, custom_fields: [], city: "Milan" });
        assert.equal((await ctx.http.ok("GET", `clients/${c.id}`)).reseller_client, null);
    });

    it("PATCH answers the full client detail (the retrieve shape)", async () => {
        const c = await ctx.http.ok("POST", "clients", clientBody());
        const r = await ctx.http.patch(`clients/${c.id}`, { city: "Turin" });
        assert.equal(r.status, 200);
        assert.deepEqual(r.body, (await ctx.http.get(`clients/${c.id}`)).body);
        assert.equal(r.body.city, "Turin");
        assert.ok("credits" in r.body && "long_name" in r.body && "suspend_instead_of_terminate" in r.body);
    });

    describe("DELETE (suspend_instead_of_terminate of the client's configuration)", () => {
        afterEach(() => setSuspendInsteadOfTerminate(ctx.http, true));

        it("answers 204 with an empty body; with the setting true (out of the box) the client and its services are only suspended", async () => {
            const r = await makeReseller(ctx.http);
            const del = await ctx.http.del(`clients/${r.clientId}`);
            assert.equal(del.status, 204);
            assert.equal(del.body, undefined);
            await sleep(250);
            const after = await ctx.http.get(`clients/${r.clientId}`);
            assert.equal(after.status, 200);
            assert.equal(after.body.status, "suspended");
            assert.equal((await ctx.http.ok("GET", `billing/services/${r.serviceId}`)).status, "suspended");
            // the reseller keeps its resources
            assert.equal((await ctx.http.ok("GET", `clients/${r.clientId}/reseller_services`)).services.length, 1);
            assert.equal((await ctx.http.del(`clients/${r.clientId}`)).status, 204);
        });

        it("with the setting false the client goes 'deleting', then is gone (404) after the background task", async () => {
            await setSuspendInsteadOfTerminate(ctx.http, false);
            const c = await ctx.http.ok("POST", "clients", clientBody());
            const del = await ctx.http.del(`clients/${c.id}`);
            assert.deepEqual([del.status, del.body], [204, undefined]);
            assert.equal((await ctx.http.get(`clients/${c.id}`)).body.status, "deleting");
            await sleep(250);
            const after = await ctx.http.get(`clients/${c.id}`);
            assert.deepEqual([after.status, after.body], [404, { detail: "Not found." }]);
            assert.equal((await ctx.http.del(`clients/${c.id}`)).status, 404);
        });

        it("a client with its own configuration follows that configuration's setting", async () => {
            const conf = await ctx.http.ok("POST", "configurations", { name: "no-suspend" });
            await setSuspendInsteadOfTerminate(ctx.http, false, conf.id);
            const c = await ctx.http.ok("POST", "clients", clientBody({ configuration: "no-suspend" }));
            assert.equal((await ctx.http.ok("GET", `clients/${c.id}`)).suspend_instead_of_terminate, false);
            await ctx.http.del(`clients/${c.id}`);
            await sleep(250);
            assert.equal((await ctx.http.get(`clients/${c.id}`)).status, 404);
        });
    });

    it("deleting a reseller client (setting false) removes its reseller service, resources, plans and configurations", async () => {
        await setSuspendInsteadOfTerminate(ctx.http, false);
        const r = await makeReseller(ctx.http);
        const plan = await ctx.http.ok("POST", "openstack/billing/plan", { name: "Owned", currency: "EUR", reseller_resources: r.rrId });
        await ctx.http.ok("DELETE", `clients/${r.clientId}`);
        await sleep(250);
        assert.equal((await ctx.http.get(`billing/services/${r.serviceId}`)).status, 404);
        assert.equal((await ctx.http.get(`openstack/billing/plan/${plan.id}`)).status, 404);
        const configs = await ctx.http.ok("GET", `configurations?filtering=reseller_resources:${r.rrId}`);
        assert.equal(configs.count, 0);
        await setSuspendInsteadOfTerminate(ctx.http, true);
    });
});
