import { RunningEmulator, SEED_IDS, startEmulator, EmulatorOptions } from "../../emulator";

/** Small HTTP helpers for the emulator's tests: plain fetch, no provider code. */

export interface Reply<T = any> {
    status: number;
    body: T;
    headers: Headers;
}

export type Api = "staffapi" | "resellerapi" | "api";

export class Http {
    constructor(
        readonly em: RunningEmulator,
        /** null: send no Authorization header */
        private token: string | null = em.staffToken,
        private readonly api: Api = "staffapi",
    ) {}

    as(token: string | null, api: Api = this.api): Http {
        return new Http(this.em, token, api);
    }

    async call<T = any>(method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<Reply<T>> {
        const h: Record<string, string> = { ...headers };
        if (this.token !== null && !("Authorization" in h)) h.Authorization = `Token ${this.token}`;
        if (body !== undefined) h["content-type"] = "application/json";
        const url = path.startsWith("/") ? `${this.em.url}${path}` : `${this.em.url}/backend/${this.api}/${path}`;
        const res = await fetch(url, { method, headers: h, body: body === undefined ? undefined : JSON.stringify(body) });
        const text = await res.text();
        let parsed: unknown = text;
        try {
            parsed = text ? JSON.parse(text) : undefined;
        } catch {
            /* keep the text */
        }
        return { status: res.status, body: parsed as T, headers: res.headers };
    }

    get = <T = any>(path: string) => this.call<T>("GET", path);
    post = <T = any>(path: string, body?: unknown) => this.call<T>("POST", path, body ?? {});
    put = <T = any>(path: string, body: unknown) => this.call<T>("PUT", path, body);
    patch = <T = any>(path: string, body: unknown) => this.call<T>("PATCH", path, body);
    del = <T = any>(path: string) => this.call<T>("DELETE", path);

    /** The call must succeed (2xx); returns the body. */
    async ok<T = any>(method: string, path: string, body?: unknown): Promise<T> {
        const r = await this.call<T>(method, path, body);
        if (r.status < 200 || r.status > 299) throw new Error(`${method} ${path} → ${r.status} ${JSON.stringify(r.body)}`);
        return r.body;
    }
}

/** Starts an emulator for a describe block; `ctx.em` and `ctx.http` are ready in tests. */
export function useEmulator(opts: EmulatorOptions = {}): { em: RunningEmulator; http: Http } {
    const ctx = {} as { em: RunningEmulator; http: Http };
    before(async () => {
        ctx.em = await startEmulator({ seed: 11, deleteDelayMs: 100, ...opts });
        ctx.http = new Http(ctx.em);
    });
    after(async () => {
        await ctx.em?.close();
    });
    return ctx;
}

export const CLIENT = {
    first_name: "Ada",
    last_name: "Lovelace",
    address1: "12 Analytical St",
    city: "London",
    country: "GB",
    zip_code: "N1 9GU",
    phone: "+44 20 7946 0000",
    email: "ada@example.com",
};

let n = 0;
/** A client body with a unique external_billing_id. */
export const clientBody = (extra: Record<string, unknown> = {}) => ({ ...CLIENT, external_billing_id: `ext-${process.pid}-${++n}`, ...extra });

export const RESELLER_PRODUCT = SEED_IDS.resellerProduct;
export const MONTHLY_CYCLE = SEED_IDS.resellerMonthlyCycle;
export const YEARLY_CYCLE = SEED_IDS.resellerYearlyCycle;
export const OPENSTACK_PRODUCT = SEED_IDS.openstackProduct;
export const OPENSTACK_CYCLE = SEED_IDS.openstackMonthlyCycle;

/** Sets suspend_instead_of_terminate on a configuration (the seeded `default` unless named). */
export async function setSuspendInsteadOfTerminate(http: Http, value: boolean, configurationId: number = SEED_IDS.defaultConfiguration): Promise<void> {
    const current = await http.ok("GET", `configurations/${configurationId}/billing`);
    await http.ok("PUT", `configurations/${configurationId}/billing`, { ...current, suspend_instead_of_terminate: value });
}

/** Creates a client with a reseller service; returns its ids. */
export async function makeReseller(http: Http, extra: Record<string, unknown> = {}): Promise<{ clientId: number; serviceId: number; rrId: number }> {
    const client = await http.ok("POST", "clients", clientBody(extra));
    await http.ok("POST", `clients/${client.id}/create_reseller_service`, { product_id: RESELLER_PRODUCT, product_cycle_id: MONTHLY_CYCLE });
    const rs = await http.ok("GET", `clients/${client.id}/reseller_services`);
    const serviceId = rs.services[0].id as number;
    return { clientId: client.id, serviceId, rrId: rs.resources[String(serviceId)].id };
}

/** A token for the reseller API, for a client that has a reseller service. */
export async function resellerToken(em: RunningEmulator, clientId: number): Promise<string> {
    const r = await fetch(`${em.url}/__emulator/reseller-token`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ client_id: clientId }) });
    if (r.status !== 200) throw new Error(`reseller-token → ${r.status} ${await r.text()}`);
    return ((await r.json()) as { token: string }).token;
}

export async function admin<T = any>(em: RunningEmulator, method: string, path: string, body?: unknown): Promise<Reply<T>> {
    // State-changing admin calls must be JSON (the admin endpoints refuse anything an HTML form could send).
    const json = method !== "GET";
    const res = await fetch(`${em.url}/__emulator/${path}`, {
        method,
        headers: json ? { "content-type": "application/json" } : {},
        body: json ? JSON.stringify(body ?? {}) : undefined,
    });
    const text = await res.text();
    return { status: res.status, body: (text ? JSON.parse(text) : undefined) as T, headers: res.headers };
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
