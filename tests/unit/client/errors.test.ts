import * as assert from "node:assert/strict";
import nock from "nock";
import { FleioClient } from "../../../provider/client/http";
import { FleioApiError, flattenDrfErrors } from "../../../provider/client/errors";
import { FLEIO_ORIGIN, STAFF_ROOT, assertAllCalled, netError, rejection, testSettings, useNock } from "../support/fleio-client";

async function apiError(fn: () => Promise<unknown>): Promise<FleioApiError> {
    const err = await rejection(fn);
    assert.ok(err instanceof FleioApiError, `expected FleioApiError, got ${err.name}: ${err.message}`);
    return err;
}

describe("FleioClient turns DRF errors into one readable FleioApiError", () => {
    useNock();

    it('400 {"field": ["msg"]} names method, path, status and each field', async () => {
        nock(FLEIO_ORIGIN)
            .post(`${STAFF_ROOT}/clients`)
            .reply(400, { email: ["Enter a valid email address."], country: ['"XX" is not a valid choice.'] });
        const err = await apiError(() => new FleioClient(testSettings()).post("clients", { email: "nope", country: "XX" }));
        assert.equal(err.method, "POST");
        assert.equal(err.path, "/clients");
        assert.equal(err.status, 400);
        assert.deepEqual(err.fields, { email: ["Enter a valid email address."], country: ['"XX" is not a valid choice.'] });
        assert.match(err.message, /^Fleio POST \/clients failed: HTTP 400/);
        assert.match(err.message, /email: Enter a valid email address\./);
        assert.match(err.message, /country: "XX" is not a valid choice\./);
        assert.equal(err.isNotFound, false);
        assert.equal(err.maybeApplied, false, "a 400 means Fleio refused the request");
        assertAllCalled();
    });

    it('400 {"non_field_errors": [...]} keeps the key and every message', async () => {
        nock(FLEIO_ORIGIN)
            .put(`${STAFF_ROOT}/openstack/billing/pricerule/3`)
            .reply(400, { non_field_errors: ["Tier starts must be distinct.", "Price must be positive."] });
        const err = await apiError(() => new FleioClient(testSettings()).put("openstack/billing/pricerule/3", {}));
        assert.equal(err.status, 400);
        assert.deepEqual(err.fields, { non_field_errors: ["Tier starts must be distinct.", "Price must be positive."] });
        assert.match(err.message, /^Fleio PUT \/openstack\/billing\/pricerule\/3 failed: HTTP 400 — non_field_errors: Tier starts must be distinct\. Price must be positive\.$/);
        assertAllCalled();
    });

    it('{"non_field_errors": "text"} (Fleio\'s licence-limit form, a bare string) is kept too', async () => {
        nock(FLEIO_ORIGIN).post(`${STAFF_ROOT}/clients`).reply(400, { non_field_errors: "License client limit reached" });
        const err = await apiError(() => new FleioClient(testSettings()).post("clients", {}));
        assert.deepEqual(err.fields, { non_field_errors: ["License client limit reached"] });
        assert.match(err.message, /non_field_errors: License client limit reached/);
        assertAllCalled();
    });

    it('403 {"detail": "..."} puts the detail text in the message', async () => {
        nock(FLEIO_ORIGIN)
            .post(`${STAFF_ROOT}/clients/5/create_reseller_service`)
            .reply(403, { detail: "Client already has a reseller service" });
        const err = await apiError(() => new FleioClient(testSettings()).post("clients/5/create_reseller_service", { product_id: 1, product_cycle_id: 2 }));
        assert.equal(err.status, 403);
        assert.equal(err.message, "Fleio POST /clients/5/create_reseller_service failed: HTTP 403 — Client already has a reseller service");
        assert.deepEqual(err.fields, { detail: ["Client already has a reseller service"] });
        assertAllCalled();
    });

    it("nested serializer errors become dotted field paths", async () => {
        nock(FLEIO_ORIGIN).post(`${STAFF_ROOT}/clients`).reply(400, { user: { email: ["This field must be unique."] }, custom_fields: [{ value: ["Required."] }] });
        const err = await apiError(() => new FleioClient(testSettings()).post("clients", {}));
        assert.deepEqual(err.fields, { "user.email": ["This field must be unique."], "custom_fields[0].value": ["Required."] });
        assert.match(err.message, /user\.email: This field must be unique\./);
        assertAllCalled();
    });

    it("an HTML error page (proxy, Django debug) does not flood the message", async () => {
        const html = `<!DOCTYPE html><html><head><title>502 Bad Gateway</title></head><body>${"<p>nginx trace line</p>".repeat(2000)}</body></html>`;
        nock(FLEIO_ORIGIN).get(`${STAFF_ROOT}/clients`).reply(400, html, { "Content-Type": "text/html" });
        const err = await apiError(() => new FleioClient(testSettings()).get("clients"));
        assert.equal(err.status, 400);
        assert.ok(err.message.length < 200, `message is ${err.message.length} characters`);
        assert.ok(!err.message.includes("<"), "HTML leaked into the message");
        assert.match(err.message, /^Fleio GET \/clients failed: HTTP 400 — non-JSON error page$/);
        assertAllCalled();
    });

    it("a long plain-text error body is cut short", async () => {
        nock(FLEIO_ORIGIN).get(`${STAFF_ROOT}/clients`).reply(418, "x".repeat(10_000), { "Content-Type": "text/plain" });
        const err = await apiError(() => new FleioClient(testSettings()).get("clients"));
        assert.ok(err.message.length < 400, `message is ${err.message.length} characters`);
        assertAllCalled();
    });

    it("an error with no body still names method, path and status", async () => {
        nock(FLEIO_ORIGIN).delete(`${STAFF_ROOT}/clients/5`).reply(409);
        const err = await apiError(() => new FleioClient(testSettings()).delete("clients/5"));
        assert.equal(err.message, "Fleio DELETE /clients/5 failed: HTTP 409");
        assert.deepEqual(err.fields, {});
        assertAllCalled();
    });

    it("404 is reported with isNotFound === true (resources treat it as gone), once", async () => {
        const gone = nock(FLEIO_ORIGIN).get(`${STAFF_ROOT}/clients/404404`).reply(404, { detail: "Not found." });
        const retry = nock(FLEIO_ORIGIN).get(`${STAFF_ROOT}/clients/404404`).reply(200, { id: 404404 });
        const api = new FleioClient(testSettings());
        const err = await apiError(() => api.get("clients/404404"));
        assert.equal(err.isNotFound, true);
        assert.equal(err.status, 404);
        assert.match(err.message, /GET \/clients\/404404 failed: HTTP 404 — Not found\./);
        assert.ok(gone.isDone());
        assert.equal(retry.isDone(), false, "a 404 was retried");
    });

    it("404 on DELETE is isNotFound too, so delete can count it as gone", async () => {
        nock(FLEIO_ORIGIN).delete(`${STAFF_ROOT}/openstack/billing/plan/9`).query(true).reply(404, { detail: "Plan not found" });
        const err = await apiError(() => new FleioClient(testSettings()).delete("openstack/billing/plan/9", { plan_to_migrate: 1 }));
        assert.equal(err.isNotFound, true);
        assertAllCalled();
    });

    it("a connection failure names the site and the cause instead of a status or a path", async () => {
        nock(FLEIO_ORIGIN).get(`${STAFF_ROOT}/clients`).replyWithError(netError("ENOTFOUND", "getaddrinfo ENOTFOUND fleio.test"));
        const err = await apiError(() => new FleioClient(testSettings({ retries: 0 })).get("clients"));
        assert.equal(err.status, undefined);
        assert.equal(err.isNotFound, false);
        assert.equal(err.message, "Fleio at http://fleio.test could not be reached (1 try): its host name does not resolve (ENOTFOUND); check fleio:url");
        assert.equal(err.isUnreachable, true);
        assertAllCalled();
    });
});

describe("flattenDrfErrors", () => {
    it("handles the three DRF shapes, empty bodies and scalars", () => {
        assert.deepEqual(flattenDrfErrors({ detail: "Invalid token." }), { detail: ["Invalid token."] });
        assert.deepEqual(flattenDrfErrors({ name: ["a", "b"] }), { name: ["a", "b"] });
        assert.deepEqual(flattenDrfErrors({ non_field_errors: ["x"] }), { non_field_errors: ["x"] });
        assert.deepEqual(flattenDrfErrors(["top-level list"]), { detail: ["top-level list"] });
        assert.deepEqual(flattenDrfErrors(undefined), {});
        assert.deepEqual(flattenDrfErrors(null), {});
        assert.deepEqual(flattenDrfErrors(""), {});
        assert.deepEqual(flattenDrfErrors("<html><body>Server Error</body></html>"), { detail: ["non-JSON error page"] });
    });

    it("FleioApiError serialises to JSON without the raw body", () => {
        const err = new FleioApiError({ method: "get", path: "/clients", status: 500, body: { detail: "boom", secret_blob: "x" } });
        const json = JSON.parse(JSON.stringify(err));
        assert.deepEqual(Object.keys(json).sort(), ["fields", "message", "method", "name", "path", "status"]);
        assert.equal(json.method, "GET");
        assert.equal(json.name, "FleioApiError");
    });
});
