import * as assert from "node:assert/strict";
import * as net from "node:net";
import { configure, resource } from "../../../provider";
import { resetProviderContext } from "../../../provider/context";
import { CHECK_TIMEOUT_MS } from "../../../provider/validation/remote-budget";

/**
 * A preview that could not ask Fleio says so (validation/remote-budget.ts): with Fleio
 * unreachable, check() of a new PricingRule used to spend ~11 s in silent retries and
 * pass. Now it tries once, for at most CHECK_TIMEOUT_MS, and warns naming the skipped
 * check and the URL; later checks of the same process do not wait again.
 */

const TOKEN = "0123456789abcdef0123456789abcdef01234567";
const rule = { planId: "1", displayName: "Rule", resourceName: "gpu", prices: [{ from: 0, price: "0.01" }] };
const plan = { name: "Plan", currency: "GBP" };

/** Everything written to stderr while `run` runs, and how long it took. */
async function watched<T>(run: () => Promise<T>): Promise<{ value: T; stderr: string; ms: number }> {
    const write = process.stderr.write;
    let stderr = "";
    process.stderr.write = ((chunk: string | Uint8Array) => ((stderr += String(chunk)), true)) as typeof process.stderr.write;
    const t0 = Date.now();
    try {
        const value = await run();
        return { value, stderr, ms: Date.now() - t0 };
    } finally {
        process.stderr.write = write;
    }
}

/** A new provider process with the default timeout (30 s) and retries (4), and a user:password in the URL. */
async function providerFor(url: string): Promise<void> {
    resetProviderContext();
    const config: Record<string, string> = { "fleio:url": url, "fleio:token": TOKEN };
    await configure({ config: { get: (k: string) => config[k], require: (k: string) => config[k] } });
}

describe("a preview that could not ask Fleio says so, within a few seconds", function () {
    this.timeout(20_000);
    let server: net.Server;
    const sockets = new Set<net.Socket>();
    let port = 0;

    before(async () => {
        // Accepts connections and never answers: a Fleio behind a dead proxy or a firewall that drops.
        server = net.createServer((s) => {
            sockets.add(s);
            s.on("close", () => sockets.delete(s));
        });
        await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
        port = (server.address() as net.AddressInfo).port;
    });
    after(async () => {
        for (const s of sockets) s.destroy();
        await new Promise((r) => server.close(r));
    });

    it("Fleio not answering: one try of at most CHECK_TIMEOUT_MS, then a warning naming the check and the URL, no credentials; the next check does not wait", async () => {
        await providerFor(`http://operator:hunter2secret@127.0.0.1:${port}`);
        const first = await watched(() => resource("PricingRule").check!({}, rule));
        assert.deepEqual(first.value.failures, [], "the offline preview still passes");
        assert.ok(first.ms >= CHECK_TIMEOUT_MS - 100 && first.ms < CHECK_TIMEOUT_MS + 1500, `one try, bounded by the check timeout: took ${first.ms} ms`);
        assert.equal(
            first.stderr,
            `pulumi-fleio: warning: could not ask Fleio at http://127.0.0.1:${port} (ECONNABORTED (timeout of ${CHECK_TIMEOUT_MS}ms exceeded)), so fleio:PricingRule was not checked for ` +
                "whether Fleio has the billing resource its resourceName names; the preview goes on without it, and `pulumi up` fails if it does not hold\n",
        );
        for (const secret of [TOKEN, "hunter2secret", "operator"]) assert.equal(first.stderr.includes(secret), false, "no credential in the warning");

        const next = await watched(() => resource("OpenstackPlan").check!({}, plan));
        assert.deepEqual(next.value.failures, []);
        assert.ok(next.ms < 200, `Fleio is not asked again in this process: took ${next.ms} ms`);
        assert.match(next.stderr, /^pulumi-fleio: warning: could not ask Fleio at http:\/\/127\.0\.0\.1:\d+ \(.*\), so fleio:OpenstackPlan was not checked for whether Fleio offers its currency and whether its scope keeps a default plan;/);

        const again = await watched(() => resource("PricingRule").check!({}, { ...rule, displayName: "Another rule" }));
        assert.equal(again.stderr, "", "the same skipped check is reported once per process");
    });

    it("connection refused: the warning names the reason at once", async () => {
        const closed = net.createServer();
        await new Promise<void>((r) => closed.listen(0, "127.0.0.1", r));
        const deadPort = (closed.address() as net.AddressInfo).port;
        await new Promise((r) => closed.close(r));
        await providerFor(`http://127.0.0.1:${deadPort}`);
        const r = await watched(() => resource("PricingRule").check!({}, rule));
        assert.deepEqual(r.value.failures, []);
        assert.ok(r.ms < 1000, `no retries: took ${r.ms} ms`);
        assert.match(r.stderr, new RegExp(`^pulumi-fleio: warning: could not ask Fleio at http://127\\.0\\.0\\.1:${deadPort} \\(ECONNREFUSED .*\\), so fleio:PricingRule was not checked`));
    });
});
