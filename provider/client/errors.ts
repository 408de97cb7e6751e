import { redact } from "./redact";

/** What a DRF error body can look like: `{"detail": …}`, `{"field": ["…"]}`, `{"non_field_errors": […]}`. */
type DrfBody = unknown;

/**
 * One readable error for every failed Fleio call. The message names the method,
 * the path, the status and each field Fleio complained about, and is redacted, so
 * it is safe for the Pulumi console and for state.
 */
export class FleioApiError extends Error {
    readonly method: string;
    readonly path: string;
    readonly status: number | undefined;
    readonly fields: Record<string, string[]>;
    /** True when the request may have reached Fleio (connection dropped after sending). */
    readonly maybeApplied: boolean;

    /** `hint`: what to do about it, appended as a sentence (e.g. client/unauthorized.ts). */
    constructor(args: { method: string; path: string; status?: number; body?: DrfBody; cause?: string; maybeApplied?: boolean; hint?: string }) {
        const fields = flattenDrfErrors(args.body);
        const what = args.status !== undefined ? `HTTP ${args.status}` : (args.cause ?? "no response");
        const detail = Object.entries(fields)
            .map(([k, v]) => (k === "detail" ? v.join(" ") : `${k}: ${v.join(" ")}`))
            .join("; ");
        const said = `Fleio ${args.method.toUpperCase()} ${args.path} failed: ${what}${detail ? ` — ${detail}` : ""}`;
        super(redact(args.hint ? `${said}${said.endsWith(".") ? "" : "."} ${args.hint}` : said));
        this.name = "FleioApiError";
        this.method = args.method.toUpperCase();
        this.path = redact(args.path);
        this.status = args.status;
        this.fields = Object.fromEntries(Object.entries(fields).map(([k, v]) => [k, v.map(redact)]));
        this.maybeApplied = args.maybeApplied ?? false;
    }

    get isNotFound(): boolean {
        return this.status === 404;
    }

    toJSON(): Record<string, unknown> {
        return { name: this.name, message: this.message, method: this.method, path: this.path, status: this.status, fields: this.fields };
    }
}

/** Turns any DRF error body into `field → messages`; nested serializers become dotted paths. */
export function flattenDrfErrors(body: DrfBody, prefix = ""): Record<string, string[]> {
    const out: Record<string, string[]> = {};
    const add = (key: string, msg: string) => (out[key] ??= []).push(msg);
    const walk = (value: unknown, key: string): void => {
        if (value === null || value === undefined) return;
        if (typeof value === "string" || typeof value === "number" || typeof value === "boolean") {
            add(key || "detail", String(value));
        } else if (Array.isArray(value)) {
            value.forEach((v, i) => walk(v, typeof v === "object" && v !== null && !Array.isArray(v) ? `${key}[${i}]` : key));
        } else if (typeof value === "object") {
            for (const [k, v] of Object.entries(value as Record<string, unknown>)) walk(v, key ? `${key}.${k}` : k);
        }
    };
    if (typeof body === "string") {
        // HTML error pages (proxies, Django debug) are noise: keep a short hint only.
        const text = body.trim();
        if (text) add("detail", text.startsWith("<") ? "non-JSON error page" : text.slice(0, 300));
    } else {
        walk(body, prefix);
    }
    return out;
}
