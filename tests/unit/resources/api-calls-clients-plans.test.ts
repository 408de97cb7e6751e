import * as assert from "node:assert/strict";
import { API, dropped, firstPage, fleio, page, provider, useFleioMock, withRetries } from "../support/resource-harness";

// The exact Fleio calls of Reseller, OpenstackPlan and Configuration, and how their
// answers map back to outputs.

/** What the provider tells the user (provider/notice.ts writes to stderr) while `run` runs. */
async function captureNotices(run: () => Promise<unknown>): Promise<string> {
    let printed = "";
    const write = process.stderr.write.bind(process.stderr);
    process.stderr.write = ((chunk: string | Uint8Array) => ((printed += String(chunk)), true)) as typeof process.stderr.write;
    try {
        await run();
    } finally {
        process.stderr.write = write;
    }
    return printed;
}

const resellerInputs = { firstName: "Ada", lastName: "Op", email: "ada@example.com", phone: "+49 1", address1: "1 St", city: "Berlin", zipCode: "10115", country: "DE", currency: "EUR", externalBillingId: "acme" };
const clientBody = {
    first_name: "Ada", last_name: "Op", company: "", email: "ada@example.com", phone: "+49 1", fax: "", address1: "1 St", address2: "", city: "Berlin",
    state: "", zip_code: "10115", country: "DE", currency: "EUR", vat_id: "", external_billing_id: "acme",
};
// As Fleio renders a client: no external_billing_id, blanks as "".
const apiClient = { id: 908172635, name: "Ada Op", first_name: "Ada", last_name: "Op", company: "", email: "ada@example.com", phone: "+49 1", fax: "", address1: "1 St", address2: "", city: "Berlin", state: "", zip_code: "10115", country: "DE", currency: "EUR", vat_id: "", status: "active", date_created: "2026-11-25T00:00:00Z" };

describe("Reseller: Fleio calls", () => {
    useFleioMock();
    const r = provider("Reseller");

    it("create: POST clients with the snake_case body; the answer is enough, no read-back", async () => {
        fleio().post(`${API}/clients`, { ...clientBody, create_auto_order_service: false }).reply(201, { id: 908172635, ...clientBody });
        const { id, outs } = await r.create!({ ...resellerInputs });
        assert.equal(id, "908172635");
        assert.equal(outs.clientId, "908172635");
        assert.equal(outs.zipCode, "10115");
        assert.equal(outs.name, "Ada Op", "Fleio's Client.name, computed as Fleio does");
        assert.equal(outs.externalBillingId, "acme", "kept: Fleio never returns it");
        assert.equal("company" in outs, false, "a blank company is absent, not \"\"");
        assert.equal(outs.status, "active");
    });

    it("create whose answer is lost: not re-sent, found by external id, and read whole (the list has no address)", async () => {
        const { fax: _f, address1: _a1, address2: _a2, zip_code: _z, ...listed } = apiClient;
        fleio().post(`${API}/clients`).replyWithError(dropped());
        fleio().get(`${API}/clients`).query({ external_billing_id: "acme", ...firstPage }).reply(200, page([listed]));
        fleio().get(`${API}/clients/908172635`).reply(200, apiClient);
        const { id, outs } = await r.create!({ ...resellerInputs });
        assert.equal(id, "908172635");
        assert.equal(outs.address1, "1 St");
        assert.equal(outs.zipCode, "10115");
    });

    it("create answered 500 that did not land is sent again (within the retry budget)", async () => {
        await withRetries(1);
        fleio().post(`${API}/clients`).reply(500, "<h1>Server Error (500)</h1>", { "content-type": "text/html" });
        fleio().get(`${API}/clients`).query({ external_billing_id: "acme", ...firstPage }).reply(200, page([]));
        fleio().post(`${API}/clients`).reply(201, { id: 77, ...clientBody });
        const { id } = await r.create!({ ...resellerInputs });
        assert.equal(id, "77");
    });

    it("a failed look-up after a failed POST reports the POST as the request that failed", async () => {
        fleio().post(`${API}/clients`).reply(500, "<h1>Server Error (500)</h1>", { "content-type": "text/html" });
        fleio().get(`${API}/clients`).query({ external_billing_id: "acme", ...firstPage }).reply(502, "bad gateway");
        await assert.rejects(r.create!({ ...resellerInputs }), /^Error: fleio:Reseller create: Fleio POST \/clients failed: HTTP 500.*looking for client with externalBillingId acme afterwards failed too/);
    });

    it("an external billing id Fleio already holds (an interrupted run, or a client Fleio kept) is taken over", async () => {
        fleio().post(`${API}/clients`).reply(400, { external_billing_id: ["client with this external billing id already exists."] });
        fleio().get(`${API}/clients`).query({ external_billing_id: "acme", ...firstPage }).reply(200, page([{ ...apiClient, id: 31, status: "suspended" }]));
        fleio().post(`${API}/clients/31/resume`, {}).reply(200, { detail: "ok" });
        fleio().patch(`${API}/clients/31`, clientBody).reply(200, { ...apiClient, id: 31 });
        const { id, outs } = await r.create!({ ...resellerInputs });
        assert.equal(id, "31");
        assert.equal(outs.status, "active");
    });

    it("a kept, suspended client in another currency releases the external id to the new client", async () => {
        fleio().post(`${API}/clients`).reply(400, { external_billing_id: ["client with this external billing id already exists."] });
        fleio().get(`${API}/clients`).query({ external_billing_id: "acme", ...firstPage }).reply(200, page([{ ...apiClient, id: 31, currency: "USD", status: "suspended" }]));
        // PUT, not PATCH: Fleio's PATCH goes through a serializer without external_billing_id.
        fleio().get(`${API}/clients/31`).reply(200, { ...apiClient, id: 31, currency: "USD", status: "suspended", custom_fields: [] });
        fleio().put(`${API}/clients/31`, { ...clientBody, currency: "USD", external_billing_id: null, custom_fields: [] }).reply(200, { ...apiClient, id: 31 });
        fleio().post(`${API}/clients`).reply(201, { id: 32, ...clientBody });
        const { id } = await r.create!({ ...resellerInputs });
        assert.equal(id, "32");
    });

    it("an active client in another currency holding the external id is an error naming it", async () => {
        fleio().post(`${API}/clients`).reply(400, { external_billing_id: ["client with this external billing id already exists."] });
        fleio().get(`${API}/clients`).query({ external_billing_id: "acme", ...firstPage }).reply(200, page([{ ...apiClient, id: 31, currency: "USD" }]));
        await assert.rejects(r.create!({ ...resellerInputs }), /externalBillingId acme belongs to active client 31 in USD/);
    });

    it("create without an external id refuses an active look-alike (it may be an interrupted run's), naming adopt", async () => {
        const { externalBillingId: _x, ...noExternal } = resellerInputs;
        fleio().get(`${API}/clients`).query({ search: "ada@example.com", ...firstPage }).reply(200, page([{ ...apiClient, id: 1 }, { ...apiClient, id: 9, first_name: "Eve" }]));
        await assert.rejects(r.create!(noExternal), /already exists in Fleio \(id 1\).*adopt: "1".*externalBillingId/);
    });

    it("read maps the client; 404 and status 'deleting' drop it from state", async () => {
        fleio().get(`${API}/clients/5`).reply(200, { ...apiClient, id: 5, city: "Hamburg" });
        const read = await r.read!("5", { ...resellerInputs, clientId: "5" });
        assert.equal(read.props.city, "Hamburg");
        fleio().get(`${API}/clients/6`).reply(404, { detail: "Not found." });
        assert.deepEqual(await r.read!("6", {}), {});
        fleio().get(`${API}/clients/7`).reply(200, { ...apiClient, id: 7, status: "deleting" });
        assert.deepEqual(await r.read!("7", {}), {});
    });

    it("update: PATCH clients/{id} (PUT would demand custom_fields); Fleio answers the full client", async () => {
        fleio().get(`${API}/clients/5`).reply(200, { ...apiClient, id: 5 });
        fleio().patch(`${API}/clients/5`, { ...clientBody, city: "Hamburg" }).reply(200, { ...apiClient, id: 5, city: "Hamburg" });
        const { outs } = await r.update!("5", { ...resellerInputs }, { ...resellerInputs, city: "Hamburg" });
        assert.equal(outs.city, "Hamburg");
    });

    it("delete: DELETE answered 204, then polls until the client is gone (terminate)", async () => {
        fleio().delete(`${API}/clients/5`).reply(204);
        fleio().get(`${API}/clients/5`).reply(200, { ...apiClient, id: 5, status: "active", suspend_instead_of_terminate: false });
        fleio().get(`${API}/clients/5`).reply(404, { detail: "Not found." });
        await r.delete!("5", {});
    });

    it("delete: a client Fleio only suspends (suspend_instead_of_terminate) is done once suspended", async () => {
        fleio().delete(`${API}/clients/5`).reply(204);
        fleio().get(`${API}/clients/5`).reply(200, { ...apiClient, id: 5, status: "suspended", suspend_instead_of_terminate: true });
        await r.delete!("5", {});
    });

    it("delete of a client already gone succeeds", async () => {
        fleio().delete(`${API}/clients/5`).reply(404, { detail: "Not found." });
        await r.delete!("5", {});
    });

    it("adopt reads the client, refuses another currency, and converges it", async () => {
        fleio().get(`${API}/clients/42`).reply(200, { ...apiClient, id: 42, currency: "USD" });
        await assert.rejects(r.create!({ ...resellerInputs, adopt: "42" }), /client 42 uses currency USD, not EUR; set currency to "USD"/);
        fleio().get(`${API}/clients/43`).reply(200, { ...apiClient, id: 43, city: "Old" });
        fleio().patch(`${API}/clients/43`, clientBody).reply(200, { ...apiClient, id: 43 });
        const { id, outs } = await r.create!({ ...resellerInputs, adopt: "43" });
        assert.equal(id, "43");
        assert.equal(outs.city, "Berlin");
    });
});

const apiPlan = { id: 3, name: "Plan", currency: "EUR", is_default: false, reseller_resources: null, services_count: 0, pricing_rules: [] };

describe("OpenstackPlan: Fleio calls", () => {
    useFleioMock();
    const p = provider("OpenstackPlan");

    it("create: one scan of the plans per run, then POST; the answer is the plan", async () => {
        fleio().get(`${API}/openstack/billing/plan`).query({ ordering: "id", ...firstPage }).reply(200, page([{ ...apiPlan, id: 1, name: "Default" }]));
        fleio().post(`${API}/openstack/billing/plan`, { name: "Plan", currency: "EUR", is_default: false }).reply(201, apiPlan);
        const { id, outs } = await p.create!({ name: "Plan", currency: "EUR", isDefault: false });
        assert.equal(id, "3");
        assert.deepEqual(outs, { name: "Plan", currency: "EUR", isDefault: false, planId: "3", servicesCount: 0 });
        // A second plan in the same run: no second scan, and the first one counts.
        fleio().post(`${API}/openstack/billing/plan`).reply(201, { ...apiPlan, id: 4, name: "Other" });
        await p.create!({ name: "Other", currency: "EUR", isDefault: false });
        await assert.rejects(p.create!({ name: "Plan", currency: "EUR", isDefault: false }), /already exists in Fleio \(id 3\)/);
        // Deleting another plan needs no new list either: the run knows its plans, its own new ones included.
        fleio().delete(`${API}/openstack/billing/plan/1`).query({ plan_to_migrate: "3" }).reply(200, { detail: "ok" });
        await p.delete!("1", { planId: "1" });
    });

    it("a same-named plan already in the scope stops the create with its id and adopt (names are not unique)", async () => {
        fleio().get(`${API}/openstack/billing/plan`).query({ ordering: "id", ...firstPage }).reply(200, page([apiPlan, { ...apiPlan, id: 5, reseller_resources: 4 }]));
        await assert.rejects(p.create!({ name: "Plan", currency: "EUR", isDefault: false }), /plan "Plan" \(EUR\) in this scope already exists in Fleio \(id 3\).*adopt: "3"/);
    });

    it("create owned by a reseller sends its reseller_resources id", async () => {
        fleio().get(`${API}/clients/5/reseller_services`).reply(200, { services: [{ id: 11, status: "active" }], resources: { "11": { id: 4, service: 11, plan: null, enduser_panel_url: null } } });
        // Fleio ignores filtering: a same-named plan of another scope is no obstacle.
        fleio().get(`${API}/openstack/billing/plan`).query({ ordering: "id", ...firstPage }).reply(200, page([{ ...apiPlan, name: "Retail" }]));
        fleio().post(`${API}/openstack/billing/plan`, { name: "Retail", currency: "EUR", is_default: true, reseller_resources: 4 }).reply(201, { ...apiPlan, id: 6, name: "Retail", is_default: true, reseller_resources: 4 });
        const { outs } = await p.create!({ name: "Retail", currency: "EUR", isDefault: true, resellerClientId: "5" });
        assert.equal(outs.resellerResourcesId, "4");
    });

    it("the reseller API renders no reseller_resources: outputs leave it absent, never the text \"undefined\"", async () => {
        const { reseller_resources: _r, ...noScope } = apiPlan;
        fleio().get(`${API}/openstack/billing/plan/3`).reply(200, noScope);
        const read = await p.read!("3", { name: "Plan", currency: "EUR", isDefault: false, planId: "3", resellerResourcesId: "undefined" });
        assert.equal("resellerResourcesId" in read.props, false);
    });

    it("update: PUT with name, currency, is_default; the answer is wrapped in {plan}", async () => {
        fleio().get(`${API}/openstack/billing/plan/3`).reply(200, apiPlan);
        // Not the default: one scan per run sees that another plan of its scope is (Fleio's rule).
        fleio().get(`${API}/openstack/billing/plan`).query({ ordering: "id", ...firstPage }).reply(200, page([{ ...apiPlan, id: 1, is_default: true }, apiPlan]));
        fleio().put(`${API}/openstack/billing/plan/3`, { name: "Plan 2", currency: "EUR", is_default: false }).reply(200, { plan: { ...apiPlan, name: "Plan 2" } });
        const { outs } = await p.update!("3", { name: "Plan", currency: "EUR", isDefault: false }, { name: "Plan 2", currency: "EUR", isDefault: false });
        assert.equal(outs.name, "Plan 2");
    });

    it("update to the default: the plan's read and the PUT (Fleio always accepts it), no scan", async () => {
        fleio().get(`${API}/openstack/billing/plan/3`).reply(200, apiPlan);
        fleio().put(`${API}/openstack/billing/plan/3`, { name: "Plan", currency: "EUR", is_default: true }).reply(200, { plan: { ...apiPlan, is_default: true } });
        const { outs } = await p.update!("3", { name: "Plan", currency: "EUR", isDefault: false }, { name: "Plan", currency: "EUR", isDefault: true });
        assert.equal(outs.isDefault, true);
    });

    it("Fleio with no default staff plan: the update first makes Fleio's own \"default\" staff plan, once per run, and says so", async () => {
        fleio().get(`${API}/openstack/billing/plan/3`).reply(200, apiPlan);
        fleio().get(`${API}/openstack/billing/plan`).query({ ordering: "id", ...firstPage }).reply(200, page([apiPlan, { ...apiPlan, id: 4, name: "Other" }]));
        fleio().get(`${API}/openstack/billing/plan/create_options`).reply(200, { currencies: [{ code: "USD", is_default: false }, { code: "EUR", is_default: true }] });
        fleio().post(`${API}/openstack/billing/plan`, { name: "default", currency: "EUR", is_default: true }).reply(201, { ...apiPlan, id: 9, name: "default", is_default: true });
        fleio().put(`${API}/openstack/billing/plan/3`, { name: "Plan", currency: "USD", is_default: false }).reply(200, { plan: { ...apiPlan, currency: "USD" } });
        const printed = await captureNotices(() => p.update!("3", { name: "Plan", currency: "EUR", isDefault: false }, { name: "Plan", currency: "USD", isDefault: false }));
        assert.match(printed, /Fleio had no default staff plan, so one was made \(plan 9 "default", EUR\), because Fleio refuses to save staff plan 3/);
        // The second plan's update finds the default just made: nothing more is sent first.
        fleio().get(`${API}/openstack/billing/plan/4`).reply(200, { ...apiPlan, id: 4, name: "Other" });
        fleio().put(`${API}/openstack/billing/plan/4`, { name: "Other 2", currency: "EUR", is_default: false }).reply(200, { plan: { ...apiPlan, id: 4, name: "Other 2" } });
        await p.update!("4", { name: "Other", currency: "EUR", isDefault: false }, { name: "Other 2", currency: "EUR", isDefault: false });
    });

    it("a reseller's scope with no other default plan: the update is refused before anything is sent, with the fix", async () => {
        fleio().get(`${API}/openstack/billing/plan/3`).reply(200, { ...apiPlan, reseller_resources: 4 });
        fleio().get(`${API}/openstack/billing/plan`).query({ ordering: "id", ...firstPage }).reply(200, page([{ ...apiPlan, id: 1, is_default: true }, { ...apiPlan, reseller_resources: 4 }, { ...apiPlan, id: 5, is_default: true, reseller_resources: 7 }]));
        await assert.rejects(
            p.update!("3", { name: "Plan", currency: "EUR", isDefault: false, resellerClientId: "5", resellerResourcesId: "4" }, { name: "Plan 2", currency: "EUR", isDefault: false, resellerClientId: "5" }),
            /Fleio refuses to save this plan with isDefault false: no plan of the reseller's scope is its default.*Set isDefault: true on this plan/,
        );
    });

    it("only migrateServicesTo changed: nothing is sent", async () => {
        const olds = { name: "Plan", currency: "EUR", isDefault: false, planId: "3", servicesCount: 0 };
        const { outs } = await p.update!("3", olds, { name: "Plan", currency: "EUR", isDefault: false, migrateServicesTo: "1" });
        assert.deepEqual(outs, { ...olds, migrateServicesTo: "1" });
    });

    it("adopt of a plan that is already as declared sends no update", async () => {
        fleio().get(`${API}/openstack/billing/plan/3`).reply(200, apiPlan);
        const { id, outs } = await p.create!({ name: "Plan", currency: "EUR", isDefault: false, adopt: "3" });
        assert.equal(id, "3");
        assert.equal(outs.planId, "3");
    });

    it("delete: moves its services to the default plan of its own scope, filtering Fleio's whole list itself", async () => {
        fleio().get(`${API}/openstack/billing/plan`).query({ ordering: "id", ...firstPage }).reply(200, page([
            { ...apiPlan, id: 1, is_default: true, reseller_resources: 9 }, // another reseller's default: never the target
            { ...apiPlan, id: 2 },
            apiPlan,
            { ...apiPlan, id: 4, is_default: true },
        ]));
        fleio().delete(`${API}/openstack/billing/plan/3`).query({ plan_to_migrate: "4" }).reply(200, { detail: "Plan Plan deleted and 0 services migrated to plan Default" });
        await p.delete!("3", { planId: "3", resellerResourcesId: "undefined" });
    });

    it("delete of a reseller's last plan hands its services to the staff default plan", async () => {
        fleio().get(`${API}/openstack/billing/plan`).query({ ordering: "id", ...firstPage }).reply(200, page([{ ...apiPlan, id: 1, is_default: true }, { ...apiPlan, reseller_resources: 4, is_default: true }]));
        fleio().delete(`${API}/openstack/billing/plan/3`).query({ plan_to_migrate: "1" }).reply(200, { detail: "ok" });
        await p.delete!("3", { planId: "3" });
    });

    it("delete honours migrateServicesTo", async () => {
        fleio().delete(`${API}/openstack/billing/plan/3`).query({ plan_to_migrate: "2" }).reply(200, { detail: "ok" });
        await p.delete!("3", { migrateServicesTo: "2" });
    });

    it("Fleio's 500 page for a plan a reseller still points at becomes an error that says what to move", async () => {
        fleio().get(`${API}/openstack/billing/plan`).query({ ordering: "id", ...firstPage }).reply(200, page([{ ...apiPlan, id: 1, is_default: true }, apiPlan]));
        fleio().delete(`${API}/openstack/billing/plan/3`).query({ plan_to_migrate: "1" }).reply(500, "<h1>Server Error (500)</h1>", { "content-type": "text/html" });
        await assert.rejects(p.delete!("3", { planId: "3" }), /refused to delete plan 3 \(HTTP 500\): a reseller service is still priced by it/);
    });

    it("read of a deleted plan drops it; delete of a deleted plan succeeds", async () => {
        fleio().get(`${API}/openstack/billing/plan/3`).reply(404, { detail: "Not found." });
        assert.deepEqual(await p.read!("3", {}), {});
        fleio().get(`${API}/openstack/billing/plan`).query({ ordering: "id", ...firstPage }).reply(200, page([{ ...apiPlan, id: 1, is_default: true }]));
        await p.delete!("3", {});
    });
});

const apiConfig = { id: 8, name: "cfg", description: "d", is_default: false, reseller_resources: null, client_count: 0 };

describe("Configuration: Fleio calls", () => {
    useFleioMock();
    const c = provider("Configuration");

    it("create: a staff configuration (names not unique there) after one scan per run; POST answers the object", async () => {
        fleio().get(`${API}/configurations`).query(firstPage).reply(200, page([{ ...apiConfig, id: 1, name: "default", is_default: true }]));
        fleio().post(`${API}/configurations`, { name: "cfg", description: "d", is_default: false }).reply(201, apiConfig);
        const { id, outs } = await c.create!({ name: "cfg", description: "d", isDefault: false });
        assert.equal(id, "8");
        assert.equal(outs.configurationId, "8");
        assert.equal(outs.clientCount, 0);
    });

    it("a staff configuration of the same name already there stops the create with its id and adopt", async () => {
        fleio().get(`${API}/configurations`).query(firstPage).reply(200, page([{ ...apiConfig, id: 3 }]));
        await assert.rejects(c.create!({ name: "cfg", description: "", isDefault: false }), /already exists in Fleio \(id 3\).*adopt: "3"/);
    });

    it("a name already taken in a reseller's scope (unique there) is taken over", async () => {
        fleio().get(`${API}/clients/5/reseller_services`).reply(200, { services: [{ id: 11, status: "active" }], resources: { "11": { id: 4, service: 11, plan: null, enduser_panel_url: null } } });
        fleio().post(`${API}/configurations`).reply(400, { non_field_errors: ["The fields name, reseller_resources must make a unique set."] });
        fleio().get(`${API}/configurations`).query({ search: "cfg", ...firstPage }).reply(200, page([{ ...apiConfig, id: 3, reseller_resources: 4 }, { ...apiConfig, id: 2 }]));
        fleio().put(`${API}/configurations/3`, { name: "cfg", description: "", is_default: false, reseller_resources: 4 }).reply(200, { ...apiConfig, id: 3, description: "", reseller_resources: 4 });
        const { id } = await c.create!({ name: "cfg", description: "", isDefault: false, resellerClientId: "5" });
        assert.equal(id, "3");
    });

    it("update: PUT the whole configuration, keeping its owner", async () => {
        fleio().get(`${API}/configurations/8`).reply(200, { ...apiConfig, reseller_resources: 4 });
        fleio().put(`${API}/configurations/8`, { name: "cfg", description: "e", is_default: false, reseller_resources: 4 }).reply(200, { ...apiConfig, description: "e", reseller_resources: 4 });
        const { outs } = await c.update!("8", { resellerResourcesId: "4" }, { name: "cfg", description: "e", isDefault: false, resellerClientId: "5" });
        assert.equal(outs.description, "e");
    });

    it("read of a 404 drops it; delete is DELETE and a 404 is fine", async () => {
        fleio().get(`${API}/configurations/8`).reply(404, { detail: "Not found." });
        assert.deepEqual(await c.read!("8", {}), {});
        fleio().delete(`${API}/configurations/8`).reply(204);
        await c.delete!("8", {});
        fleio().delete(`${API}/configurations/8`).reply(404, { detail: "Not found." });
        await c.delete!("8", {});
    });
});
