import * as assert from "node:assert/strict";
import { admin, clientBody, useEmulator } from "./helpers";

describe("emulator: fault injection (/__emulator/faults)", () => {
    const ctx = useEmulator();
    const setFaults = async (body: unknown) => {
        const r = await admin(ctx.em, "POST", "faults", body);
        assert.equal(r.status, 200, JSON.stringify(r.body));
    };
    afterEach(async () => {
        await admin(ctx.em, "DELETE", "faults");
    });

    it("a scripted 429 carries Retry-After and a DRF throttle body; the next request passes", async () => {
        await setFaults({ script: [{ status: 429, retryAfter: 2 }] });
        const r = await ctx.http.get("clients");
        assert.equal(r.status, 429);
        assert.equal(r.headers.get("retry-after"), "2");
        assert.deepEqual(r.body, { detail: "Request was throttled. Expected available in 2 seconds." });
        assert.equal((await ctx.http.get("clients")).status, 200);
    });

    it("scripted 5xx statuses answer {detail} in order", async () => {
        await setFaults({ script: [{ status: 500 }, { status: 502 }, { status: 503 }, { status: 501 }] });
        const statuses: number[] = [];
        for (let i = 0; i < 5; i++) {
            const r = await ctx.http.get("clients");
            statuses.push(r.status);
            if (r.status >= 500) assert.equal(typeof r.body.detail, "string");
        }
        assert.deepEqual(statuses, [500, 502, 503, 501, 200]);
    });

    it("drop before: the connection dies and nothing was done", async () => {
        const body = clientBody();
        await setFaults({ script: [{ drop: "before" }] });
        await assert.rejects(ctx.http.post("clients", body), /fetch failed/);
        const found = await ctx.http.ok("GET", `clients?external_billing_id=${body.external_billing_id}`);
        assert.equal(found.count, 0);
    });

    it("drop after: the connection dies but the change is committed", async () => {
        const body = clientBody();
        await setFaults({ script: [{ drop: "after" }] });
        await assert.rejects(ctx.http.post("clients", body), /fetch failed/);
        const found = await ctx.http.ok("GET", `clients?external_billing_id=${body.external_billing_id}`);
        assert.equal(found.count, 1);
    });

    it("latency: scripted and configured delays slow requests down", async () => {
        await setFaults({ script: [{ latencyMs: 250 }] });
        let t = Date.now();
        await ctx.http.get("clients");
        assert.ok(Date.now() - t >= 240, `scripted latency ${Date.now() - t}ms`);
        t = Date.now();
        await ctx.http.get("clients");
        assert.ok(Date.now() - t < 200, "a one-shot latency is gone after one request");
        await setFaults({ latencyMs: 150 });
        t = Date.now();
        await ctx.http.get("clients");
        assert.ok(Date.now() - t >= 140, "configured latency applies to every request");
    });

    it("random faults replay exactly from the same seed, and differ with another", async () => {
        const run = async (seed: number) => {
            await setFaults({ rate5xx: 0.3, rate429: 0.2, retryAfterSeconds: 3, seed });
            const out: number[] = [];
            for (let i = 0; i < 30; i++) {
                const r = await ctx.http.get("configurations");
                out.push(r.status);
                if (r.status === 429) assert.equal(r.headers.get("retry-after"), "3");
            }
            return out;
        };
        const a = await run(42);
        const b = await run(42);
        const c = await run(7);
        assert.deepEqual(a, b);
        assert.notDeepEqual(a, c);
        assert.ok(a.includes(200) && a.includes(429) && a.some((s) => s >= 500), `a mix of outcomes: ${a.join(",")}`);
        assert.ok(a.every((s) => [200, 429, 500, 502, 503].includes(s)));
    });

    it("random drops happen at the configured rate", async () => {
        await setFaults({ rateDrop: 1, seed: 1 });
        await assert.rejects(ctx.http.get("clients"), /fetch failed/);
    });

    it("match limits faults to a method and path prefix", async () => {
        await setFaults({ rate5xx: 1, match: { method: "POST", pathPrefix: "/backend/staffapi/configurations" } });
        assert.equal((await ctx.http.get("configurations")).status, 200);
        assert.equal((await ctx.http.post("clients", clientBody())).status, 201);
        assert.ok((await ctx.http.post("configurations", { name: "never" })).status >= 500);
    });

    it("a scripted fault with its own match waits for the first request it matches, whatever the order", async () => {
        await setFaults({
            match: { method: "POST" },
            script: [
                { drop: "after", match: { pathPattern: "^/backend/staffapi/clients$" } },
                { status: 500, match: { pathPrefix: "/backend/staffapi/configurations" } },
            ],
        });
        // Requests no scripted fault matches pass, and leave the script as it was.
        assert.equal((await ctx.http.get("configurations")).status, 200);
        assert.equal((await ctx.http.post("openstack/billing/plan", { name: "passes", currency: "EUR" })).status, 201);
        assert.equal((await ctx.http.post("configurations", { name: "refused" })).status, 500);
        assert.equal((await ctx.http.post("configurations", { name: "made" })).status, 201, "each scripted fault hits once");
        const body = clientBody();
        await assert.rejects(ctx.http.post("clients", body), /fetch failed/);
        assert.equal((await ctx.http.ok("GET", `clients?external_billing_id=${body.external_billing_id}`)).count, 1, "the dropped create was committed");
        assert.deepEqual((await admin(ctx.em, "GET", "faults")).body, { match: { method: "POST" } });
        assert.equal((await admin(ctx.em, "POST", "faults", { script: [{ status: 500, match: { pathPattern: "(" } }] })).status, 400, "a pattern that is not a regular expression");
    });

    it("never faults the admin endpoints", async () => {
        await setFaults({ rate5xx: 1 });
        assert.equal((await admin(ctx.em, "GET", "stats")).status, 200);
        assert.equal((await admin(ctx.em, "GET", "faults")).body.rate5xx, 1);
    });

    it("GET returns the settings with what is left of the script; DELETE clears; bad settings are a 400", async () => {
        await setFaults({ latencyMs: 5, script: [{ status: 503 }, { drop: "after" }] });
        await ctx.http.get("clients");
        const now = await admin(ctx.em, "GET", "faults");
        assert.deepEqual(now.body, { latencyMs: 5, script: [{ drop: "after" }] });
        assert.deepEqual((await admin(ctx.em, "DELETE", "faults")).body, {});
        assert.equal((await admin(ctx.em, "POST", "faults", { rate5xx: 2 })).status, 400);
        assert.equal((await admin(ctx.em, "POST", "faults", { script: [{ status: 418 }] })).status, 400);
    });
});
