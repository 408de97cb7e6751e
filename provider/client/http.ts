import axios, { AxiosError, AxiosInstance, AxiosRequestConfig } from "axios";
import axiosRetry from "axios-retry";
import pLimit from "p-limit";
import { isSafeNumber, parse as parseLossless } from "lossless-json";
import { connectTimeoutAgents } from "./agents";
import { FleioApiError, unreachableMessage } from "./errors";
import { redact, registerSecret } from "./redact";
import { connectTryFits, ConnectSettings, DEFAULT_CONNECT, isRetryable, mayHaveBeenApplied, neverReached, retryDelay } from "./retry-policy";
import { unauthorizedHint } from "./unauthorized";
import type { ClientSettings, TokenSource } from "../config";

/** A DRF list page as Fleio renders it (`objects`, not `results`). */
export interface Page<T> {
    count: number;
    next: string | null;
    previous: string | null;
    objects: T[];
}

declare module "axios" {
    interface AxiosRequestConfig {
        /** A POST that may be repeated safely (see FleioClient.post). */
        idempotent?: boolean;
        /** When the first try of this request began (retries keep it): the connect budget counts from it. */
        startedAt?: number;
    }
}

type Query = Record<string, string | number | boolean | undefined>;

/** How long a refused token or an unreachable Fleio stops a client's other calls (see FleioClient.stopped). */
const STOP_MS = 10_000;

/** Largest page Fleio serves; lists page with it so one list is one request where possible. */
export const MAX_PAGE_SIZE = 10000;

/**
 * The one way this project talks to Fleio. Everything else calls these methods with
 * paths relative to the API root (`clients/5`, never a leading or trailing slash).
 */
export class FleioClient {
    readonly baseUrl: string;
    private readonly http: AxiosInstance;
    private readonly limit: ReturnType<typeof pLimit>;
    private readonly tokenSource: TokenSource;
    private readonly siteUrl: string;
    /** Requests sent, for the provider's own diagnostics and tests. */
    requestCount = 0;
    /**
     * The first request's outcome. Until it is known, other requests wait for it: a
     * refused token or an unreachable Fleio then fails that one request with the full
     * message, and every other call fails at once with `stopped` (see below) instead of
     * each resource repeating the same long error (a refresh after a token rotation
     * printed one "Preview failed" per resource).
     */
    private first: Promise<unknown> | undefined;
    /**
     * Set when Fleio refused this client's token (401) or could not be reached: calls in
     * the next STOP_MS are not sent. Bounded, because a client can outlive one run (SDK
     * look-ups in an Automation API process), and the next run deserves its own try.
     */
    private stopped: { error: FleioApiError; until: number } | undefined;

    constructor(settings: ClientSettings) {
        registerSecret(settings.token);
        this.baseUrl = settings.apiRoot;
        this.siteUrl = settings.siteUrl;
        this.tokenSource = settings.tokenSource;
        this.limit = pLimit(settings.maxConcurrency);
        const connect: ConnectSettings = { connectBudgetMs: settings.connectBudgetMs ?? DEFAULT_CONNECT.connectBudgetMs, connectTimeoutMs: settings.connectTimeoutMs ?? DEFAULT_CONNECT.connectTimeoutMs };
        this.http = axios.create({
            baseURL: settings.apiRoot + "/",
            timeout: settings.timeoutMs,
            headers: { Authorization: `Token ${settings.token}`, Accept: "application/json" },
            ...connectTimeoutAgents({ maxSockets: settings.maxConcurrency, connectTimeoutMs: connect.connectTimeoutMs, rejectUnauthorized: !settings.insecureSkipVerify }),
            // Statuses are judged by us, not thrown by axios, except through the retry layer.
            validateStatus: (s) => s >= 200 && s < 300,
            // Fleio splits the *decoded* `filtering` value on "+", so a literal "+" must travel
            // as %2B: Django would turn a bare "+" into a space (fleio/core/filters.py).
            paramsSerializer: { serialize: serializeQuery },
            maxRedirects: 0,
            transformResponse: [parseAnswer],
        });
        this.http.interceptors.request.use((config) => {
            config.startedAt ??= Date.now();
            return config;
        });
        axiosRetry(this.http, {
            retries: settings.retries,
            // A connection that cannot be made is tried again only within the connect budget.
            retryCondition: (e) => isRetryable(e) && (!neverReached(e) || connectTryFits(Date.now() - (e.config?.startedAt ?? Date.now()), connect)),
            retryDelay: retryDelay({ retries: settings.retries, baseDelayMs: settings.retryBaseDelayMs, maxDelayMs: settings.retryMaxDelayMs }),
            shouldResetTimeout: true,
        });
    }

    get<T>(path: string, query?: Query): Promise<T> {
        return this.request<T>({ method: "get", url: path, params: query });
    }
    /**
     * `idempotent`: this POST is an action that sets a value (Fleio's
     * update_reseller_* actions, terminate), so sending it twice is harmless.
     */
    /** GET an object; undefined when Fleio answers 404 (the object is gone). */
    async getIfExists<T>(path: string): Promise<T | undefined> {
        try {
            return await this.get<T>(path);
        } catch (e) {
            if (e instanceof FleioApiError && e.isNotFound) return undefined;
            throw e;
        }
    }
    post<T>(path: string, body?: unknown, query?: Query, opts: { idempotent?: boolean } = {}): Promise<T> {
        return this.request<T>({ method: "post", url: path, data: body ?? {}, params: query, idempotent: opts.idempotent });
    }
    put<T>(path: string, body: unknown): Promise<T> {
        return this.request<T>({ method: "put", url: path, data: body });
    }
    patch<T>(path: string, body: unknown): Promise<T> {
        return this.request<T>({ method: "patch", url: path, data: body });
    }
    delete<T>(path: string, query?: Query): Promise<T> {
        return this.request<T>({ method: "delete", url: path, params: query });
    }

    /** Every object of a list endpoint, following pages; `query` filters server-side. */
    async list<T>(path: string, query: Query = {}, pageSize = 1000): Promise<T[]> {
        const out: T[] = [];
        for (let page = 1; ; page++) {
            const res = asPage<T>(await this.get<unknown>(path, { ...query, page, page_size: Math.min(pageSize, MAX_PAGE_SIZE) }), path);
            out.push(...res.objects);
            if (!res.next || res.objects.length === 0) return out;
        }
    }

    /** The first object matching `query`, or undefined; for lookups by a unique key. */
    async findOne<T>(path: string, query: Query): Promise<T | undefined> {
        const res = asPage<T>(await this.get<unknown>(path, { ...query, page_size: 2 }), path);
        return res.objects[0];
    }

    private async request<T>(config: AxiosRequestConfig): Promise<T> {
        if (this.first === undefined) {
            const sent = this.send<T>(config);
            this.first = sent.catch(() => undefined);
            return sent;
        }
        await this.first;
        return this.send<T>(config);
    }

    private send<T>(config: AxiosRequestConfig): Promise<T> {
        return this.limit(async () => {
            if (this.stopped && Date.now() < this.stopped.until) throw notSent(this.stopped.error, config);
            this.requestCount++;
            try {
                const res = await this.http.request<T>(config);
                return res.data;
            } catch (e) {
                const err = toFleioError(e, config, this.tokenSource, this.siteUrl);
                if (err instanceof FleioApiError && (err.status === 401 || err.isUnreachable)) this.stopped = { error: err, until: Date.now() + STOP_MS };
                throw err;
            }
        });
    }
}

/**
 * A list answer must be a Fleio page. Anything else (e.g. an HTML panel answering 200
 * because fleio:url points at a frontend) becomes a FleioApiError naming the path,
 * instead of a TypeError from reading `objects`.
 */
function asPage<T>(res: unknown, path: string): Page<T> {
    if (typeof res === "object" && res !== null && Array.isArray((res as Page<T>).objects)) return res as Page<T>;
    throw new FleioApiError({
        method: "GET",
        path: "/" + path,
        cause: 'the answer is not a Fleio list page (no "objects" array); check that fleio:url is the Fleio site, e.g. https://billing.example.com',
    });
}

/**
 * Fleio's JSON, parsed without losing an id: client, product and service ids are
 * 64-bit in Fleio, and a JSON.parse would round one beyond 2^53 before the provider
 * could compare or send it back. Such integers stay exact digit strings; every other
 * number is an ordinary number. A body that is not JSON (an HTML error page) stays text.
 */
export function parseAnswer(data: unknown): unknown {
    if (typeof data !== "string" || !/^\s*[[{]/.test(data)) return data;
    try {
        return parseLossless(data, null, (text) => (isSafeNumber(text) || !/^-?\d+$/.test(text) ? Number(text) : text));
    } catch {
        return data;
    }
}

function serializeQuery(params: Query): string {
    return Object.entries(params)
        .filter(([, v]) => v !== undefined)
        .map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(String(v))}`)
        .join("&");
}

/**
 * A call made after Fleio refused the token or could not be reached: not sent, and
 * said briefly, since the first failure already said what happened and what to do.
 */
function notSent(first: FleioApiError, config: AxiosRequestConfig): FleioApiError {
    const method = (config.method ?? "get").toUpperCase();
    const why = first.isUnreachable ? "Fleio could not be reached" : "Fleio refused the token";
    return new FleioApiError({
        method,
        path: "/" + String(config.url ?? ""),
        status: first.status,
        unreachable: first.isUnreachable,
        notSent: true,
        message: `not sent: ${why} on an earlier request of this run (its error says what to do)`,
    });
}

function toFleioError(e: unknown, config: AxiosRequestConfig, tokenSource: TokenSource, site: string): Error {
    const method = (config.method ?? "get").toUpperCase();
    const path = "/" + String(config.url ?? "");
    if (e instanceof AxiosError && neverReached(e) && e.code) {
        const retried = (e.config as { "axios-retry"?: { retryCount?: number } } | undefined)?.["axios-retry"]?.retryCount ?? 0;
        return new FleioApiError({
            method,
            path,
            cause: `${e.code}${e.message ? ` (${e.message})` : ""}`,
            unreachable: true,
            message: unreachableMessage(site, e.code, retried + 1, tokenSource === "flags" ? "--url" : "fleio:url"),
        });
    }
    if (e instanceof AxiosError) {
        return new FleioApiError({
            method,
            path,
            status: e.response?.status,
            body: e.response?.data,
            cause: e.code ? `${e.code}${e.message ? ` (${e.message})` : ""}` : e.message,
            maybeApplied: mayHaveBeenApplied(e),
            hint: e.response?.status === 401 ? unauthorizedHint(tokenSource) : undefined,
        });
    }
    return new Error(redact(`Fleio ${method} ${path} failed: ${e instanceof Error ? e.message : String(e)}`));
}
