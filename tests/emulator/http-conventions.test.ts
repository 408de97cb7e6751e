import * as assert from "node:assert/strict";
import { clientBody, useEmulator } from "./helpers";

/** How every Fleio endpoint talks: token auth, no trailing slashes, DRF error bodies. */
describe("emulator: HTTP conventions of Fleio's DRF API", () => {
    const ctx = useEmulator();

    describe("token authentication", () => {
        it("401 with WWW-Authenticate: Token when no credentials are sent", async () => {
            const r = await ctx.http.as(null).get("clients");
            assert.equal(r.status, 401);
            assert.deepEqual(r.body, { detail: "Authentication credentials were not provided." });
            assert.equal(r.headers.get("www-authenticate"), "Token");
        });

        it("401 Invalid token. for a well-formed but unknown token", async () => {
            const r = await ctx.http.as("0".repeat(40)).get("clients");
            assert.equal(r.status, 401);
            assert.deepEqual(r.body, { detail: "Invalid token." });
            assert.equal(r.headers.get("www-authenticate"), "Token");
        });

        it("accepts the keyword in any case (DRF compares it case-insensitively)", async () => {
            for (const keyword of ["Token", "token", "TOKEN"]) {
                const r = await ctx.http.as(null).call("GET", "clients", undefined, { Authorization: `${keyword} ${ctx.em.staffToken}` });
                assert.equal(r.status, 200, keyword);
            }
        });

        it("treats another scheme as no credentials at all", async () => {
            const r = await ctx.http.as(null).call("GET", "clients", undefined, { Authorization: `Bearer ${ctx.em.staffToken}` });
            assert.equal(r.status, 401);
            assert.deepEqual(r.body, { detail: "Authentication credentials were not provided." });
        });

        it("answers malformed Token headers like DRF", async () => {
            const none = await ctx.http.as(null).call("GET", "clients", undefined, { Authorization: "Token" });
            assert.deepEqual([none.status, none.body], [401, { detail: "Invalid token header. No credentials provided." }]);
            const spaces = await ctx.http.as(null).call("GET", "clients", undefined, { Authorization: `Token ${ctx.em.staffToken} extra` });
            assert.deepEqual([spaces.status, spaces.body], [401, { detail: "Invalid token header. Token string should not contain spaces." }]);
        });

        it("authenticates before anything else: an unknown object without a token is 401, not 404", async () => {
            const r = await ctx.http.as(null).get("clients/123");
            assert.equal(r.status, 401);
        });

        it("the staff token is refused on the reseller API (403)", async () => {
            const r = await ctx.http.as(ctx.em.staffToken, "resellerapi").get("openstack/billing/plan");
            assert.equal(r.status, 403);
            assert.deepEqual(r.body, { detail: "You do not have permission to perform this action." });
        });
    });

    describe("URLs", () => {
        it("has no trailing slashes: /clients/ is Django's HTML 404 while /clients is 200", async () => {
            assert.equal((await ctx.http.get("clients")).status, 200);
            const slash = await ctx.http.get("clients/");
            assert.equal(slash.status, 404);
            assert.match(slash.headers.get("content-type") ?? "", /^text\/html/);
            assert.match(String(slash.body), /<h1>Not Found<\/h1>/);
            assert.equal((await ctx.http.get("openstack/billing/plan/")).status, 404);
            assert.equal((await ctx.http.get("openstack/billing/plan/1/")).status, 404);
        });

        it("an unknown path is an HTML 404 from Django, not a DRF JSON body", async () => {
            for (const path of ["/nowhere", "/backend/staffapi/no-such-thing", "/backend/staffapi/clients/1/nope"]) {
                const r = await ctx.http.get(path);
                assert.equal(r.status, 404, path);
                assert.match(r.headers.get("content-type") ?? "", /^text\/html/, path);
            }
        });

        it("uses singular plan/pricerule segments (plural is a 404)", async () => {
            assert.equal((await ctx.http.get("openstack/billing/plans")).status, 404);
            assert.equal((await ctx.http.get("openstack/billing/pricerules")).status, 404);
            assert.equal((await ctx.http.get("openstack/billing/pricerule")).status, 200);
        });

        it("a non-numeric or unknown id is 404 Not found.", async () => {
            for (const path of ["clients/abc", "clients/1", "openstack/billing/plan/999", "configurations/999"]) {
                const r = await ctx.http.get(path);
                assert.deepEqual([r.status, r.body], [404, { detail: "Not found." }], path);
            }
        });

        it("a known path with an unsupported method is 405 after authentication", async () => {
            const r = await ctx.http.del("clients");
            assert.equal(r.status, 405);
            assert.deepEqual(r.body, { detail: 'Method "DELETE" not allowed.' });
            assert.equal((await ctx.http.as(null).del("clients")).status, 401);
        });
    });

    describe("error bodies", () => {
        it("validation errors are 400 {field: [messages]}", async () => {
            const r = await ctx.http.post("clients", { ...clientBody(), first_name: "", country: "XX", email: "not-an-email", zip_code: "12345678901", last_name: undefined });
            assert.equal(r.status, 400);
            assert.deepEqual(r.body, {
                first_name: ["This field may not be blank."],
                last_name: ["This field is required."],
                country: ['"XX" is not a valid choice.'],
                zip_code: ["Ensure this field has no more than 10 characters."],
                email: ["Enter a valid email address."],
            });
        });

        it("a body that is not an object is a non_field_errors 400", async () => {
            const r = await ctx.http.post("clients", [1, 2]);
            assert.equal(r.status, 400);
            assert.deepEqual(r.body, { non_field_errors: ["Invalid data. Expected a dictionary, but got list."] });
        });

        it("malformed JSON is a 400 with a detail", async () => {
            const res = await fetch(`${ctx.em.url}/backend/staffapi/clients`, {
                method: "POST",
                headers: { Authorization: `Token ${ctx.em.staffToken}`, "content-type": "application/json" },
                body: "{not json",
            });
            assert.equal(res.status, 400);
            assert.match(((await res.json()) as { detail: string }).detail, /^JSON parse error/);
        });
    });
});
