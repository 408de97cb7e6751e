import { FleioClient } from "../client/http";
import { FleioApiError } from "../client/errors";
import { ProviderContext, runState } from "../context";
import { warning } from "../notice";
import { cut } from "./echo";

/**
 * How check() may ask Fleio (validation/remote.ts): briefly, once, and out loud when it
 * could not. Offline previews stay possible, but a preview that skipped a check says so
 * instead of passing as if it had checked: with Fleio unreachable, the preview of a new
 * PricingRule used to spend ~11 s in silent retries and show a plain create, and the
 * `up` then failed.
 *
 * - One try per request, and at most CHECK_TIMEOUT_MS for it (the settings' timeout when
 *   shorter): no retries, which are for apply, where a write must land.
 * - After Fleio did not answer (no response at all), later check-time requests of this
 *   process are skipped at once, so a preview of many resources waits once, not per resource.
 * - A check that could not ask Fleio is skipped with one warning per check and reason,
 *   naming the check and the URL (the site URL, without any user:password part), never a
 *   credential.
 */
export const CHECK_TIMEOUT_MS = 3000;

/** Thrown by a check-time request that failed or was not sent: the check is skipped. */
export class CheckSkipped extends Error {
    constructor(readonly reason: string) {
        super(`Fleio was not asked: ${reason}`);
    }
}

interface Budget {
    api?: FleioClient;
    /** Why Fleio did not answer, once one check-time request found out. */
    unreachable?: string;
    warned: Set<string>;
}

const budgetOf = (ctx: ProviderContext) => runState<Budget>(ctx, "check/budget", () => ({ warned: new Set() }));

/** The context remote checks run with: the same memo and settings, a brief client. */
export function checkContext(ctx: ProviderContext): ProviderContext {
    const budget = budgetOf(ctx);
    const settings = { ...ctx.settings, retries: 0, timeoutMs: Math.min(ctx.settings.timeoutMs, CHECK_TIMEOUT_MS) };
    const api = (budget.api ??= new FleioClient(settings));
    return { ...ctx, settings, api: briefly(api, budget) };
}

/**
 * The client's methods, each failing as CheckSkipped. Inner calls (getIfExists → get)
 * go to the client itself, so a 404 that getIfExists turns into "gone" stays that.
 */
function briefly(api: FleioClient, budget: Budget): FleioClient {
    return new Proxy(api, {
        get(target, prop, receiver) {
            const value = Reflect.get(target, prop, receiver);
            if (typeof value !== "function") return value;
            return async (...args: unknown[]) => {
                if (budget.unreachable) throw new CheckSkipped(budget.unreachable);
                try {
                    return await value.apply(target, args);
                } catch (e) {
                    const reason = reasonOf(e);
                    if (e instanceof FleioApiError && e.status === undefined) budget.unreachable = reason;
                    throw new CheckSkipped(reason);
                }
            };
        },
    });
}

/** What went wrong, without the request line: "connect ECONNREFUSED …", "HTTP 401 — …". */
function reasonOf(e: unknown): string {
    // The warning names the site already: keep only the socket's cause.
    if (e instanceof FleioApiError && e.connectCause) return cut(e.connectCause, 160);
    const message = e instanceof Error ? e.message : String(e);
    return cut(message.replace(/^Fleio \S+ \S+ failed: /, ""), 160);
}

/**
 * The warning for a check that could not ask Fleio; silent for any other error, which
 * apply will meet and report with its fix.
 */
export function reportSkipped(ctx: ProviderContext, kind: string, what: string, e: unknown): void {
    if (!(e instanceof CheckSkipped)) return;
    const budget = budgetOf(ctx);
    const key = `${kind}\n${what}\n${e.reason}`;
    if (budget.warned.has(key)) return;
    budget.warned.add(key);
    warning(
        `could not ask Fleio at ${siteOf(ctx.settings.siteUrl)} (${e.reason}), so fleio:${kind} was not checked for ${what}; ` +
            "the preview goes on without it, and `pulumi up` fails if it does not hold",
    );
}

/** The site URL as shown to people: no user:password, even if the settings had one. */
function siteOf(url: string): string {
    try {
        const u = new URL(url);
        u.username = "";
        u.password = "";
        return u.toString().replace(/\/$/, "");
    } catch {
        return "the configured fleio:url";
    }
}
