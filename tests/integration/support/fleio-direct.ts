import * as assert from "node:assert/strict";
import type { RunningEmulator } from "../../../emulator";

/**
 * Talks to the emulator's staff API directly, as a person in Fleio's UI would:
 * this is how tests make drift, delete things out of band and make objects to adopt.
 * Deliberately not the provider's client, so a provider bug cannot hide itself.
 */
export class FleioDirect {
    constructor(private readonly em: RunningEmulator) {}

    async call<T = any>(method: string, path: string, body?: unknown): Promise<{ status: number; body: T }> {
        const res = await fetch(`${this.em.url}/backend/staffapi/${path}`, {
            method,
            headers: { Authorization: `Token ${this.em.staffToken}`, "content-type": "application/json" },
            body: body === undefined ? undefined : JSON.stringify(body),
        });
        const text = await res.text();
        return { status: res.status, body: (text ? JSON.parse(text) : undefined) as T };
    }

    async ok<T = any>(method: string, path: string, body?: unknown): Promise<T> {
        const r = await this.call<T>(method, path, body);
        assert.ok(r.status >= 200 && r.status < 300, `${method} ${path} → ${r.status} ${JSON.stringify(r.body)}`);
        return r.body;
    }

    /** Whether an object is still in Fleio (clients being deleted count as gone once 404). */
    async exists(path: string): Promise<boolean> {
        const r = await this.call("GET", path);
        return r.status === 200;
    }

    /** Sets the emulator's fault injection (the admin endpoint takes JSON only). */
    setFaults(body: unknown): Promise<Response> {
        return fetch(`${this.em.url}/__emulator/faults`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) });
    }

    /** The emulator's log of the requests it served, oldest first. */
    async requests(): Promise<{ method: string; path: string; status: number }[]> {
        return (await (await fetch(`${this.em.url}/__emulator/requests`)).json()) as { method: string; path: string; status: number }[];
    }

    async apiCalls(): Promise<number> {
        return ((await (await fetch(`${this.em.url}/__emulator/stats`)).json()) as { total: number }).total;
    }

    /**
     * The operator's default staff plan. A fresh Fleio has none (Fleio makes one on
     * demand with the first reseller service); an operator's Fleio has one, so tests
     * that stand for an operator make it as the operator would.
     */
    async defaultStaffPlanId(): Promise<string> {
        const page = await this.ok<{ objects: { id: number; is_default: boolean; reseller_resources: number | null }[] }>("GET", "openstack/billing/plan?page_size=1000");
        const plan = page.objects.find((p) => p.is_default && p.reseller_resources === null);
        if (plan) return String(plan.id);
        return String((await this.ok<{ id: number }>("POST", "openstack/billing/plan", { name: "Default", currency: "EUR", is_default: true })).id);
    }

    /**
     * A staff plan the operator made without marking it default, on a Fleio that has no
     * default staff plan: Fleio's reseller module puts new resellers on it (any plan will
     * do when none is default), and refuses every staff plan update that does not make one
     * the default.
     */
    async staffPlanNotDefault(): Promise<string> {
        const page = await this.ok<{ objects: { is_default: boolean; reseller_resources: number | null }[] }>("GET", "openstack/billing/plan?page_size=1000");
        assert.ok(!page.objects.some((p) => p.is_default && p.reseller_resources === null), "this Fleio already has a default staff plan");
        return String((await this.ok<{ id: number }>("POST", "openstack/billing/plan", { name: "Operator plan", currency: "EUR", is_default: false })).id);
    }

    /** Fleio's billing setting of the staff default configuration (true out of the box). */
    async setSuspendInsteadOfTerminate(value: boolean): Promise<void> {
        const configs = await this.ok<{ objects: { id: number; is_default: boolean; reseller_resources: number | null }[] }>("GET", "configurations?page_size=1000");
        const staffDefault = configs.objects.find((c) => c.is_default && c.reseller_resources === null);
        assert.ok(staffDefault, "Fleio has a default staff configuration");
        const settings = await this.ok<Record<string, unknown>>("GET", `configurations/${staffDefault.id}/billing`);
        await this.ok("PUT", `configurations/${staffDefault.id}/billing`, { ...settings, suspend_instead_of_terminate: value });
    }

    /** Runs `during` with Fleio really terminating what is deleted, then restores the setting. */
    async terminating<T>(suspendNormally: boolean, during: () => Promise<T>): Promise<T> {
        if (!suspendNormally) return during();
        await this.setSuspendInsteadOfTerminate(false);
        try {
            return await during();
        } finally {
            await this.setSuspendInsteadOfTerminate(true);
        }
    }

    async liveResellerService(clientId: string): Promise<{ id: number; plan: number | null; url: string | null } | undefined> {
        const r = await this.ok<{ services: { id: number; status: string }[]; resources: Record<string, { plan: { id: number } | null; enduser_panel_url: string | null }> }>(
            "GET",
            `clients/${clientId}/reseller_services`,
        );
        const s = r.services.find((x) => x.status !== "terminated" && r.resources[String(x.id)]);
        return s && { id: s.id, plan: r.resources[String(s.id)].plan?.id ?? null, url: r.resources[String(s.id)].enduser_panel_url };
    }
}

