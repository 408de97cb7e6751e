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
const NEVER_REACHED = new Set(["ECONNREFUSED", "ENOTFOUND", "EAI_AGAIN", "EHOSTUNREACH", "ENETUNREACH", "ECONNECT_TIMEOUT"]);

/** True when the request never reached Fleio: no connection could be made. */
export function neverReached(error: { code?: string }): boolean {
    return error.code !== undefined && NEVER_REACHED.has(error.code);
}
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
    if (neverReached(error)) return true;
    // No response: a reset, a timeout or a dropped socket after the request went out.
    return method !== "post";
}

/** True when a request failed in a way that leaves open whether Fleio applied it. */
export function mayHaveBeenApplied(error: AxiosError): boolean {
    const method = (error.config?.method ?? "get").toLowerCase();
    if (method === "get") return false;
    const status = error.response?.status;
    if (status !== undefined) return status >= 500 && !REJECTED_UNPROCESSED.has(status) && status !== 501;
    return !neverReached(error);
}

/**
 * How long a Fleio that cannot be reached is tried, in all (connectBudgetMs), and how
 * long one connection attempt may take (connectTimeoutMs). An answer, even a 503, shows
 * Fleio is there and gets the normal backoff; a refused or unanswered connection gets
 * short waits and stops before the budget, so a wrong URL or a stopped Fleio fails in
 * seconds, not after the whole backoff (which reached 13–14 s with 4 retries).
 */
export interface ConnectSettings {
    connectBudgetMs: number;
    connectTimeoutMs: number;
}

export const DEFAULT_CONNECT: ConnectSettings = { connectBudgetMs: 5000, connectTimeoutMs: 2000 };

/** Wait before connection try n+1 (n ≥ 1): 250 ms, 500 ms, then 1 s. */
export const connectDelay = (retryCount: number): number => Math.min(1000, 250 * 2 ** Math.max(0, retryCount - 1));

/**
 * Whether one more connection try fits the budget: the time spent so far, the longest
 * wait and the longest try must end within it. So the last failure comes at most
 * connectBudgetMs after the first try began, whatever the network does.
 */
export function connectTryFits(elapsedMs: number, s: ConnectSettings): boolean {
    return elapsedMs + connectDelay(Number.MAX_SAFE_INTEGER) + s.connectTimeoutMs <= s.connectBudgetMs;
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
        neverReached(error) ? Math.min(settings.maxDelayMs, connectDelay(retryCount)) : Math.min(settings.maxDelayMs, axiosRetry.exponentialDelay(retryCount, error, settings.baseDelayMs));
}
