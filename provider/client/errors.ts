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
    /** True when no connection to Fleio could be made (nothing was sent). */
    readonly isUnreachable: boolean;
    /** For an unreachable Fleio: the socket's code and message, e.g. "ECONNREFUSED (connect ECONNREFUSED 10.0.0.5:443)". */
    readonly connectCause: string | undefined;
    /** True when the client did not send this call: an earlier one found the token refused or Fleio unreachable. */
    readonly notSent: boolean;

    /** `hint`: what to do about it, appended as a sentence (e.g. client/unauthorized.ts). */
    /** `message`: the whole message, for failures that are not about one request (an unreachable Fleio). */
    constructor(args: { method: string; path: string; status?: number; body?: DrfBody; cause?: string; maybeApplied?: boolean; hint?: string; message?: string; unreachable?: boolean; notSent?: boolean }) {
        const fields = flattenDrfErrors(args.body);
        const what = args.status !== undefined ? `HTTP ${args.status}` : (args.cause ?? "no response");
        const detail = Object.entries(fields)
            .map(([k, v]) => (k === "detail" ? v.join(" ") : `${k}: ${v.join(" ")}`))
            .join("; ");
        const said = `Fleio ${args.method.toUpperCase()} ${args.path} failed: ${what}${detail ? ` — ${detail}` : ""}`;
        super(redact(args.message ?? (args.hint ? `${said}${said.endsWith(".") ? "" : "."} ${args.hint}` : said)));
        this.name = "FleioApiError";
        this.method = args.method.toUpperCase();
        this.path = redact(args.path);
        this.status = args.status;
        this.fields = Object.fromEntries(Object.entries(fields).map(([k, v]) => [k, v.map(redact)]));
        this.maybeApplied = args.maybeApplied ?? false;
        this.isUnreachable = args.unreachable ?? false;
        this.notSent = args.notSent ?? false;
        this.connectCause = args.unreachable && args.cause ? redact(args.cause) : undefined;
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

/**
 * What a connection that could not be made says: where Fleio was looked for, how, and
 * the cause, never the path of the request that happened to go first (each run named a
 * different one) nor the token.
 */
export function unreachableMessage(site: string, code: string, tries: number, urlSetting: string): string {
    const n = `${tries} ${tries === 1 ? "try" : "tries"}`;
    switch (code) {
        case "ECONNREFUSED":
            return `Fleio at ${site} refused the connection (${n}): nothing accepts connections at that address and port; check ${urlSetting} and that Fleio is running`;
        case "ENOTFOUND":
        case "EAI_AGAIN":
            return `Fleio at ${site} could not be reached (${n}): its host name does not resolve (${code}); check ${urlSetting}`;
        case "ECONNECT_TIMEOUT":
            return `Fleio at ${site} did not accept a connection (${n}, each given up after a few seconds): check ${urlSetting}, the network and any firewall`;
        default:
            return `Fleio at ${site} could not be reached (${n}): no route to the host (${code}); check ${urlSetting} and the network`;
    }
}
