import * as assert from "node:assert/strict";
import nock from "nock";
import { FleioClient, MAX_PAGE_SIZE } from "../../../provider/client/http";
import { FleioApiError } from "../../../provider/client/errors";
import { FLEIO_ORIGIN, RESELLER_ROOT, STAFF_ROOT, TEST_TOKEN, assertAllCalled, testSettings, useNock } from "../support/fleio-client";

/** What reached the "server": the raw request line and headers, as Fleio's Django would see them. */
interface Seen {
    method: string;
    rawPath: string;
    headers: Record<string, string | string[] | undefined>;
    body: unknown;
}

/** An interceptor that answers `method` on any path and query of the origin, recording the request. */
function record(seen: Seen[], method: string, status = 200, reply: unknown = {}, times = 1) {
    return nock(FLEIO_ORIGIN)
        .intercept(/.*/, method)
        .query(true)
        .times(times)
        .reply(function (_uri, body) {
            seen.push({ method: this.req.method, rawPath: this.req.path, headers: this.req.headers, body });
            return [status, reply];
        });
}

function splitPath(rawPath: string): { pathname: string; search: string } {
    const i = rawPath.indexOf("?");
    return i < 0 ? { pathname: rawPath, search: "" } : { pathname: rawPath.slice(0, i), search: rawPath.slice(i + 1) };
}

describe("FleioClient requests", () => {
    useNock();

    it("sends `Authorization: Token <token>` and asks for JSON", async () => {
        const seen: Seen[] = [];
        record(seen, "GET", 200, { id: 5 });
        const body = await new FleioClient(testSettings()).get("clients/5");
        assert.deepEqual(body, { id: 5 });
        assert.equal(seen.length, 1);
        assert.equal(seen[0].headers.authorization, `Token ${TEST_TOKEN}`);
        assert.match(String(seen[0].headers.accept), /application\/json/);
        assertAllCalled();
    });

    it("puts every path under /backend/staffapi/ with no trailing slash", async () => {
        const seen: Seen[] = [];
        const api = new FleioClient(testSettings());
        record(seen, "GET", 200, {}, 4);
        await api.get("clients");
        await api.get("clients/5");
        await api.get("clients/5/reseller_services");
        await api.get("openstack/billing/plan/3");
        assert.deepEqual(
            seen.map((s) => s.rawPath),
            [`${STAFF_ROOT}/clients`, `${STAFF_ROOT}/clients/5`, `${STAFF_ROOT}/clients/5/reseller_services`, `${STAFF_ROOT}/openstack/billing/plan/3`],
        );
        for (const s of seen) assert.ok(!s.rawPath.endsWith("/"), `trailing slash in ${s.rawPath}`);
        assert.equal(api.baseUrl, `${FLEIO_ORIGIN}${STAFF_ROOT}`);
        assertAllCalled();
    });

    it("uses /backend/resellerapi/ when apiScope is reseller", async () => {
        const api = new FleioClient(testSettings({ apiScope: "reseller" }));
        nock(FLEIO_ORIGIN).get(`${RESELLER_ROOT}/openstack/billing/plan/3`).matchHeader("authorization", `Token ${TEST_TOKEN}`).reply(200, { id: 3 });
        assert.deepEqual(await api.get("openstack/billing/plan/3"), { id: 3 });
        assert.equal(api.baseUrl, `${FLEIO_ORIGIN}${RESELLER_ROOT}`);
        assertAllCalled();
    });

    it("sends POST, PUT and PATCH bodies as JSON and returns the parsed JSON answer", async () => {
        const seen: Seen[] = [];
        const api = new FleioClient(testSettings());
        for (const m of ["POST", "PUT", "PATCH"]) record(seen, m, 200, { ok: true });
        const payload = { first_name: "Ana", custom_fields: [], nested: { a: 1 } };
        assert.deepEqual(await api.post("clients", payload), { ok: true });
        assert.deepEqual(await api.put("clients/5", payload), { ok: true });
        assert.deepEqual(await api.patch("clients/5", { email: "a@b.c" }), { ok: true });
        assert.deepEqual(
            seen.map((s) => [s.method, splitPath(s.rawPath).pathname]),
            [["POST", `${STAFF_ROOT}/clients`], ["PUT", `${STAFF_ROOT}/clients/5`], ["PATCH", `${STAFF_ROOT}/clients/5`]],
        );
        for (const s of seen) assert.match(String(s.headers["content-type"]), /^application\/json/);
        assert.deepEqual(seen[0].body, payload);
        assert.deepEqual(seen[1].body, payload);
        assert.deepEqual(seen[2].body, { email: "a@b.c" });
        assertAllCalled();
    });

    it("sends a POST without a body as an empty JSON object", async () => {
        const seen: Seen[] = [];
        record(seen, "POST", 200, { detail: "Ok" });
        await new FleioClient(testSettings()).post("billing/services/9/terminate");
        assert.deepEqual(seen[0].body, {});
        assert.match(String(seen[0].headers["content-type"]), /^application\/json/);
        assertAllCalled();
    });

    it("sends DELETE with its query string (e.g. plan_to_migrate)", async () => {
        const api = new FleioClient(testSettings());
        nock(FLEIO_ORIGIN).delete(`${STAFF_ROOT}/openstack/billing/plan/4`).query({ plan_to_migrate: "1" }).reply(204);
        assert.equal(await api.delete("openstack/billing/plan/4", { plan_to_migrate: 1 }), "");
        assertAllCalled();
    });

    it("encodes `filtering=a:b+c:d` so that Fleio, decoding then splitting on '+', sees both filters", async () => {
        const seen: Seen[] = [];
        record(seen, "GET", 200, { count: 0, next: null, previous: null, objects: [] });
        await new FleioClient(testSettings()).get("clients", { filtering: "reseller_client:5+status__ne:deleting", search: "a b" });
        const { search } = splitPath(seen[0].rawPath);
        // The "+" travels as %2B; a bare "+" would be decoded by Django into a space.
        assert.match(search, /filtering=[^&]*%2B/);
        assert.ok(!/filtering=[^&]*\+/.test(search), `bare "+" in ${search}`);
        // Decode the way Django's QueryDict does ("+" means space, %XX is a byte), then split like Fleio.
        const q = new URLSearchParams(search);
        assert.equal(q.get("filtering"), "reseller_client:5+status__ne:deleting");
        assert.deepEqual(q.get("filtering")!.split("+"), ["reseller_client:5", "status__ne:deleting"]);
        assert.equal(q.get("search"), "a b");
        assertAllCalled();
    });

    it("leaves undefined query values out and sends numbers and booleans as text", async () => {
        const seen: Seen[] = [];
        record(seen, "GET");
        await new FleioClient(testSettings()).get("clients", { external_billing_id: undefined, page: 2, has_reseller_service: true });
        const q = new URLSearchParams(splitPath(seen[0].rawPath).search);
        assert.deepEqual([...q.keys()].sort(), ["has_reseller_service", "page"]);
        assert.equal(q.get("page"), "2");
        assert.equal(q.get("has_reseller_service"), "true");
        assertAllCalled();
    });

    it("fails a request to a host nock does not know instead of going to the network", async () => {
        // Guard for these suites: nothing leaves the machine.
        const api = new FleioClient(testSettings({ apiRoot: "http://elsewhere.invalid/backend/staffapi", retries: 0 }));
        await assert.rejects(api.get("clients"), /could not be reached \(1 try\)/);
    });
});

describe("FleioClient.list() pagination", () => {
    useNock();

    const page = (objects: unknown[], next: string | null, count = 5) => ({ count, next, previous: null, objects, totalCount: count, pageNo: 1 });

    it("follows `next` over `objects`, asking with page and page_size, and stops when next is null", async () => {
        const scope = nock(FLEIO_ORIGIN)
            .get(`${STAFF_ROOT}/clients`).query({ search: "acme", page: "1", page_size: "2" })
            .reply(200, page([{ id: 1 }, { id: 2 }], `${FLEIO_ORIGIN}${STAFF_ROOT}/clients?page=2&page_size=2&search=acme`))
            .get(`${STAFF_ROOT}/clients`).query({ search: "acme", page: "2", page_size: "2" })
            .reply(200, page([{ id: 3 }, { id: 4 }], `${FLEIO_ORIGIN}${STAFF_ROOT}/clients?page=3&page_size=2&search=acme`))
            .get(`${STAFF_ROOT}/clients`).query({ search: "acme", page: "3", page_size: "2" })
            .reply(200, page([{ id: 5 }], null));
        // A fourth page must never be asked for.
        const beyond = nock(FLEIO_ORIGIN).get(`${STAFF_ROOT}/clients`).query(true).reply(404, { detail: "Invalid page." });

        const all = await new FleioClient(testSettings()).list<{ id: number }>("clients", { search: "acme" }, 2);
        assert.deepEqual(all.map((o) => o.id), [1, 2, 3, 4, 5]);
        assert.ok(scope.isDone(), `pages not fetched: ${scope.pendingMocks().join(", ")}`);
        assert.equal(beyond.isDone(), false, "list() asked for a page after next was null");
    });

    it("makes one request when the first page says next: null", async () => {
        nock(FLEIO_ORIGIN).get(`${STAFF_ROOT}/openstack/billing/plan`).query({ page: "1", page_size: "1000" }).reply(200, page([{ id: 1 }], null, 1));
        const api = new FleioClient(testSettings());
        assert.deepEqual(await api.list("openstack/billing/plan"), [{ id: 1 }]);
        assert.equal(api.requestCount, 1);
        assertAllCalled();
    });

    it("stops on an empty page even if `next` is set (no endless loop)", async () => {
        nock(FLEIO_ORIGIN)
            .get(`${STAFF_ROOT}/clients`).query({ page: "1", page_size: "1000" })
            .reply(200, page([{ id: 1 }], "http://fleio.test/backend/staffapi/clients?page=2"))
            .get(`${STAFF_ROOT}/clients`).query({ page: "2", page_size: "1000" })
            .reply(200, page([], "http://fleio.test/backend/staffapi/clients?page=3"));
        assert.deepEqual(await new FleioClient(testSettings()).list("clients"), [{ id: 1 }]);
        assertAllCalled();
    });

    it(`never asks for a page_size above Fleio's maximum (${MAX_PAGE_SIZE})`, async () => {
        nock(FLEIO_ORIGIN).get(`${STAFF_ROOT}/clients`).query({ page: "1", page_size: String(MAX_PAGE_SIZE) }).reply(200, page([], null, 0));
        assert.deepEqual(await new FleioClient(testSettings()).list("clients", {}, 50_000), []);
        assertAllCalled();
    });

    it("reports an answer that is not a Fleio page (e.g. an HTML panel answering 200) as a FleioApiError", async () => {
        const html = "<!doctype html><html><body>Fleio end-user panel</body></html>";
        nock(FLEIO_ORIGIN).get(`${STAFF_ROOT}/clients`).query(true).times(2).reply(200, html, { "Content-Type": "text/html" });
        const api = new FleioClient(testSettings());
        for (const call of [() => api.list("clients"), () => api.findOne("clients", { search: "x" })]) {
            const err = await call().then(
                () => assert.fail("a non-page answer was accepted"),
                (e: unknown) => e,
            );
            assert.ok(err instanceof FleioApiError, `expected FleioApiError, got ${String(err)}`);
            assert.match(err.message, /^Fleio GET \/clients failed: the answer is not a Fleio list page/);
            assert.match(err.message, /fleio:url/);
            assert.equal(err.isNotFound, false);
        }
        assertAllCalled();
    });

    it("findOne() asks for a small page with the filter and returns the first object or undefined", async () => {
        const api = new FleioClient(testSettings());
        nock(FLEIO_ORIGIN)
            .get(`${STAFF_ROOT}/clients`).query({ external_billing_id: "ext-1", page_size: "2" })
            .reply(200, page([{ id: 11 }], null, 1))
            .get(`${STAFF_ROOT}/clients`).query({ external_billing_id: "ext-2", page_size: "2" })
            .reply(200, page([], null, 0));
        assert.deepEqual(await api.findOne("clients", { external_billing_id: "ext-1" }), { id: 11 });
        assert.equal(await api.findOne("clients", { external_billing_id: "ext-2" }), undefined);
        assertAllCalled();
    });
});
