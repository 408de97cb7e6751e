import * as assert from "node:assert/strict";
import { pageSize } from "../../emulator/pagination";
import { Query } from "../../emulator/query";
import { useEmulator } from "./helpers";

/** FleioPaginationSerializer and the list filter backends, on the configurations list. */
describe("emulator: list endpoints (pagination, filtering, search, ordering)", () => {
    const ctx = useEmulator();
    const names = Array.from({ length: 45 }, (_, i) => `conf-${String(i).padStart(2, "0")}`);

    before(async () => {
        for (const name of names) await ctx.http.ok("POST", "configurations", { name, description: name.endsWith("7") ? "lucky seven" : "" });
    });

    it("answers {count, next, previous, objects, totalCount, pageNo} with 20 objects by default", async () => {
        const r = await ctx.http.get("configurations");
        assert.equal(r.status, 200);
        assert.deepEqual(Object.keys(r.body), ["count", "next", "previous", "objects", "totalCount", "pageNo"]);
        assert.equal(r.body.count, 46); // 45 + the seeded 'default'
        assert.equal(r.body.totalCount, 46);
        assert.equal(r.body.objects.length, 20);
        assert.equal(r.body.pageNo, 1);
        assert.equal(r.body.previous, null);
        assert.equal("results" in r.body, false);
    });

    it("next/previous are absolute URLs; previous of page 2 drops the page parameter", async () => {
        const p1 = await ctx.http.get("configurations?page_size=10&search=conf");
        assert.equal(p1.body.next, `${ctx.em.url}/backend/staffapi/configurations?page=2&page_size=10&search=conf`);
        const p2 = await ctx.http.get("configurations?page=2&page_size=10&search=conf");
        assert.equal(p2.body.previous, `${ctx.em.url}/backend/staffapi/configurations?page_size=10&search=conf`);
        assert.equal(p2.body.next, `${ctx.em.url}/backend/staffapi/configurations?page=3&page_size=10&search=conf`);
        const p3 = await ctx.http.get("configurations?page=3&page_size=10&search=conf");
        assert.equal(p3.body.previous, `${ctx.em.url}/backend/staffapi/configurations?page=2&page_size=10&search=conf`);
        const last = await ctx.http.get("configurations?page=5&page_size=10&search=conf");
        assert.equal(last.body.next, null);
        assert.equal(last.body.objects.length, 5);
        // pageNo echoes the page parameter as sent: a string.
        assert.equal(p2.body.pageNo, "2");
    });

    it("following next visits every object exactly once", async () => {
        const seen: string[] = [];
        let url: string | null = `${ctx.em.url}/backend/staffapi/configurations?page_size=7`;
        while (url) {
            const res = await fetch(url, { headers: { Authorization: `Token ${ctx.em.staffToken}` } });
            const page = (await res.json()) as { next: string | null; objects: { name: string }[] };
            seen.push(...page.objects.map((o) => o.name));
            url = page.next;
        }
        assert.deepEqual(seen, [...names, "default"]);
    });

    it("page_size is capped at 10000 and falls back to 20 when invalid", async () => {
        assert.equal(pageSize(new Query("page_size=20000")), 10000);
        assert.equal(pageSize(new Query("page_size=10000")), 10000);
        assert.equal(pageSize(new Query("page_size=9999")), 9999);
        const big = await ctx.http.get("configurations?page_size=20000");
        assert.equal(big.body.objects.length, 46);
        assert.equal(big.body.next, null);
        for (const bad of ["0", "-5", "abc"]) assert.equal((await ctx.http.get(`configurations?page_size=${bad}`)).body.objects.length, 20, bad);
    });

    it("an invalid page is 404 Invalid page.", async () => {
        for (const page of ["4", "0", "-1", "x"]) {
            const r = await ctx.http.get(`configurations?page=${page}`);
            assert.deepEqual([r.status, r.body], [404, { detail: "Invalid page." }], page);
        }
        // An empty list still has page 1.
        const empty = await ctx.http.get("configurations?search=nothing-matches&page=1");
        assert.equal(empty.status, 200);
        assert.equal(empty.body.count, 0);
    });

    it("filtering=key:value+key2__ne:value2 ANDs different keys, ORs a repeated key, maps null/true/false", async () => {
        const f = (q: string) => ctx.http.get(`configurations?page_size=100&filtering=${encodeURIComponent(q)}`);
        const one = await f("name:conf-07");
        assert.deepEqual(one.body.objects.map((o: { name: string }) => o.name), ["conf-07"]);
        const either = await f("name:conf-07+name:conf-17");
        assert.deepEqual(either.body.objects.map((o: { name: string }) => o.name), ["conf-07", "conf-17"]);
        const staffNonDefault = await f("reseller_resources:null+is_default:false+name__ne:conf-00");
        assert.equal(staffNonDefault.body.count, 44);
        const defaults = await f("is_default:TRUE");
        assert.deepEqual(defaults.body.objects.map((o: { name: string }) => o.name), ["default"]);
    });

    it("a literal + in the URL is a space, as Django decodes it: send %2B between terms", async () => {
        const raw = await ctx.http.get("configurations?filtering=name:conf-07+name:conf-17");
        // "+" became a space, so this is one term whose value is "conf-07 name" — nothing matches.
        assert.equal(raw.body.count, 0);
    });

    it("an unknown filtering field is a 400 detail naming the choices", async () => {
        const r = await ctx.http.get("configurations?filtering=colour:blue");
        assert.equal(r.status, 400);
        assert.match(r.body.detail, /^Cannot resolve keyword 'colour' into field\. Choices are: .*name/);
    });

    it("search matches all terms, case-insensitively", async () => {
        const r = await ctx.http.get("configurations?search=CONF-3&page_size=100");
        assert.equal(r.body.count, 10);
    });

    it("ordering sorts by allowed fields and ignores unknown ones", async () => {
        const desc = await ctx.http.get("configurations?ordering=-name&page_size=3");
        assert.deepEqual(desc.body.objects.map((o: { name: string }) => o.name), ["default", "conf-44", "conf-43"]);
        const bogus = await ctx.http.get("configurations?ordering=nonsense&page_size=2");
        assert.deepEqual(bogus.body.objects.map((o: { name: string }) => o.name), ["conf-00", "conf-01"]);
        const byId = await ctx.http.get("configurations?ordering=id&page_size=2");
        assert.deepEqual(byId.body.objects.map((o: { name: string }) => o.name), ["default", "conf-00"]);
    });
});
