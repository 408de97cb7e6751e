import { purgeDeletedClients } from "./domain/reseller";
import { FaultInjector } from "./faults";
import { Prng } from "./prng";
import { RequestLog, Stats } from "./stats";
import { Store } from "./store";
import { FleioVersion, WITH_RESELLER_FEATURE } from "./domain/versions";

/** Everything a route needs, created once per running emulator. */
export class EmulatorContext {
    readonly stats = new Stats();
    readonly requests = new RequestLog(500);
    readonly faults: FaultInjector;
    /** client ids; seeded so runs with the same --seed create the same ids */
    ids: Prng;
    private readonly timers = new Set<NodeJS.Timeout>();
    /** why a request ended in a 500, for the request log (keyed by the raw request) */
    readonly notes = new WeakMap<object, string>();

    constructor(
        readonly store: Store,
        readonly seed: number,
        readonly deleteDelayMs: number,
        /** which Fleio the routes answer as (with or without the reseller feature) */
        readonly version: FleioVersion = WITH_RESELLER_FEATURE,
    ) {
        this.ids = new Prng(seed);
        this.faults = new FaultInjector(seed);
    }

    /**
     * Clients scheduled for deletion vanish when due: lazily before each request
     * (so timing never depends on the event loop) and by a timer, so the data file
     * catches up even when no request comes.
     */
    scheduleDelete(at: number): void {
        const t = setTimeout(
            () => {
                this.timers.delete(t);
                this.purge().catch(() => undefined);
            },
            Math.max(0, at - Date.now()),
        );
        t.unref();
        this.timers.add(t);
    }

    async purge(): Promise<void> {
        if (purgeDeletedClients(this.store.db)) {
            this.store.touch();
            await this.store.flush();
        }
    }

    /** Re-arms timers for deletes that were pending when the data file was written. */
    resumePendingDeletes(): void {
        for (const c of this.store.db.clients) if (c.status === "deleting" && c.delete_at !== undefined) this.scheduleDelete(c.delete_at);
    }

    /** After a reset the id sequence starts over, as on a fresh start with the same seed. */
    resetIds(): void {
        this.ids = new Prng(this.seed);
    }

    stop(): void {
        for (const t of this.timers) clearTimeout(t);
        this.timers.clear();
    }
}
