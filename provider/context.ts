import { createHash } from "node:crypto";
import { FleioClient } from "./client/http";
import { ClientSettings, resolveSettings } from "./config";

/**
 * What one provider process knows: its settings and API client, and a memo of what
 * this run has already looked up or claimed (see design.md "Cost rules").
 */
export interface ProviderContext {
    api: FleioClient;
    settings: ClientSettings;
    memo: Map<string, unknown>;
}

let getter: (key: string) => string | undefined = () => undefined;
let current: { ctx: ProviderContext; fingerprint: string } | undefined;

/**
 * Called from the dynamic provider's configure(). The engine configures the provider
 * once per distinct serialized provider (one per resource kind, more after an
 * upgrade), so this runs several times per process with the same credentials: the
 * context (client, its concurrency cap, every remembered scan) is kept unless the
 * settings really changed.
 */
export function setConfigSource(get: (key: string) => string | undefined): void {
    getter = get;
    if (current && fingerprintOf(get) !== current.fingerprint) current = undefined;
}

/** Built on first use so that check() and diff(), which never call Fleio, need no credentials. */
export function providerContext(): ProviderContext {
    if (!current) {
        const settings = resolveSettings(getter);
        current = { ctx: { api: new FleioClient(settings), settings, memo: new Map() }, fingerprint: settingsFingerprint(settings) };
    }
    return current.ctx;
}

/** For tests: forget the context, as a new provider process would start without one. */
export function resetProviderContext(): void {
    current = undefined;
}

/** For tests: a context around an explicit client. */
export function contextFor(settings: ClientSettings): ProviderContext {
    return { api: new FleioClient(settings), settings, memo: new Map() };
}

/** A value this run keeps and changes as it goes (e.g. what it deleted), made on first use. */
export function runState<T>(ctx: ProviderContext, key: string, make: () => T): T {
    if (!ctx.memo.has(key)) ctx.memo.set(key, make());
    return ctx.memo.get(key) as T;
}

/** What remember() holds for `key` (loaded or loading), without starting the look-up. */
export function recalled<T>(ctx: ProviderContext, key: string): Promise<T> | undefined {
    return ctx.memo.get(key) as Promise<T> | undefined;
}

/** Memoises an async look-up per provider process (one scan per run, not per resource). */
export async function remember<T>(ctx: ProviderContext, key: string, load: () => Promise<T>): Promise<T> {
    if (!ctx.memo.has(key)) ctx.memo.set(key, load().catch((e) => { ctx.memo.delete(key); throw e; }));
    return ctx.memo.get(key) as Promise<T>;
}

/**
 * A digest of everything the settings hold, the token included, so that a changed
 * token counts as a change while the token itself is never kept beside it in clear.
 * Settings that do not resolve have no fingerprint: the error surfaces at first use.
 */
function fingerprintOf(get: (key: string) => string | undefined): string | undefined {
    try {
        return settingsFingerprint(resolveSettings(get));
    } catch {
        return undefined;
    }
}

export function settingsFingerprint(settings: ClientSettings): string {
    const canonical = Object.keys(settings).sort().map((k) => [k, settings[k as keyof ClientSettings]]);
    return createHash("sha256").update(JSON.stringify(canonical)).digest("hex");
}
