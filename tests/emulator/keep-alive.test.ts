import * as assert from "node:assert/strict";
import { startEmulator, RunningEmulator } from "../../emulator";

/** Blocks this process's event loop, as an execFileSync of a long `pulumi up` does on a busy machine. */
const block = (ms: number) => Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);

/**
 * Raw-API helpers (tests/integration/support/fleio-direct.ts, hand-made-fleio.ts, the
 * emulator tests' helpers) use Node's fetch, whose pool reuses keep-alive connections.
 * The emulator runs in the same process: when that process was blocked past the server's
 * idle timeout, on waking the helper sent on its pooled connection while the server's
 * overdue timer closed it, and the request failed with "other side closed"
 * (CI=true bash .ci/run, packed-package test, once under load). The emulator leaves
 * closing idle connections to its clients; this sends requests with idle gaps around the
 * usual timeouts (undici 4 s, Node's server 5 s) with the loop blocked through each gap.
 */
describe("keep-alive: the emulator never closes a connection a client may be reusing", function () {
    this.timeout(60_000);
    const series = async (em: RunningEmulator, gaps: number[]) => {
        const get = async () => {
            const r = await fetch(`${em.url}/backend/staffapi/clients?page_size=1`, { headers: { Authorization: `Token ${em.staffToken}` } });
            await r.text();
            return String(r.status);
        };
        const out: string[] = [];
        for (const gap of gaps) {
            await get();
            block(gap);
            out.push(await get().catch((e: Error & { cause?: { code?: string; message?: string } }) => e.cause?.code ?? e.cause?.message ?? e.message));
        }
        return out;
    };

    it("the test provokes the race: a server that closes idle connections after 4 s fails a request sent after a stall past it", async () => {
        const em = await startEmulator({ seed: 1, keepAliveTimeoutMs: 4000 });
        try {
            const out = await series(em, [100, 4500, 5500]);
            assert.ok(out.some((r) => /ECONNRESET|other side closed|UND_ERR_SOCKET/.test(r)), `expected a closed connection, got ${out.join(", ")}`);
        } finally {
            await em.close();
        }
    });

    it("with the emulator's default, sequential requests after stalls of 0.1, 4.5 and 5.5 s all succeed", async () => {
        const em = await startEmulator({ seed: 1 });
        try {
            assert.deepEqual(await series(em, [100, 4500, 5500]), ["200", "200", "200"]);
        } finally {
            await em.close();
        }
    });
});
