import * as assert from "node:assert/strict";
import nock from "nock";
import { AxiosError, AxiosHeaders, type InternalAxiosRequestConfig } from "axios";
import { FleioClient } from "../../../provider/client/http";
import { FleioApiError } from "../../../provider/client/errors";
import { isRetryable, mayHaveBeenApplied, retryDelay } from "../../../provider/client/retry-policy";
import { FLEIO_ORIGIN, STAFF_ROOT, assertAllCalled, netError, rejection, testSettings, useNock } from "../support/fleio-client";

const CLIENTS = `${STAFF_ROOT}/clients`;

/** Counts what reaches the server for one method and path, answering from a script. */
function scripted(method: "GET" | "POST" | "PUT" | "PATCH" | "DELETE", path: string, answers: Array<number | Error>) {
    const scope = nock(FLEIO_ORIGIN);
    for (const a of answers) {
        const i = scope.intercept(path, method).query(true);
        if (a instanceof Error) i.replyWithError(a);
        else i.reply(a, a < 300 ? { ok: true } : { detail: `status ${a}` });
    }
    return scope;
}

async function apiError(fn: () => Promise<unknown>): Promise<FleioApiError> {
    const err = await rejection(fn);
    assert.ok(err instanceof FleioApiError, `expected FleioApiError, got ${err.name}: ${err.message}`);
    return err;
}

describe("FleioClient retries", () => {
    useNock();

    describe("GET, PUT, PATCH, DELETE (repeating states the same end result)", () => {
        for (const status of [500, 502, 503, 504]) {
            it(`GET answered ${status} is retried and then succeeds`, async () => {
                scripted("GET", `${CLIENTS}/5`, [status, 200]);
                assert.deepEqual(await new FleioClient(testSettings()).get("clients/5"), { ok: true });
                assertAllCalled();
            });
        }

        it("gives up after the configured number of retries and reports the last status", async () => {
            // retries: 3 → 1 request + 3 retries; a fifth answer must stay unused.
            scripted("GET", CLIENTS, [500, 502, 503, 504]);
            const unused = nock(FLEIO_ORIGIN).get(CLIENTS).reply(200, { ok: true });
            const err = await apiError(() => new FleioClient(testSettings({ retries: 3 })).get("clients"));
            assert.equal(err.status, 504);
            assert.match(err.message, /HTTP 504/);
            assert.equal(err.maybeApplied, false, "a GET changes nothing");
            assert.equal(unused.isDone(), false, "more requests than 1 + retries were sent");
            assert.equal(nock.pendingMocks().length, 1);
        });

        it("with retries: 0 sends exactly one request", async () => {
            scripted("GET", CLIENTS, [503]);
            const unused = nock(FLEIO_ORIGIN).get(CLIENTS).reply(200, { ok: true });
            const err = await apiError(() => new FleioClient(testSettings({ retries: 0 })).get("clients"));
            assert.equal(err.status, 503);
            assert.equal(unused.isDone(), false);
        });

        it("PUT answered 502 then 500 is retried until it succeeds", async () => {
            scripted("PUT", `${CLIENTS}/5`, [502, 500, 200]);
            assert.deepEqual(await new FleioClient(testSettings()).put("clients/5", { first_name: "A" }), { ok: true });
            assertAllCalled();
        });

        it("PATCH answered 503 is retried", async () => {
            scripted("PATCH", `${CLIENTS}/5`, [503, 200]);
            assert.deepEqual(await new FleioClient(testSettings()).patch("clients/5", { email: "a@b.c" }), { ok: true });
            assertAllCalled();
        });

        it("DELETE answered 503 then 504 is retried until it succeeds", async () => {
            scripted("DELETE", `${CLIENTS}/5`, [503, 504, 202]);
            assert.deepEqual(await new FleioClient(testSettings()).delete("clients/5"), { ok: true });
            assertAllCalled();
        });

        it("a PUT that keeps failing with 500 may have been applied", async () => {
            scripted("PUT", `${CLIENTS}/5`, [500, 500]);
            const err = await apiError(() => new FleioClient(testSettings({ retries: 1 })).put("clients/5", {}));
            assert.equal(err.status, 500);
            assert.equal(err.maybeApplied, true);
            assertAllCalled();
        });

        it("501 is not retried: exactly one request", async () => {
            scripted("GET", CLIENTS, [501]);
            const unused = nock(FLEIO_ORIGIN).get(CLIENTS).reply(200, { ok: true });
            const err = await apiError(() => new FleioClient(testSettings()).get("clients"));
            assert.equal(err.status, 501);
            assert.equal(unused.isDone(), false, "a 501 was retried");
        });

        for (const status of [400, 401, 403, 404, 405, 409, 410, 422]) {
            it(`${status} is not retried`, async () => {
                scripted("GET", CLIENTS, [status]);
                const unused = nock(FLEIO_ORIGIN).get(CLIENTS).reply(200, { ok: true });
                const err = await apiError(() => new FleioClient(testSettings()).get("clients"));
                assert.equal(err.status, status);
                assert.equal(unused.isDone(), false, `a ${status} was retried`);
            });
        }

        it("a 4xx on PUT is not retried either", async () => {
            scripted("PUT", `${CLIENTS}/5`, [400]);
            const unused = nock(FLEIO_ORIGIN).put(`${CLIENTS}/5`).reply(200, { ok: true });
            const err = await apiError(() => new FleioClient(testSettings()).put("clients/5", {}));
            assert.equal(err.status, 400);
            assert.equal(err.maybeApplied, false);
            assert.equal(unused.isDone(), false);
        });

        it("connection refused is retried", async () => {
            scripted("GET", CLIENTS, [netError("ECONNREFUSED", "connect ECONNREFUSED 127.0.0.1:443"), 200]);
            assert.deepEqual(await new FleioClient(testSettings()).get("clients"), { ok: true });
            assertAllCalled();
        });

        it("a connection reset on GET is retried", async () => {
            scripted("GET", CLIENTS, [netError("ECONNRESET", "socket hang up"), netError("ECONNRESET", "socket hang up"), 200]);
            assert.deepEqual(await new FleioClient(testSettings()).get("clients"), { ok: true });
            assertAllCalled();
        });

        it("a connection that keeps being refused fails naming the site, the tries and the cause, after the bound", async () => {
            scripted("DELETE", `${CLIENTS}/5`, [netError("ECONNREFUSED"), netError("ECONNREFUSED"), netError("ECONNREFUSED")]);
            const unused = nock(FLEIO_ORIGIN).delete(`${CLIENTS}/5`).reply(204);
            const err = await apiError(() => new FleioClient(testSettings({ retries: 2 })).delete("clients/5"));
            assert.equal(err.status, undefined);
            assert.equal(err.message, "Fleio at http://fleio.test refused the connection (3 tries): nothing accepts connections at that address and port; check fleio:url and that Fleio is running");
            assert.equal(err.maybeApplied, false, "a refused connection never reached Fleio");
            assert.equal(unused.isDone(), false);
        });
    });

    describe("POST (creates or triggers something)", () => {
        it("answered 500 is NOT re-sent, and the error says it may have been applied", async () => {
            scripted("POST", CLIENTS, [500]);
            const resend = nock(FLEIO_ORIGIN).post(CLIENTS).reply(201, { id: 1 });
            const err = await apiError(() => new FleioClient(testSettings()).post("clients", { first_name: "A" }));
            assert.equal(err.status, 500);
            assert.equal(err.maybeApplied, true);
            assert.equal(resend.isDone(), false, "a POST answered 500 was re-sent");
        });

        for (const status of [502, 504]) {
            it(`answered ${status} is NOT re-sent either`, async () => {
                scripted("POST", CLIENTS, [status]);
                const resend = nock(FLEIO_ORIGIN).post(CLIENTS).reply(201, { id: 1 });
                const err = await apiError(() => new FleioClient(testSettings()).post("clients", {}));
                assert.equal(err.status, status);
                assert.equal(err.maybeApplied, true);
                assert.equal(resend.isDone(), false);
            });
        }

        it("whose connection dropped after sending (ECONNRESET) is NOT re-sent; maybeApplied === true", async () => {
            scripted("POST", CLIENTS, [netError("ECONNRESET", "socket hang up")]);
            const resend = nock(FLEIO_ORIGIN).post(CLIENTS).reply(201, { id: 1 });
            const err = await apiError(() => new FleioClient(testSettings()).post("clients", { first_name: "A" }));
            assert.equal(err.status, undefined);
            assert.equal(err.maybeApplied, true);
            assert.match(err.message, /^Fleio POST \/clients failed: ECONNRESET/);
            assert.equal(resend.isDone(), false, "a POST whose connection dropped was re-sent");
        });

        it("that timed out waiting for the answer is NOT re-sent; maybeApplied === true", async () => {
            nock(FLEIO_ORIGIN).post(CLIENTS).delay(500).reply(201, { id: 1 });
            const resend = nock(FLEIO_ORIGIN).post(CLIENTS).reply(201, { id: 2 });
            const err = await apiError(() => new FleioClient(testSettings({ timeoutMs: 50 })).post("clients", {}));
            assert.equal(err.status, undefined);
            assert.equal(err.maybeApplied, true);
            assert.equal(resend.isDone(), false);
        });

        for (const status of [429, 503]) {
            it(`answered ${status} is retried (Fleio did not act on it)`, async () => {
                scripted("POST", CLIENTS, [status, 201]);
                assert.deepEqual(await new FleioClient(testSettings()).post("clients", { first_name: "A" }), { ok: true });
                assertAllCalled();
            });
        }

        it("answered 503 until the bound fails with maybeApplied === false", async () => {
            scripted("POST", CLIENTS, [503, 503, 503]);
            const err = await apiError(() => new FleioClient(testSettings({ retries: 2 })).post("clients", {}));
            assert.equal(err.status, 503);
            assert.equal(err.maybeApplied, false);
            assertAllCalled();
        });

        it("whose connection was refused is retried (it never reached Fleio)", async () => {
            scripted("POST", CLIENTS, [netError("ECONNREFUSED"), 201]);
            assert.deepEqual(await new FleioClient(testSettings()).post("clients", {}), { ok: true });
            assertAllCalled();
        });

        it("re-sends the same JSON body on a retry", async () => {
            const bodies: unknown[] = [];
            nock(FLEIO_ORIGIN)
                .post(CLIENTS, (b) => (bodies.push(b), true)).reply(503, { detail: "busy" })
                .post(CLIENTS, (b) => (bodies.push(b), true)).reply(201, { id: 1 });
            await new FleioClient(testSettings()).post("clients", { first_name: "A", custom_fields: [] });
            assert.deepEqual(bodies, [{ first_name: "A", custom_fields: [] }, { first_name: "A", custom_fields: [] }]);
            assertAllCalled();
        });

        it("made with { idempotent: true } is retried on 500", async () => {
            scripted("POST", `${CLIENTS}/5/update_reseller_enduser_panel_url`, [500, 502, 200]);
            const res = await new FleioClient(testSettings()).post(
                "clients/5/update_reseller_enduser_panel_url",
                { enduser_panel_url: "http://panel.example.com/", service: 3 },
                undefined,
                { idempotent: true },
            );
            assert.deepEqual(res, { ok: true });
            assertAllCalled();
        });

        it("made with { idempotent: true } is retried after a dropped connection", async () => {
            scripted("POST", `${CLIENTS}/5/update_reseller_billing_plan`, [netError("ECONNRESET", "socket hang up"), 200]);
            await new FleioClient(testSettings()).post("clients/5/update_reseller_billing_plan", { plan: 1, service: 3 }, undefined, { idempotent: true });
            assertAllCalled();
        });
    });
});

describe("retry policy (unit)", () => {
    function axiosError(method: string, status?: number, code?: string, idempotent?: boolean): AxiosError {
        const config = { method, headers: new AxiosHeaders(), idempotent } as InternalAxiosRequestConfig;
        const response = status === undefined ? undefined : { status, statusText: "", headers: {}, config, data: {} };
        return new AxiosError("failed", code, config, {}, response);
    }

    it("isRetryable follows the table", () => {
        const cases: Array<[string, number | undefined, string | undefined, boolean | undefined, boolean]> = [
            ["get", 500, undefined, undefined, true],
            ["get", 501, undefined, undefined, false],
            ["get", 404, undefined, undefined, false],
            ["get", 429, undefined, undefined, true],
            ["delete", 504, undefined, undefined, true],
            ["post", 500, undefined, undefined, false],
            ["post", 429, undefined, undefined, true],
            ["post", 503, undefined, undefined, true],
            ["post", 500, undefined, true, true],
            ["post", 400, undefined, true, false],
            ["post", undefined, "ECONNREFUSED", undefined, true],
            ["post", undefined, "ENOTFOUND", undefined, true],
            ["post", undefined, "ECONNRESET", undefined, false],
            ["post", undefined, "ECONNABORTED", undefined, false],
            ["get", undefined, "ECONNRESET", undefined, true],
        ];
        for (const [method, status, code, idem, want] of cases) {
            assert.equal(isRetryable(axiosError(method, status, code, idem)), want, `${method} ${status ?? code} idempotent=${idem}`);
        }
    });

    it("mayHaveBeenApplied: never for GET or refused connections; yes for 5xx and drops on writes", () => {
        assert.equal(mayHaveBeenApplied(axiosError("get", 500)), false);
        assert.equal(mayHaveBeenApplied(axiosError("get", undefined, "ECONNRESET")), false);
        assert.equal(mayHaveBeenApplied(axiosError("post", 500)), true);
        assert.equal(mayHaveBeenApplied(axiosError("post", 429)), false);
        assert.equal(mayHaveBeenApplied(axiosError("post", 503)), false);
        assert.equal(mayHaveBeenApplied(axiosError("post", 501)), false);
        assert.equal(mayHaveBeenApplied(axiosError("post", 400)), false);
        assert.equal(mayHaveBeenApplied(axiosError("post", undefined, "ECONNRESET")), true);
        assert.equal(mayHaveBeenApplied(axiosError("put", undefined, "ECONNREFUSED")), false);
    });

    it("retryDelay grows exponentially, is never below Retry-After, and is capped", () => {
        const delay = retryDelay({ retries: 5, baseDelayMs: 100, maxDelayMs: 5000 });
        const plain = axiosError("get", 503);
        for (let i = 0; i < 20; i++) {
            const d1 = delay(1, plain);
            const d3 = delay(3, plain);
            assert.ok(d1 >= 200 && d1 <= 240, `first wait ${d1}`);
            assert.ok(d3 >= 800 && d3 <= 960, `third wait ${d3}`);
            assert.ok(delay(10, plain) <= 5000);
        }
        const throttled = axiosError("get", 429);
        throttled.response!.headers = { "retry-after": "3" };
        assert.ok(delay(1, throttled) >= 3000);
        const longThrottle = axiosError("get", 429);
        longThrottle.response!.headers = { "retry-after": "3600" };
        assert.equal(delay(1, longThrottle), 5000);
    });
});
