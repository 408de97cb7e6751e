import { Prng } from "./prng";

/**
 * Fault injection: what a flaky Fleio (or the proxy in front of it) does to a
 * client. Random faults are drawn from a PRNG seeded by `seed`, so a failing run
 * replays exactly; scripted faults are one-shot and applied in order.
 */

export type Fault = (
    | { status: 429; retryAfter?: number }
    | { status: 500 | 501 | 502 | 503 }
    | { drop: "before" | "after" }
    | { latencyMs: number }
) & {
    /**
     * Narrows this one scripted fault further than the config's `match`: it waits for
     * the first request it matches, so one script can hit each kind of request once
     * whatever order a client sends them in.
     */
    match?: FaultMatch;
};

export interface FaultMatch {
    method?: string;
    pathPrefix?: string;
    /** A regular expression the whole path must match, e.g. `^/backend/staffapi/clients/\\d+/resume$`. */
    pathPattern?: string;
}

export interface FaultConfig {
    /** added to every matching request */
    latencyMs?: number;
    rate429?: number;
    rate5xx?: number;
    rateDrop?: number;
    /** Retry-After for random 429s and scripted ones without their own */
    retryAfterSeconds?: number;
    seed?: number;
    match?: FaultMatch;
    /** one-shot faults for the next matching requests, in order */
    script?: Fault[];
}

/** What to do with one request. */
export type FaultAction =
    | { kind: "pass"; latencyMs: number }
    | { kind: "status"; status: number; retryAfter?: number; latencyMs: number }
    | { kind: "drop"; when: "before" | "after"; latencyMs: number };

const FIVE_XX = [500, 502, 503] as const;

export class FaultInjector {
    private config: FaultConfig = {};
    private script: Fault[] = [];
    private rng: Prng;

    constructor(private readonly defaultSeed: number) {
        this.rng = new Prng(defaultSeed);
    }

    /** Replaces every setting, and restarts the random sequence from the seed. */
    set(config: FaultConfig): void {
        this.config = { ...config, script: undefined };
        this.script = [...(config.script ?? [])];
        this.rng = new Prng(config.seed ?? this.defaultSeed);
    }

    clear(): void {
        this.set({});
    }

    /** The settings in force, with what is left of the script. */
    get(): FaultConfig {
        const out: FaultConfig = { ...this.config };
        delete out.script;
        if (this.script.length) out.script = [...this.script];
        return out;
    }

    /** Decides the fate of one API request; consumes a scripted fault or two random draws. */
    decide(method: string, path: string): FaultAction {
        if (!matches(this.config.match, method, path)) return { kind: "pass", latencyMs: 0 };
        const base = this.config.latencyMs ?? 0;
        const retryAfter = this.config.retryAfterSeconds ?? 1;
        // While a script lasts no random draw is made; a request no scripted fault matches passes.
        if (this.script.length) {
            const at = this.script.findIndex((f) => matches(f.match, method, path));
            if (at < 0) return { kind: "pass", latencyMs: base };
            const [scripted] = this.script.splice(at, 1);
            if ("latencyMs" in scripted) return { kind: "pass", latencyMs: base + scripted.latencyMs };
            if ("drop" in scripted) return { kind: "drop", when: scripted.drop, latencyMs: base };
            if (scripted.status === 429) return { kind: "status", status: 429, retryAfter: scripted.retryAfter ?? retryAfter, latencyMs: base };
            return { kind: "status", status: scripted.status, latencyMs: base };
        }
        const drop = this.config.rateDrop ?? 0;
        const r429 = this.config.rate429 ?? 0;
        const r5xx = this.config.rate5xx ?? 0;
        if (drop + r429 + r5xx <= 0) return { kind: "pass", latencyMs: base };
        // Always two draws per request, so the sequence does not depend on earlier outcomes.
        const u = this.rng.next();
        const v = this.rng.next();
        if (u < drop) return { kind: "drop", when: v < 0.5 ? "before" : "after", latencyMs: base };
        if (u < drop + r429) return { kind: "status", status: 429, retryAfter, latencyMs: base };
        if (u < drop + r429 + r5xx) return { kind: "status", status: FIVE_XX[Math.floor(v * FIVE_XX.length)], latencyMs: base };
        return { kind: "pass", latencyMs: base };
    }
}

function matches(m: FaultMatch | undefined, method: string, path: string): boolean {
    if (!m) return true;
    if (m.method && m.method.toUpperCase() !== method.toUpperCase()) return false;
    if (m.pathPrefix && !path.startsWith(m.pathPrefix)) return false;
    if (m.pathPattern && !new RegExp(m.pathPattern).test(path)) return false;
    return true;
}

/** DRF-ish bodies for injected statuses. */
export function faultBody(status: number, retryAfter?: number): { detail: string } {
    switch (status) {
        case 429:
            return { detail: `Request was throttled. Expected available in ${retryAfter ?? 1} seconds.` };
        case 501:
            return { detail: "Not implemented." };
        case 502:
            return { detail: "Bad gateway." };
        case 503:
            return { detail: "Service temporarily unavailable, try again later." };
        default:
            return { detail: "A server error occurred." };
    }
}
