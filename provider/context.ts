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
let current: ProviderContext | undefined;

/** Called from the dynamic provider's configure(); later calls replace the source. */
export function setConfigSource(get: (key: string) => string | undefined): void {
    getter = get;
    current = undefined;
}

/** Built on first use so that check() and diff(), which never call Fleio, need no credentials. */
export function providerContext(): ProviderContext {
    if (!current) {
        const settings = resolveSettings(getter);
        current = { api: new FleioClient(settings), settings, memo: new Map() };
    }
    return current;
}

/** For tests: a context around an explicit client. */
export function contextFor(settings: ClientSettings): ProviderContext {
    return { api: new FleioClient(settings), settings, memo: new Map() };
}

/** Memoises an async look-up per provider process (one scan per run, not per resource). */
export async function remember<T>(ctx: ProviderContext, key: string, load: () => Promise<T>): Promise<T> {
    if (!ctx.memo.has(key)) ctx.memo.set(key, load().catch((e) => { ctx.memo.delete(key); throw e; }));
    return ctx.memo.get(key) as Promise<T>;
}
