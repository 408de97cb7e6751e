import type { z } from "zod";
import { FleioClient, MAX_PAGE_SIZE } from "../provider/client/http";
import type { ClientSettings } from "../provider/config";
import type { CheckResult, Status } from "./report";
import { page, shapeProblems } from "./shapes";

/** What earlier checks learned and later ones (and the write round) use. */
export interface Facts {
    currencies?: string[];
    /** The currency the write round uses: Fleio's default one. */
    defaultCurrency?: string;
    billingResources?: { id: number; type: string; name: string }[];
    resellerProduct?: { id: number; name: string; cycles: { id: number; cycle: string; cycle_multiplier: number; currency: string }[] };
    configurations?: { id: number; name: string; is_default: boolean; reseller_resources?: number | null }[];
    /** suspend_instead_of_terminate of the configuration a new staff client gets; undefined = unknown. */
    newClientsSuspend?: boolean;
}

type Query = Record<string, string | number | boolean | undefined>;

/**
 * The one thing every check is handed: the provider's own API client (so token
 * handling and redaction are the provider's), the settings, shared facts, and a
 * place to record results.
 */
export class Probe {
    readonly results: CheckResult[] = [];
    readonly facts: Facts = {};
    private readonly lists = new Map<string, Promise<unknown[]>>();

    constructor(
        readonly api: FleioClient,
        readonly settings: ClientSettings,
        private readonly onResult?: (r: CheckResult) => void,
    ) {}

    get scope(): "staff" | "reseller" {
        return this.settings.apiScope;
    }

    record(status: Status, check: string, detail: string): void {
        const r = { status, check, detail };
        this.results.push(r);
        this.onResult?.(r);
    }
    pass = (check: string, detail: string) => this.record("PASS", check, detail);
    warn = (check: string, detail: string) => this.record("WARN", check, detail);
    fail = (check: string, detail: string) => this.record("FAIL", check, detail);
    info = (check: string, detail: string) => this.record("INFO", check, detail);

    /**
     * Every object of a list, the way the provider pages it, read once per run. A page
     * that is not a Fleio page fails with the fields that are missing.
     */
    list<T = Record<string, unknown>>(path: string, query: Query = {}): Promise<T[]> {
        const key = `${path}?${JSON.stringify(query)}`;
        if (!this.lists.has(key)) {
            const load = async () => {
                const out: unknown[] = [];
                for (let n = 1; ; n++) {
                    const res = await this.api.get<unknown>(path, { ...query, page: n, page_size: Math.min(1000, MAX_PAGE_SIZE) });
                    const problems = shapeProblems(page, res);
                    if (problems.length) throw new ShapeError(path, problems);
                    const p = res as z.output<typeof page>;
                    out.push(...p.objects);
                    // 20 pages of 1000 are plenty to judge a shape or a filter; a bigger list is not read whole.
                    if (!p.next || p.objects.length === 0 || n >= 20) return out;
                }
            };
            this.lists.set(key, load());
        }
        return this.lists.get(key) as Promise<T[]>;
    }
}

/** An answer that lacks what the provider reads: a FAIL naming the endpoint and fields. */
export class ShapeError extends Error {
    constructor(
        readonly endpoint: string,
        readonly problems: string[],
    ) {
        super(`${endpoint}: ${problems.slice(0, 6).join("; ")}${problems.length > 6 ? `; and ${problems.length - 6} more` : ""}`);
    }
}

/** Checks `value` against `schema`; records FAIL naming the endpoint and each field, or returns true. */
export function conforms(p: Probe, check: string, endpoint: string, schema: z.ZodType, value: unknown, itemPrefix = ""): boolean {
    const problems = shapeProblems(schema, value, itemPrefix);
    if (!problems.length) return true;
    p.fail(check, `${new ShapeError(endpoint, problems).message} (this Fleio's answer differs from 2019.12 where pulumi-fleio reads it)`);
    return false;
}

/** Objects of a list that fit `schema`; records one FAIL for those that do not. */
export function conformingItems<T>(p: Probe, check: string, endpoint: string, schema: z.ZodType<T>, items: unknown[]): T[] {
    const problems = new Set<string>();
    const ok: T[] = [];
    for (const item of items) {
        const found = shapeProblems(schema, item, "objects[]");
        found.forEach((x) => problems.add(x));
        if (!found.length) ok.push(item as T);
    }
    if (problems.size) p.fail(check, `${new ShapeError(endpoint, [...problems]).message} (this Fleio's answer differs from 2019.12 where pulumi-fleio reads it)`);
    return ok;
}

/**
 * Runs one part of a check; an error becomes a FAIL line for that part (the message
 * is the provider's redacted error), so one broken endpoint does not hide the others.
 */
export async function attempt<T>(p: Probe, check: string, run: () => Promise<T>): Promise<T | undefined> {
    try {
        return await run();
    } catch (e) {
        const message = e instanceof ShapeError ? `${e.message} (this Fleio's answer differs from 2019.12 where pulumi-fleio reads it)` : e instanceof Error ? e.message : String(e);
        p.fail(check, message);
        return undefined;
    }
}
