import * as assert from "node:assert/strict";
import nock from "nock";
import { configure, resource } from "../../../provider";
import { resetProviderContext } from "../../../provider/context";

export const BASE = "https://fleio.test";
export const API = "/backend/staffapi";
export const TOKEN = "0123456789abcdef0123456789abcdef01234567";

/** nock scope for the staff API, answering only requests that carry our token. */
export const fleio = () => nock(BASE, { reqheaders: { authorization: `Token ${TOKEN}` } });

/** A connection error nock really raises (a plain object would hang until the timeout). */
export const dropped = () => Object.assign(new Error("socket hang up"), { code: "ECONNRESET" });

/** Provider settings as a test's Fleio sees them: short delete waits, the given retry budget. */
export async function withRetries(retries: number): Promise<void> {
    const config: Record<string, string> = { "fleio:url": BASE, "fleio:token": TOKEN, "fleio:maxRetries": String(retries), "fleio:deleteTimeoutSeconds": "5" };
    await configure({ config: { get: (k: string) => config[k], require: (k: string) => config[k] } });
}

/** Fresh provider settings per test: no retries, short delete waits, a new per-run memo. */
export function useFleioMock(): void {
    beforeEach(async () => {
        nock.disableNetConnect();
        // Each test is a new provider process: configure() alone keeps the memo now.
        resetProviderContext();
        await withRetries(0);
    });
    afterEach(function () {
        const pending = nock.pendingMocks();
        nock.cleanAll();
        nock.enableNetConnect();
        // Every pinned call must have happened (unexpected calls already fail: nock refuses them).
        if (this.currentTest?.state === "passed") assert.deepEqual(pending, [], "every pinned Fleio call was made");
    });
}

export const provider = (kind: string) => resource(kind);

/** The page shape Fleio lists with. */
export const page = <T>(objects: T[]) => ({ count: objects.length, next: null, previous: null, objects, totalCount: objects.length, pageNo: 1 });
export const firstPage = { page: "1", page_size: "1000" };
