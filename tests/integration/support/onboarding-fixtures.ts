import type { Stack } from "@pulumi/pulumi/automation";
import type { RunningEmulator } from "../../../emulator";
import type * as fleio from "../../../sdk";
import { FleioDirect } from "./fleio-direct";

/** A reseller's client details; `tag` keeps emails, billing ids and domains apart. */
export function resellerClient(tag: string): fleio.ResellerArgs {
    return {
        firstName: "Ada",
        lastName: "Operator",
        company: `${tag} Cloud`,
        email: `ops@${tag}.example`,
        phone: "+49 30 1234567",
        address1: "1 Cloud Street",
        city: "Berlin",
        zipCode: "10115",
        country: "DE",
        currency: "EUR",
        externalBillingId: tag,
    };
}

/** A staff plan with rules, made as a person would in Fleio's UI: the template. */
export async function makeTemplate(f: FleioDirect, rules: { name: string; resource: string; prices: { f: number | string; p: number | string }[]; timeUnit?: string; flavor?: string; attribute?: string }[]): Promise<{ planId: string; ruleIds: Record<string, number> }> {
    const plan = await f.ok<{ id: number }>("POST", "openstack/billing/plan", { name: `Template ${Date.now()}`, currency: "EUR" });
    const options = await f.ok<{ resources: { id: number; name: string }[] }>("GET", "openstack/billing/pricerule/create_options");
    const ruleIds: Record<string, number> = {};
    for (const r of rules) {
        const resource = options.resources.find((x) => x.name.toLowerCase() === r.resource);
        if (!resource) throw new Error(`the emulator has no billing resource ${r.resource}`);
        const made = await f.ok<{ id: number }>("POST", "openstack/billing/pricerule", {
            display_name: r.name,
            plan: plan.id,
            resource: resource.id,
            priority: 1,
            pricing: { prices: r.prices, attribute: r.attribute ?? null, attribute_unit: r.attribute ? "g" : null, time_unit: r.timeUnit ?? "h" },
            conditions: r.flavor ? [{ name: "flavour", attribute: "instance_type", operator: "eq", value: r.flavor }] : [],
            modifiers: [],
        });
        ruleIds[r.name] = made.id;
    }
    return { planId: String(plan.id), ruleIds };
}

/** Rules of a plan as Fleio holds them: display name → tiers as decimal text. */
export async function rulesOf(f: FleioDirect, planId: string): Promise<Record<string, string[]>> {
    const all = await f.ok<{ objects: { plan: number; display_name: string; pricing: { prices: { f: unknown; p: unknown }[] } }[] }>("GET", "openstack/billing/pricerule?page_size=1000");
    const out: Record<string, string[]> = {};
    for (const r of all.objects.filter((x) => String(x.plan) === planId)) out[r.display_name] = r.pricing.prices.map((t) => `${Number(t.f)}:${Number(t.p)}`);
    return out;
}

/** How many clients and plans Fleio holds: "nothing was created" is these staying put. */
export async function objectCounts(f: FleioDirect): Promise<{ clients: number; plans: number; rules: number }> {
    const count = async (path: string) => (await f.ok<{ count: number }>("GET", `${path}?page_size=1`)).count;
    return { clients: await count("clients"), plans: await count("openstack/billing/plan"), rules: await count("openstack/billing/pricerule") };
}

/** The change counts of a preview without the resources that stay the same. */
export function changes(summary: Record<string, number | undefined>): Record<string, number> {
    return Object.fromEntries(Object.entries(summary).filter(([k, v]) => k !== "same" && (v ?? 0) > 0)) as Record<string, number>;
}

export async function emulatorFaults(em: RunningEmulator, config: unknown): Promise<void> {
    const res = await fetch(`${em.url}/__emulator/faults`, { method: config ? "POST" : "DELETE", headers: { "content-type": "application/json" }, body: config ? JSON.stringify(config) : undefined });
    if (!res.ok) throw new Error(`fault config refused: ${res.status} ${await res.text()}`);
}

export type { Stack };
