import * as assert from "node:assert/strict";
import * as http from "node:http";
import { startEmulator } from "../../emulator";
import { admin, clientBody, useEmulator } from "./helpers";

/** Raw request, so the Host header can be anything (fetch always sends the real one). */
function raw(url: string, method: string, headers: Record<string, string>, body?: string): Promise<{ status: number; text: string }> {
    return new Promise((resolve, reject) => {
        const req = http.request(url, { method, headers }, (res) => {
            let text = "";
            res.on("data", (c: Buffer) => (text += c.toString()));
            res.on("end", () => resolve({ status: res.statusCode ?? 0, text }));
        });
        req.on("error", reject);
        if (body !== undefined) req.write(body);
        req.end();
    });
}

describe("emulator: /__emulator admin endpoints refuse the browser", () => {
    const ctx = useEmulator();

    it("a cross-origin HTML form post (urlencoded, foreign Origin) cannot reset", async () => {
        await ctx.http.ok("POST", "clients", clientBody());
        const r = await raw(`${ctx.em.url}/__emulator/reset`, "POST", { "content-type": "application/x-www-form-urlencoded", origin: "https://evil.example" }, "a=1");
        assert.equal(r.status, 403);
        const plain = await raw(`${ctx.em.url}/__emulator/reset`, "POST", { "content-type": "text/plain" }, "{}");
        assert.equal(plain.status, 403, "a form's text/plain is refused too");
        assert.equal((await ctx.http.ok("GET", "clients")).count, 1, "nothing was reset");
    });

    it("a JSON post with a foreign Origin is refused", async () => {
        const r = await raw(`${ctx.em.url}/__emulator/faults`, "POST", { "content-type": "application/json", origin: "https://evil.example" }, JSON.stringify({ rate5xx: 1 }));
        assert.equal(r.status, 403);
        assert.deepEqual((await admin(ctx.em, "GET", "faults")).body, {});
    });

    it("a foreign Host (DNS rebinding) is refused, even for GET", async () => {
        const port = new URL(ctx.em.url).port;
        for (const host of [`evil.example:${port}`, "evil.example", `127.0.0.1.evil.example:${port}`]) {
            const r = await raw(`${ctx.em.url}/__emulator/state`, "GET", { host });
            assert.equal(r.status, 403, host);
            assert.equal(r.text.includes(ctx.em.staffToken), false);
        }
    });

    it("loopback hosts work: 127.0.0.1, localhost and [::1], with a port", async () => {
        const port = new URL(ctx.em.url).port;
        for (const host of [`127.0.0.1:${port}`, `localhost:${port}`, `[::1]:${port}`, "localhost"]) {
            assert.equal((await raw(`${ctx.em.url}/__emulator/stats`, "GET", { host })).status, 200, host);
        }
        assert.equal((await raw(`${ctx.em.url}/__emulator/stats/reset`, "POST", { host: `localhost:${port}`, "content-type": "application/json" }, "{}")).status, 200);
    });

    it("state never shows tokens without the admin token", async () => {
        const state = await raw(`${ctx.em.url}/__emulator/state`, "GET", {});
        assert.equal(state.status, 200);
        assert.equal(state.text.includes(ctx.em.staffToken), false);
        assert.match(state.text, /<redacted>/);
    });

    it("with an admin token configured, the token passes and reveals tokens in state", async () => {
        const adminToken = "admin-token-for-tests-0123456789";
        const em = await startEmulator({ adminToken });
        try {
            const state = await raw(`${em.url}/__emulator/state`, "GET", { "x-emulator-admin-token": adminToken, host: "evil.example" });
            assert.equal(state.status, 200);
            assert.ok(state.text.includes(em.staffToken));
            const wrong = await raw(`${em.url}/__emulator/state`, "GET", { "x-emulator-admin-token": "wrong-token-wrong-token-0000000" });
            assert.equal(wrong.text.includes(em.staffToken), false);
            const reset = await raw(`${em.url}/__emulator/reset`, "POST", { "x-emulator-admin-token": adminToken, "content-type": "text/plain" }, "x");
            assert.equal(reset.status, 200);
        } finally {
            await em.close();
        }
        await assert.rejects(startEmulator({ adminToken: "short" }), /at least 16/);
    });
});
