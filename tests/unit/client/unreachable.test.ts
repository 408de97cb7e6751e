import * as assert from "node:assert/strict";
import * as http from "node:http";
import * as net from "node:net";
import nock from "nock";
import { FleioClient } from "../../../provider/client/http";
import { FleioApiError } from "../../../provider/client/errors";
import { connectDelay, connectTryFits, DEFAULT_CONNECT } from "../../../provider/client/retry-policy";
import { resolveSettings } from "../../../provider/config";
import { resources } from "../../../provider/registry";
import { resetProviderContext, setConfigSource } from "../../../provider/context";
import { FLEIO_ORIGIN, STAFF_ROOT, TEST_TOKEN, rejection, testSettings, useNock } from "../support/fleio-client";

/** A local port nothing listens on: it refuses connections at once. */
async function closedPort(): Promise<number> {
    const server = net.createServer();
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
    const port = (server.address() as net.AddressInfo).port;
    await new Promise((r) => server.close(r));
    return port;
}

/**
 * A Fleio that cannot be reached fails fast, once, and says where it was looked for:
 * "Fleio at <url> refused the connection (N tries)", with the cause, never the token,
 * never the path of whichever call happened to go first.
 */
describe("an unreachable Fleio", function () {
    this.timeout(30_000);
    it("a refused connection fails naming the site and the tries, the same whichever call went first, with the default settings", async () => {
        const url = `http://127.0.0.1:${await closedPort()}`;
        const settings = resolveSettings((k) => ({ "fleio:url": url, "fleio:token": TEST_TOKEN })[k], {});
        const started = Date.now();
        const [a, b] = await Promise.all([
            rejection(() => new FleioClient(settings).get("clients")),
            rejection(() => new FleioClient(settings).get("openstack/billing/plan/3")),
        ]);
        const seconds = (Date.now() - started) / 1000;
        // With the defaults (4 retries, connect budget 5 s) a refusal is tried 5 times.
        const expected = `Fleio at ${url} refused the connection (5 tries): nothing accepts connections at that address and port; check fleio:url and that Fleio is running`;
        assert.equal(a.message, expected);
        assert.equal(b.message, expected, "the second call names the same site, not its own path");
        assert.ok(a instanceof FleioApiError && a.isUnreachable && !a.maybeApplied);
        assert.ok(!a.message.includes(TEST_TOKEN.slice(0, 12)), "no token");
        console.log(`      (refused 5 times in ${seconds.toFixed(1)} s, machine loaded)`);
    });

    it("its worst case ends within the connect budget: tries that each hang until the connect timeout, and instant refusals", () => {
        for (const tryMs of [DEFAULT_CONNECT.connectTimeoutMs, 0]) {
            let t = tryMs;
            let tries = 1;
            // As axios-retry asks: retryCondition after each failure, then the delay for that retry.
            while (tries <= 10 && connectTryFits(t, DEFAULT_CONNECT)) {
                t += connectDelay(tries) + tryMs;
                tries++;
            }
            assert.ok(t <= 5000, `the last failure comes ${t} ms after the first try began`);
            assert.ok(tries >= 2, "a connection is tried more than once");
        }
    });

    describe("a connection attempt that never completes", () => {
        const original = http.Agent.prototype.createConnection;
        let attempts: net.Socket[] = [];
        before(() => {
            // A host that drops SYNs: the socket never connects (this sandbox refuses at once).
            (http.Agent.prototype as unknown as { createConnection: () => net.Socket }).createConnection = () => {
                const s = new net.Socket();
                // As a socket whose SYN goes unanswered: connecting, writes buffered, no "connect".
                (s as unknown as { connecting: boolean }).connecting = true;
                attempts.push(s);
                return s;
            };
        });
        after(() => {
            http.Agent.prototype.createConnection = original;
        });

        it("is given up after the connect timeout, and the whole call within the connect budget", async () => {
            attempts = [];
            const api = new FleioClient({ ...testSettings({ apiRoot: `http://192.0.2.1/backend/staffapi`, siteUrl: "http://192.0.2.1", retries: 10, timeoutMs: 60_000 }), connectTimeoutMs: 100, connectBudgetMs: 1400 });
            const err = await rejection(() => api.get("clients"));
            assert.match(err.message, /^Fleio at http:\/\/192\.0\.2\.1 did not accept a connection \((\d+) tries, each given up after a few seconds\): check fleio:url/);
            const tries = Number(/\((\d+) tries/.exec(err.message)![1]);
            assert.equal(tries, attempts.length, "each try was one connection attempt");
            assert.ok(tries >= 2 && tries < 11, `the budget, not the 10 retries, ended it (${tries} tries)`);
            assert.ok(attempts.every((s) => s.destroyed), "every attempt was closed");
        });
    });
});

describe("after Fleio refused the token, the client stops", () => {
    useNock();

    it("the first call fails with the fix; calls waiting behind it are not sent and say so in one short line", async () => {
        const scope = nock(FLEIO_ORIGIN).get(/\/clients\/\d+$/).reply(401, { detail: "Invalid token." });
        const api = new FleioClient(testSettings());
        const results = await Promise.allSettled([1, 2, 3].map((i) => api.get(`clients/${i}`)));
        const messages = results.map((r) => (r.status === "rejected" ? (r.reason as Error).message : "ok"));
        assert.match(messages[0], /HTTP 401 — Invalid token\. Fleio refused the token from stack config fleio:token/);
        for (const m of messages.slice(1)) assert.equal(m, "not sent: Fleio refused the token on an earlier request of this run (its error says what to do)");
        assert.ok(scope.isDone());
        assert.equal(api.requestCount, 1, "one request reached Fleio");
    });

    it("a refresh keeps the recorded state of the resources read after the refusal, so only the first reports it", async () => {
        nock(FLEIO_ORIGIN).get(`${STAFF_ROOT}/openstack/billing/plan/1`).reply(401, { detail: "Invalid token." });
        resetProviderContext();
        setConfigSource((k) => ({ "fleio:url": FLEIO_ORIGIN, "fleio:token": TEST_TOKEN, "fleio:maxRetries": "0" })[k]);
        try {
            const plan = resources.OpenstackPlan.core;
            const olds = (id: number) => ({ id: String(id), name: `Plan ${id}`, currency: "EUR" });
            const first = await rejection(() => plan.read("1", olds(1)));
            assert.match(first.message, /^fleio:OpenstackPlan read: Fleio GET \/openstack\/billing\/plan\/1 failed: HTTP 401 .*fleio:token/);
            assert.deepEqual(await plan.read("2", olds(2)), olds(2), "a later read keeps the recorded state");
            // An import has no recorded state to keep: it fails, briefly.
            assert.match((await rejection(() => plan.read("3", {}, true))).message, /not sent: Fleio refused the token on an earlier request/);
            assert.ok(nock.isDone());
        } finally {
            resetProviderContext();
            setConfigSource(() => undefined);
        }
    });
});
