import * as assert from "node:assert/strict";
import { inspect } from "node:util";
import nock from "nock";
import { FleioClient } from "../../../provider/client/http";
import { FleioApiError } from "../../../provider/client/errors";
import { redact, registerSecret } from "../../../provider/client/redact";
import { resolveSettings } from "../../../provider/config";
import { FLEIO_ORIGIN, STAFF_ROOT, TEST_TOKEN, assertAllCalled, netError, rejection, testSettings, useNock } from "../support/fleio-client";

/** Every way an error is likely to be shown: console, logs, state, Pulumi diagnostics. */
function renderings(err: Error): Record<string, string> {
    return {
        message: err.message,
        stack: String(err.stack),
        string: String(err),
        json: JSON.stringify(err),
        inspect: inspect(err, { depth: 10 }),
        fields: JSON.stringify((err as Partial<FleioApiError>).fields ?? {}),
        path: String((err as Partial<FleioApiError>).path ?? ""),
    };
}

function assertNoToken(err: Error, token = TEST_TOKEN): void {
    for (const [how, text] of Object.entries(renderings(err))) {
        assert.ok(!text.includes(token), `the token leaked through the error's ${how}: ${text.slice(0, 500)}`);
        // Nor a recognisable piece of it.
        assert.ok(!text.includes(token.slice(0, 20)), `half the token leaked through the error's ${how}`);
    }
}

describe("the Fleio token never appears in errors", () => {
    useNock();

    const api = () => new FleioClient(testSettings());

    it("401 whose body echoes the token", async () => {
        nock(FLEIO_ORIGIN).get(`${STAFF_ROOT}/clients`).reply(401, { detail: `Invalid token ${TEST_TOKEN}.` }, { "WWW-Authenticate": "Token" });
        const err = await rejection(() => api().get("clients"));
        assert.ok(err instanceof FleioApiError);
        assert.equal(err.status, 401);
        assert.match(err.message, /Invalid token \[REDACTED\]/, "the rest of the detail is kept");
        assertNoToken(err);
        assertAllCalled();
    });

    it("400 field errors that echo the token, including the Authorization header", async () => {
        nock(FLEIO_ORIGIN)
            .post(`${STAFF_ROOT}/clients`)
            .reply(400, { email: [`bad value near ${TEST_TOKEN}`], headers: { Authorization: `Token ${TEST_TOKEN}` }, non_field_errors: [TEST_TOKEN] });
        const err = await rejection(() => api().post("clients", { note: TEST_TOKEN }));
        assert.ok(err instanceof FleioApiError);
        assert.equal(err.status, 400);
        assertNoToken(err);
        assertAllCalled();
    });

    it("a 500 HTML debug page that prints the request headers", async () => {
        nock(FLEIO_ORIGIN)
            .post(`${STAFF_ROOT}/clients`)
            .reply(500, `<html><body><h1>Server Error</h1><pre>HTTP_AUTHORIZATION = 'Token ${TEST_TOKEN}'</pre></body></html>`, { "Content-Type": "text/html" });
        const err = await rejection(() => api().post("clients", {}));
        assertNoToken(err);
        assertAllCalled();
    });

    it("a plain-text body that is the token", async () => {
        nock(FLEIO_ORIGIN).get(`${STAFF_ROOT}/clients`).reply(403, TEST_TOKEN, { "Content-Type": "text/plain" });
        const err = await rejection(() => api().get("clients"));
        assertNoToken(err);
        assertAllCalled();
    });

    it("a connection failure (after retries) whose message mentions the token", async () => {
        const refused = () => netError("ECONNREFUSED", `connect ECONNREFUSED while sending Authorization: Token ${TEST_TOKEN}`);
        nock(FLEIO_ORIGIN).get(`${STAFF_ROOT}/clients`).times(4).replyWithError(refused());
        const err = await rejection(() => api().get("clients"));
        assert.ok(err instanceof FleioApiError);
        assert.equal(err.status, undefined);
        assertNoToken(err);
        assertAllCalled();
    });

    it("a dropped POST connection", async () => {
        nock(FLEIO_ORIGIN).post(`${STAFF_ROOT}/clients`).replyWithError(netError("ECONNRESET", `socket hang up (${TEST_TOKEN})`));
        const err = await rejection(() => api().post("clients", {}));
        assertNoToken(err);
        assertAllCalled();
    });

    it("a request nock has no answer for (its error lists the request headers)", async () => {
        nock(FLEIO_ORIGIN).get(`${STAFF_ROOT}/other`).reply(200, {});
        const err = await rejection(() => new FleioClient(testSettings({ retries: 0 })).get("clients"));
        assertNoToken(err);
        assert.equal(nock.pendingMocks().length, 1, "the unrelated interceptor was not used");
    });

    it("a path that contains the token", async () => {
        nock(FLEIO_ORIGIN).get(`${STAFF_ROOT}/tokens/${TEST_TOKEN}`).reply(404, { detail: "Not found." });
        const err = await rejection(() => api().get(`tokens/${TEST_TOKEN}`));
        assert.ok(err instanceof FleioApiError && err.isNotFound);
        assertNoToken(err);
        assertAllCalled();
    });

    it("a token that came from FLEIO_TOKEN (registered when the client is built)", async () => {
        const envToken = "fedcba9876543210fedcba9876543210fedcba98";
        const settings = resolveSettings(() => undefined, { FLEIO_URL: FLEIO_ORIGIN, FLEIO_TOKEN: envToken });
        nock(FLEIO_ORIGIN).get(`${STAFF_ROOT}/clients`).reply(401, { detail: `Token ${envToken} expired; raw ${envToken}` });
        const err = await rejection(() => new FleioClient({ ...settings, retryBaseDelayMs: 1 }).get("clients"));
        assertNoToken(err, envToken);
        assertAllCalled();
    });
});

describe("resolveSettings errors never contain the token", () => {
    const token = "abcdefabcdefabcdefabcdefabcdefabcdef0001";
    const cases: Array<[string, Record<string, string>]> = [
        ["bad url", { "fleio:url": "billing.example.com", "fleio:token": token }],
        ["missing url", { "fleio:token": token }],
        ["token pasted with the word Token", { "fleio:url": FLEIO_ORIGIN, "fleio:token": `Token ${token}` }],
        ["token with an inner space", { "fleio:url": FLEIO_ORIGIN, "fleio:token": `${token} ${token}` }],
        ["token pasted into the url", { "fleio:url": token, "fleio:token": token }],
        ["bad integer next to a good token", { "fleio:url": FLEIO_ORIGIN, "fleio:token": token, "fleio:maxConcurrency": token }],
        ["bad boolean next to a good token", { "fleio:url": FLEIO_ORIGIN, "fleio:token": token, "fleio:insecureSkipVerify": token }],
        ["bad apiScope", { "fleio:url": FLEIO_ORIGIN, "fleio:token": token, "fleio:apiScope": token }],
    ];
    for (const [name, config] of cases) {
        it(name, () => {
            let err: unknown;
            try {
                resolveSettings((k) => config[k], {});
            } catch (e) {
                err = e;
            }
            assert.ok(err instanceof Error, "expected resolveSettings to throw");
            assert.match(err.message, /fleio:/, "the error names the key");
            assertNoToken(err, token);
        });
    }
});

describe("redact()", () => {
    it("replaces a registered secret everywhere in the text", () => {
        const secret = "s3cr3t-value-for-redact-test";
        registerSecret(secret);
        assert.equal(redact(`a ${secret} b ${secret}`), "a [REDACTED] b [REDACTED]");
        assert.equal(redact(`${secret}${secret}`), "[REDACTED][REDACTED]");
    });

    it("covers the token of every FleioClient built", () => {
        const token = "99999999999999999999aaaaaaaaaaaaaaaaaaaa";
        assert.equal(redact(`x${token}y`), `x${token}y`, "not registered yet");
        new FleioClient(testSettings({ token }));
        assert.equal(redact(`x${token}y`), "x[REDACTED]y");
    });

    it("hides any value after `Token` or `Bearer` in a header-like text, registered or not", () => {
        assert.equal(redact("Authorization: Token 1234567890abcdef1234"), "Authorization: Token [REDACTED]");
        assert.equal(redact("authorization: token abc.def-ghi_jkl"), "authorization: token [REDACTED]");
        assert.equal(redact("Authorization: Bearer eyJhbGciOi.payload.sig"), "Authorization: Bearer [REDACTED]");
    });

    it("leaves ordinary text alone", () => {
        const text = "Fleio GET /clients failed: HTTP 401 — Invalid token.";
        assert.equal(redact(text), text);
        assert.equal(redact(""), "");
        assert.equal(redact("Authentication credentials were not provided."), "Authentication credentials were not provided.");
    });

    it("does not register short values (they would blank out ordinary words)", () => {
        registerSecret("abc");
        registerSecret("");
        registerSecret(undefined);
        assert.equal(redact("abc abcdef"), "abc abcdef");
    });
});
