import type { AddressInfo } from "node:net";
import { EmulatorContext } from "./context";
import type { FaultConfig } from "./faults";
import { randomSeed } from "./prng";
import { DEFAULT_SETUP, DEFAULT_STAFF_TOKEN, seedDb, Setup, SETUPS } from "./seed";
import { buildServer } from "./server";
import { Store } from "./store";
import { withoutResellerProducts } from "./domain/versions";

/**
 * A Fleio API emulator: a real HTTP server that answers like Fleio's staff,
 * reseller and end-user APIs, for demos and for tests that run the real Pulumi
 * engine. See emulator/README.md.
 */

export type { Fault, FaultConfig, FaultMatch } from "./faults";
export { DEFAULT_SETUP, DEFAULT_STAFF_TOKEN, SEED_IDS, SETUPS } from "./seed";
export type { Setup } from "./seed";

export interface EmulatorOptions {
    /** 0 = a random free port (default 0); the host is always 127.0.0.1 */
    port?: number;
    /** JSON file; loaded at start if present, written atomically after every mutation. Absent = in-memory. */
    dataFile?: string;
    /** 40 lowercase hex; default DEFAULT_STAFF_TOKEN. Given with an existing data file, it replaces the stored one. */
    staffToken?: string;
    /** seeds the PRNG used for client ids and random faults (deterministic); default random */
    seed?: number;
    /** how long a 202-deleted client stays in status "deleting" before it is gone (default 200) */
    deleteDelayMs?: number;
    /** initial fault settings */
    faults?: FaultConfig;
    /** request log to stderr (never includes the token) */
    log?: boolean;
    /**
     * What a new data file (and an admin reset) starts from: "factory" = a Fleio
     * right after its migrations, "demo" (default) = factory plus the demo
     * operator's Reseller product and extra currencies.
     */
    setup?: Setup;
    /**
     * false = a Fleio released after the reseller feature was removed (after 2022): no
     * reseller API, 404 on the reseller client actions, no reseller product. Default true.
     */
    resellerFeature?: boolean;
    /** when set, /__emulator/* also accepts `X-Emulator-Admin-Token: <value>` and `state` shows tokens to it */
    adminToken?: string;
    /**
     * How long an idle keep-alive connection stays open, in ms; 0 (default) = until the
     * client closes it. See server.ts: a server that closes idle connections races its
     * clients, which may be sending on the connection as it closes.
     */
    keepAliveTimeoutMs?: number;
}

export interface RunningEmulator {
    /** e.g. "http://127.0.0.1:43127" (no trailing slash); staff API at `${url}/backend/staffapi` */
    url: string;
    staffToken: string;
    close(): Promise<void>;
}

const TOKEN = /^[0-9a-f]{40}$/;

export async function startEmulator(opts: EmulatorOptions = {}): Promise<RunningEmulator> {
    if (opts.staffToken !== undefined && !TOKEN.test(opts.staffToken)) throw new Error("staffToken must be 40 lowercase hex characters, like a DRF token");
    if (opts.adminToken !== undefined && opts.adminToken.length < 16) throw new Error("adminToken must be at least 16 characters");
    const setup = opts.setup ?? DEFAULT_SETUP;
    if (!SETUPS.includes(setup)) throw new Error(`setup must be one of ${SETUPS.join(", ")}, not ${JSON.stringify(setup)}`);
    let staffToken = opts.staffToken ?? DEFAULT_STAFF_TOKEN;
    const version = { resellerFeature: opts.resellerFeature ?? true };
    const store = new Store(() => (version.resellerFeature ? seedDb(staffToken, setup) : withoutResellerProducts(seedDb(staffToken, setup))), opts.dataFile);
    adoptStaffToken(store, opts.staffToken, (t) => (staffToken = t));

    const ctx = new EmulatorContext(store, opts.seed ?? randomSeed(), opts.deleteDelayMs ?? 200, version);
    if (opts.faults) ctx.faults.set(opts.faults);
    ctx.resumePendingDeletes();
    store.touch(); // a new data file is written with the seed right away
    await store.flush();

    const app = buildServer(ctx, {
        log: opts.log === true,
        adminToken: opts.adminToken,
        keepAliveTimeoutMs: opts.keepAliveTimeoutMs ?? 0,
        onReset: () => {
            ctx.stop();
            ctx.resetIds();
        },
    });
    await app.listen({ port: opts.port ?? 0, host: "127.0.0.1" });
    const { port } = app.server.address() as AddressInfo;
    let closed: Promise<void> | undefined;
    return {
        url: `http://127.0.0.1:${port}`,
        staffToken,
        close: () =>
            (closed ??= (async () => {
                ctx.stop();
                await app.close();
                await store.flush();
            })()),
    };
}

/**
 * With a data file from an earlier run, the staff token is the stored one, unless
 * the caller names one: then that one replaces it.
 */
function adoptStaffToken(store: Store, wanted: string | undefined, set: (t: string) => void): void {
    const db = store.db;
    const staffIds = new Set(db.users.filter((u) => u.is_staff).map((u) => u.id));
    const current = db.tokens.find((t) => staffIds.has(t.user));
    if (wanted === undefined) {
        if (current) set(current.key);
        return;
    }
    if (current) current.key = wanted;
    else if (staffIds.size) db.tokens.push({ key: wanted, user: [...staffIds][0] });
    store.touch();
}
