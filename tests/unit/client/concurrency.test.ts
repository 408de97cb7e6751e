import * as assert from "node:assert/strict";
import nock from "nock";
import { FleioClient } from "../../../provider/client/http";
import { FLEIO_ORIGIN, STAFF_ROOT, assertAllCalled, testSettings, useNock } from "../support/fleio-client";

const REPLY_DELAY_MS = 60;

/**
 * Sends `n` GETs at once and measures, server side, how many were in flight together:
 * a request counts from the moment nock's reply function sees it until the client has
 * its answer.
 */
async function measure(maxConcurrency: number, n: number): Promise<{ maxInFlight: number; elapsedMs: number; results: unknown[] }> {
    let inFlight = 0;
    let maxInFlight = 0;
    nock(FLEIO_ORIGIN)
        .get(new RegExp(`^${STAFF_ROOT}/clients/\\d+$`))
        .times(n + 1)
        .delay(REPLY_DELAY_MS)
        .reply((uri) => {
            inFlight++;
            maxInFlight = Math.max(maxInFlight, inFlight);
            return [200, { id: Number(uri.split("/").pop()) }];
        });
    const api = new FleioClient(testSettings({ maxConcurrency }));
    // A client's first request goes alone (it learns whether Fleio takes the token): measure after it.
    await api.get("clients/0");
    inFlight = maxInFlight = 0;
    const started = Date.now();
    const results = await Promise.all(
        Array.from({ length: n }, (_, i) =>
            api.get(`clients/${i + 1}`).then((r) => {
                inFlight--;
                return r;
            }),
        ),
    );
    return { maxInFlight, elapsedMs: Date.now() - started, results };
}

describe("FleioClient concurrency cap", () => {
    useNock();

    it("with maxConcurrency 2, six delayed requests are never more than 2 in flight", async () => {
        const { maxInFlight, elapsedMs, results } = await measure(2, 6);
        assert.equal(maxInFlight, 2, `saw ${maxInFlight} requests in flight at once`);
        // Three waves of two, each held back by the reply delay.
        assert.ok(elapsedMs >= 3 * REPLY_DELAY_MS - 10, `six requests took only ${elapsedMs} ms`);
        assert.deepEqual(results, [1, 2, 3, 4, 5, 6].map((id) => ({ id })), "answers reach the right callers, in order");
        assertAllCalled();
    });

    it("the measurement itself can see parallel requests (maxConcurrency 6 → 6 in flight)", async () => {
        const { maxInFlight } = await measure(6, 6);
        assert.equal(maxInFlight, 6);
        assertAllCalled();
    });

    it("a client's first request goes alone: the others wait until Fleio has answered it", async () => {
        const order: string[] = [];
        nock(FLEIO_ORIGIN).get(new RegExp(`^${STAFF_ROOT}/clients/\\d+$`)).times(3).delay(REPLY_DELAY_MS).reply((uri) => {
            order.push(`start ${uri.split("/").pop()}`);
            return [200, {}];
        });
        const api = new FleioClient(testSettings({ maxConcurrency: 6 }));
        await Promise.all([1, 2, 3].map((i) => api.get(`clients/${i}`).then(() => order.push(`end ${i}`))));
        assert.deepEqual(order.slice(0, 2), ["start 1", "end 1"]);
        assertAllCalled();
    });

    it("with maxConcurrency 1 requests go one at a time", async () => {
        const { maxInFlight } = await measure(1, 4);
        assert.equal(maxInFlight, 1);
        assertAllCalled();
    });

    it("a failed request frees its slot for the queued ones", async () => {
        nock(FLEIO_ORIGIN).get(`${STAFF_ROOT}/clients/1`).delay(20).reply(404, { detail: "Not found." });
        nock(FLEIO_ORIGIN).get(`${STAFF_ROOT}/clients/2`).delay(20).reply(200, { id: 2 });
        nock(FLEIO_ORIGIN).get(`${STAFF_ROOT}/clients/3`).reply(200, { id: 3 });
        const api = new FleioClient(testSettings({ maxConcurrency: 1 }));
        const [a, b, c] = await Promise.allSettled([api.get("clients/1"), api.get("clients/2"), api.get("clients/3")]);
        assert.equal(a.status, "rejected");
        assert.deepEqual(b, { status: "fulfilled", value: { id: 2 } });
        assert.deepEqual(c, { status: "fulfilled", value: { id: 3 } });
        assertAllCalled();
    });
});
