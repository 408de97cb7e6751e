import * as assert from "node:assert/strict";
import { startEmulator } from "../../emulator";
import { admin, clientBody, Http, useEmulator } from "./helpers";

describe("emulator: request statistics and log", () => {
    const ctx = useEmulator();
    beforeEach(async () => {
        await admin(ctx.em, "POST", "stats/reset");
        await admin(ctx.em, "DELETE", "faults");
    });

    it("counts API requests by route pattern, not by URL", async () => {
        const a = await ctx.http.ok("POST", "clients", clientBody());
        const b = await ctx.http.ok("POST", "clients", clientBody());
        await ctx.http.get(`clients/${a.id}`);
        await ctx.http.get(`clients/${b.id}?x=1`);
        await ctx.http.get("clients?page=1");
        const s = await admin(ctx.em, "GET", "stats");
        assert.deepEqual(s.body, {
            total: 5,
            byRoute: {
                "POST /backend/staffapi/clients": 2,
                "GET /backend/staffapi/clients/{id}": 2,
                "GET /backend/staffapi/clients": 1,
            },
        });
    });

    it("counts rejected and faulted requests too, but never the admin endpoints", async () => {
        await ctx.http.as(null).get("clients");
        await admin(ctx.em, "POST", "faults", { script: [{ status: 503 }] });
        await ctx.http.get("openstack/billing/plan");
        await admin(ctx.em, "GET", "state");
        await admin(ctx.em, "GET", "requests");
        const s = await admin(ctx.em, "GET", "stats");
        assert.equal(s.body.total, 2);
        assert.equal(s.body.byRoute["GET /backend/staffapi/openstack/billing/plan"], 1);
    });

    it("stats/reset zeroes the counters", async () => {
        await ctx.http.get("clients");
        assert.equal((await admin(ctx.em, "GET", "stats")).body.total, 1);
        assert.deepEqual((await admin(ctx.em, "POST", "stats/reset")).body, { total: 0, byRoute: {} });
        assert.deepEqual((await admin(ctx.em, "GET", "stats")).body, { total: 0, byRoute: {} });
    });

    it("the request log has method, path, query, status and body, but never a token or a password", async () => {
        await ctx.http.post("clients", clientBody({ city: "Logged" }));
        await ctx.http.as(null, "api").post("signup", { email: "log@example.net", first_name: "L", last_name: "G", password: "hunter2-secret-pw" });
        await ctx.http.get("configurations?search=abc");
        const log = (await admin(ctx.em, "GET", "requests")).body as { method: string; path: string; query: Record<string, string>; status: number; body?: Record<string, unknown> }[];
        const create = [...log].reverse().find((e) => e.method === "POST" && e.path === "/backend/staffapi/clients");
        assert.ok(create);
        assert.equal(create.status, 201);
        assert.equal(create.body?.city, "Logged");
        const list = [...log].reverse().find((e) => e.path === "/backend/staffapi/configurations");
        assert.deepEqual(list?.query, { search: "abc" });
        const text = JSON.stringify(log);
        assert.equal(text.includes(ctx.em.staffToken), false, "no staff token in the log");
        assert.equal(text.includes("hunter2-secret-pw"), false, "no password in the log");
        assert.equal(/authorization/i.test(text), false);
    });

    it("keeps the last 500 requests", async () => {
        for (let i = 0; i < 510; i++) await ctx.http.get(`clients?i=${i}`);
        const log = (await admin(ctx.em, "GET", "requests")).body as { query: { i?: string } }[];
        assert.equal(log.length, 500);
        assert.equal(log[log.length - 1].query.i, "509");
    });

    it("state dumps the store (for tests) without going through the API", async () => {
        const c = await ctx.http.ok("POST", "clients", clientBody());
        const state = (await admin(ctx.em, "GET", "state")).body as { clients: { id: number }[]; configurations: unknown[]; tokens: { key: string }[] };
        assert.ok(state.clients.some((x) => x.id === c.id));
        assert.ok(state.configurations.length >= 1);
        // tokens are never shown without the admin token
        assert.ok(state.tokens.length >= 1);
        assert.ok(state.tokens.every((t) => t.key === "<redacted>"));
        assert.equal(JSON.stringify(state).includes(ctx.em.staffToken), false);
    });

    it("log: true writes request lines to stderr, without the token", async () => {
        const lines: string[] = [];
        const write = process.stderr.write.bind(process.stderr);
        process.stderr.write = ((chunk: string | Uint8Array) => {
            lines.push(chunk.toString());
            return true;
        }) as typeof process.stderr.write;
        const em = await startEmulator({ log: true });
        try {
            await new Http(em).get("clients?page_size=3");
        } finally {
            await em.close();
            process.stderr.write = write;
        }
        const text = lines.join("");
        assert.match(text, /\/backend\/staffapi\/clients\?page_size=3/);
        assert.equal(text.includes(em.staffToken), false);
    });
});
