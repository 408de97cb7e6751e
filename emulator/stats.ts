/**
 * What the emulator saw: per-route call counts (for "a no-change preview makes no
 * API calls" checks) and a ring buffer of recent requests. Neither ever holds the
 * Authorization header or a token.
 */

export interface LoggedRequest {
    method: string;
    path: string;
    query: Record<string, string>;
    /** 0 when the connection was dropped before any response */
    status: number;
    body?: unknown;
    /** set when fault injection dropped the connection */
    dropped?: "before" | "after";
    /** set when fault injection answered instead of Fleio */
    injected?: boolean;
    /** for a 500: the Python exception Fleio would have raised */
    note?: string;
}

export class Stats {
    total = 0;
    byRoute: Record<string, number> = {};

    count(route: string): void {
        this.total++;
        this.byRoute[route] = (this.byRoute[route] ?? 0) + 1;
    }

    reset(): void {
        this.total = 0;
        this.byRoute = {};
    }

    toJSON(): { total: number; byRoute: Record<string, number> } {
        return { total: this.total, byRoute: { ...this.byRoute } };
    }
}

const SECRET_KEYS = /^(password|token|key|secret)$/i;

/** Request bodies go to the log with password-like values masked. */
export function redact(value: unknown): unknown {
    if (Array.isArray(value)) return value.map(redact);
    if (value && typeof value === "object")
        return Object.fromEntries(Object.entries(value as Record<string, unknown>).map(([k, v]) => [k, SECRET_KEYS.test(k) ? "********" : redact(v)]));
    return value;
}

export class RequestLog {
    private entries: LoggedRequest[] = [];

    constructor(private readonly capacity = 500) {}

    /** Adds an entry and returns it, so the caller can fill in the status later. */
    push(entry: LoggedRequest): LoggedRequest {
        this.entries.push(entry);
        if (this.entries.length > this.capacity) this.entries.splice(0, this.entries.length - this.capacity);
        return entry;
    }

    list(): LoggedRequest[] {
        return this.entries.map((e) => ({ ...e }));
    }

    clear(): void {
        this.entries = [];
    }
}
