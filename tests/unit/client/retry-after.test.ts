import * as assert from "node:assert/strict";
import FakeTimers from "@sinonjs/fake-timers";
import nock from "nock";
import { FleioClient } from "../../../provider/client/http";
import { FleioApiError } from "../../../provider/client/errors";
import { resolveSettings } from "../../../provider/config";
import { FLEIO_ORIGIN, STAFF_ROOT, TEST_TOKEN, assertAllCalled, rejection, useNock } from "../support/fleio-client";

/** The real setTimeout, kept before any test installs fake timers. */
const realSetTimeout = globalThis.setTimeout;
/** Lets real I/O (nock's replies, axios' adapters) make progress while timers are fake. */
function realSleep(ms: number): Promise<void> {
    return new Promise<void>((r) => realSetTimeout(r, ms));
}

describe("FleioClient honours Retry-After (fake timers)", () => {
    useNock();
    let clock: ReturnType<typeof FakeTimers.install> | undefined;
    afterEach(() => {
        clock?.uninstall();
        clock = undefined;
    });

    // The provider's real backoff defaults (base 300 ms, cap 60 s), not the tests' shortened
    // ones. No request timeout: then the only fake timer is axios-retry's wait, so "a timer
    // exists" means "the 429 was handled and the retry is scheduled".
    const settings = () => ({
        ...resolveSettings((k) => ({ "fleio:url": FLEIO_ORIGIN, "fleio:token": TEST_TOKEN })[k], {}),
        timeoutMs: 0,
    });

    async function waitUntil(cond: () => boolean, what: string): Promise<void> {
        for (let i = 0; i < 500 && !cond(); i++) await realSleep(2);
        assert.ok(cond(), `timed out waiting for ${what}`);
    }

    it("waits at least 3 s after a 429 with Retry-After: 3, then retries", async () => {
        const client = new FleioClient(settings());
        const first = nock(FLEIO_ORIGIN).get(`${STAFF_ROOT}/clients/7`).reply(429, { detail: "Request was throttled." }, { "Retry-After": "3" });
        const second = nock(FLEIO_ORIGIN).get(`${STAFF_ROOT}/clients/7`).reply(200, { id: 7 });
        clock = FakeTimers.install({ toFake: ["setTimeout", "clearTimeout"] });

        let settled = false;
        const result = client.get<{ id: number }>("clients/7").finally(() => (settled = true));
        await waitUntil(() => clock!.countTimers() === 1, "the 429 to arrive and the retry to be scheduled");
        assert.ok(first.isDone());

        await clock.tickAsync(2999);
        await realSleep(50);
        assert.equal(second.isDone(), false, "the retry was sent before Retry-After (3 s) had passed");
        assert.equal(settled, false);

        // axios-retry adds up to 20% jitter on top of the 3 s.
        await clock.tickAsync(3600 - 2999);
        await waitUntil(() => settled, "the retried request to complete");
        assert.deepEqual(await result, { id: 7 });
        assertAllCalled();
    });

    it("also waits for Retry-After before re-sending a POST answered 429", async () => {
        const client = new FleioClient(settings());
        const first = nock(FLEIO_ORIGIN).post(`${STAFF_ROOT}/clients`).reply(429, { detail: "Request was throttled." }, { "Retry-After": "3" });
        const second = nock(FLEIO_ORIGIN).post(`${STAFF_ROOT}/clients`).reply(201, { id: 9 });
        clock = FakeTimers.install({ toFake: ["setTimeout", "clearTimeout"] });

        let settled = false;
        const result = client.post<{ id: number }>("clients", { first_name: "A" }).finally(() => (settled = true));
        await waitUntil(() => clock!.countTimers() === 1, "the 429 to arrive and the retry to be scheduled");
        assert.ok(first.isDone());
        await clock.tickAsync(2999);
        await realSleep(50);
        assert.equal(second.isDone(), false, "the POST was re-sent before Retry-After had passed");
        await clock.tickAsync(601);
        await waitUntil(() => settled, "the retried POST to complete");
        assert.deepEqual(await result, { id: 9 });
        assertAllCalled();
    });

    it("gives up with the 429 once the retry budget is spent", async () => {
        const client = new FleioClient({ ...settings(), retries: 1 });
        nock(FLEIO_ORIGIN).get(`${STAFF_ROOT}/clients`).times(2).reply(429, { detail: "Request was throttled." }, { "Retry-After": "3" });
        clock = FakeTimers.install({ toFake: ["setTimeout", "clearTimeout"] });
        const failure = rejection(() => client.get("clients"));
        await waitUntil(() => clock!.countTimers() === 1, "the retry to be scheduled");
        await clock.tickAsync(3600);
        const err = await failure;
        assert.ok(err instanceof FleioApiError);
        assert.equal(err.status, 429);
        assert.equal(err.maybeApplied, false);
        assertAllCalled();
    });
});
