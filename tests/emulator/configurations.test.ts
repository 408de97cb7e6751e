import * as assert from "node:assert/strict";
import { clientBody, makeReseller, useEmulator } from "./helpers";

describe("emulator: configurations", () => {
    const ctx = useEmulator();

    it("name is required and at most 24 characters; description defaults to ''", async () => {
        const long = await ctx.http.post("configurations", { name: "x".repeat(25) });
        assert.deepEqual([long.status, long.body], [400, { name: ["Ensure this field has no more than 24 characters."] }]);
        const missing = await ctx.http.post("configurations", { description: "d" });
        assert.deepEqual([missing.status, missing.body], [400, { name: ["This field is required."] }]);
        const ok = await ctx.http.post("configurations", { name: "y".repeat(24) });
        assert.equal(ok.status, 201);
        assert.deepEqual({ ...ok.body, id: 0 }, { id: 0, client_count: 0, description: "", name: "y".repeat(24), is_default: false, reseller_resources: null });
    });

    it("names are unique only inside a reseller scope: staff duplicates 201, a reseller's duplicate 400", async () => {
        await ctx.http.ok("POST", "configurations", { name: "gold" });
        const dup = await ctx.http.post("configurations", { name: "gold" });
        assert.equal(dup.status, 201);
        const r = await makeReseller(ctx.http);
        const other = await ctx.http.post("configurations", { name: "gold", reseller_resources: r.rrId });
        assert.equal(other.status, 201);
        assert.equal(other.body.reseller_resources, r.rrId);
        const renamed = await ctx.http.patch(`configurations/${other.body.id}`, { name: "default" });
        assert.deepEqual([renamed.status, renamed.body], [400, { non_field_errors: ["The fields name, reseller_resources must make a unique set."] }]);
        const again = await ctx.http.post("configurations", { name: "gold", reseller_resources: r.rrId });
        assert.equal(again.status, 400);
    });

    it("length is counted in characters (code points): 24 emoji fit, 25 do not", async () => {
        const ok = await ctx.http.post("configurations", { name: "🚀".repeat(24) });
        assert.equal(ok.status, 201);
        assert.equal(ok.body.name, "🚀".repeat(24));
        const long = await ctx.http.post("configurations", { name: "🚀".repeat(25) });
        assert.deepEqual([long.status, long.body], [400, { name: ["Ensure this field has no more than 24 characters."] }]);
    });

    it("billing settings: GET has suspend_instead_of_terminate true by default; PUT answers {detail, settings} and sticks", async () => {
        const c = await ctx.http.ok("POST", "configurations", { name: "billing-test" });
        const got = await ctx.http.ok("GET", `configurations/${c.id}/billing`);
        assert.equal(got.suspend_instead_of_terminate, true);
        assert.equal(got.credit_limit, 0);
        const put = await ctx.http.put(`configurations/${c.id}/billing`, { ...got, suspend_instead_of_terminate: false });
        assert.equal(put.status, 200);
        assert.equal(put.body.detail, "Settings updated");
        assert.equal(put.body.settings.suspend_instead_of_terminate, false);
        assert.equal((await ctx.http.ok("GET", `configurations/${c.id}/billing`)).suspend_instead_of_terminate, false);
        assert.equal((await ctx.http.ok("GET", "configurations/1/billing")).suspend_instead_of_terminate, true, "other configurations keep theirs");
        const bad = await ctx.http.put(`configurations/${c.id}/billing`, { ...got, suspend_instead_of_terminate: "maybe" });
        assert.deepEqual([bad.status, bad.body], [400, { suspend_instead_of_terminate: ["Must be a valid boolean."] }]);
        // options without a default (sender_email, ...) are required on PUT, as DRF makes them
        const partial = await ctx.http.put(`configurations/${c.id}/billing`, { suspend_instead_of_terminate: true });
        assert.equal(partial.status, 400);
        assert.deepEqual(partial.body.sender_email, ["This field is required."]);
    });

    it("one default per scope: setting it moves it, unsetting the only one keeps it", async () => {
        const c = await ctx.http.ok("POST", "configurations", { name: "new-default", is_default: true });
        const all = await ctx.http.ok("GET", "configurations?filtering=reseller_resources:null%2Bis_default:true");
        assert.deepEqual(
            all.objects.map((x: { id: number }) => x.id),
            [c.id],
        );
        const unset = await ctx.http.ok("PATCH", `configurations/${c.id}`, { is_default: false });
        assert.equal(unset.is_default, true);
        await ctx.http.ok("PATCH", "configurations/1", { is_default: true });
    });

    it("client_count counts clients using it; deleting one in use is 409", async () => {
        await ctx.http.ok("POST", "configurations", { name: "silver" });
        const client = await ctx.http.ok("POST", "clients", clientBody({ configuration: "silver" }));
        const silver = (await ctx.http.ok("GET", "configurations?search=silver")).objects[0];
        assert.equal(silver.client_count, 1);
        const del = await ctx.http.del(`configurations/${silver.id}`);
        assert.equal(del.status, 409);
        assert.match(del.body.detail, /assigned to one or more clients/);
        assert.equal((await ctx.http.ok("GET", `clients/${client.id}`)).id, client.id);
        const unused = await ctx.http.ok("POST", "configurations", { name: "bronze" });
        assert.equal((await ctx.http.del(`configurations/${unused.id}`)).status, 204);
    });
});
