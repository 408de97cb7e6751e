/**
 * Shared helpers for the Fleio API client's unit tests (mocha + nock, no network).
 */
import nock from "nock";
import * as assert from "node:assert/strict";
import type { ClientSettings } from "../../../provider/config";

/** A token in Fleio's real shape (40 hex characters). */
export const TEST_TOKEN = "0123456789abcdef0123456789abcdef01234567";
/** Origin nock answers for; never resolved on the network. */
export const FLEIO_ORIGIN = "http://fleio.test";
export const STAFF_ROOT = "/backend/staffapi";
export const RESELLER_ROOT = "/backend/resellerapi";

/** ClientSettings aimed at the nock origin, with waits kept to a few ms. */
export function testSettings(overrides: Partial<ClientSettings> = {}): ClientSettings {
    const apiScope = overrides.apiScope ?? "staff";
    return {
        apiRoot: `${FLEIO_ORIGIN}${apiScope === "reseller" ? RESELLER_ROOT : STAFF_ROOT}`,
        siteUrl: FLEIO_ORIGIN,
        apiScope,
        token: TEST_TOKEN,
        tokenSource: "config",
        insecureSkipVerify: false,
        maxConcurrency: 4,
        timeoutMs: 5000,
        retries: 3,
        retryBaseDelayMs: 1,
        retryMaxDelayMs: 10,
        deleteTimeoutMs: 1000,
        ...overrides,
    };
}

/**
 * Registers mocha hooks: only nock may answer while the suite runs; every test starts
 * and ends with no interceptors. Net connect is re-enabled afterwards so that other
 * suites in the same mocha process (e.g. against a local emulator) are unaffected.
 */
export function useNock(): void {
    before(() => nock.disableNetConnect());
    afterEach(() => nock.cleanAll());
    after(() => nock.enableNetConnect());
}

/** Asserts that every interceptor registered in this test was called. */
export function assertAllCalled(): void {
    assert.ok(nock.isDone(), `nock interceptors not called: ${nock.pendingMocks().join(", ")}`);
}

/**
 * A socket-level failure for `.replyWithError()`. It must be an Error instance: nock 14
 * (through @mswjs/interceptors) drops a plain object such as `{ code: "ECONNRESET" }`,
 * and the request then hangs until the client's timeout instead of failing.
 */
export function netError(code: string, message = `${code.toLowerCase()} (simulated)`): Error {
    return Object.assign(new Error(message), { code });
}

/** Runs `fn`, expecting it to reject; returns the rejection for inspection. */
export async function rejection(fn: () => Promise<unknown>): Promise<Error> {
    try {
        await fn();
    } catch (e) {
        assert.ok(e instanceof Error, `expected an Error, got ${String(e)}`);
        return e;
    }
    assert.fail("expected the call to fail, but it succeeded");
}
