import type { AxiosError } from "axios";
import axiosRetry from "axios-retry";

/**
 * When a failed request may be sent again.
 *
 * PUT, PATCH, DELETE and GET state an end result, so repeating them is safe. A POST
 * creates or triggers something: it is repeated only when Fleio certainly did not act
 * on it (the connection was refused, or Fleio answered 429 / 503, i.e. "not now").
 * Any other POST failure may have been applied; the caller re-reads by natural key.
 */
const NEVER_REACHED = new Set(["ECONNREFUSED", "ENOTFOUND", "EAI_AGAIN", "EHOSTUNREACH", "ENETUNREACH"]);
const REJECTED_UNPROCESSED = new Set([429, 503]);

export function isRetryable(error: AxiosError): boolean {
    const method = error.config?.idempotent ? "put" : (error.config?.method ?? "get").toLowerCase();
    const status = error.response?.status;
    if (status !== undefined) {
        if (REJECTED_UNPROCESSED.has(status)) return true;
        // 501 means "this server will never do that": retrying cannot help.
        if (status < 500 || status === 501) return false;
        return method !== "post";
    }
    if (error.code && NEVER_REACHED.has(error.code)) return true;
    // No response: a reset, a timeout or a dropped socket after the request went out.
    return method !== "post";
}

/** True when a request failed in a way that leaves open whether Fleio applied it. */
export function mayHaveBeenApplied(error: AxiosError): boolean {
    const method = (error.config?.method ?? "get").toLowerCase();
    if (method === "get") return false;
    const status = error.response?.status;
    if (status !== undefined) return status >= 500 && !REJECTED_UNPROCESSED.has(status) && status !== 501;
    return !(error.code && NEVER_REACHED.has(error.code));
}

export interface RetrySettings {
    retries: number;
    /** Base of the exponential backoff in ms (axios-retry adds up to 20% jitter). */
    baseDelayMs: number;
    /** No single wait is longer than this, even if Retry-After asks for more. */
    maxDelayMs: number;
}

/** Exponential backoff with jitter, never shorter than Fleio's Retry-After, capped. */
export function retryDelay(settings: RetrySettings) {
    return (retryCount: number, error: AxiosError): number =>
        Math.min(settings.maxDelayMs, axiosRetry.exponentialDelay(retryCount, error, settings.baseDelayMs));
}
