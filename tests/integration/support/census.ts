import type { FleioDirect } from "./fleio-direct";

/**
 * What Fleio holds, read through the staff API the way an operator would look: every
 * client, plan, rule, reseller service and configuration. Tests compare it with what
 * the program declares, so a duplicate or a leftover shows up whatever made it.
 */
export interface Census {
    /** Clients Fleio manages: active, or suspended (kept by Fleio after a delete). Clients being deleted are gone. */
    clients: { id: string; status: string; email: string; currency: string }[];
    plans: { id: string; name: string; resellerResources: string | null }[];
    rules: { id: string; plan: string; displayName: string }[];
    /** Reseller services that have not ended (active, pending or suspended), with their plan. */
    services: { id: string; client: string; status: string; plan: string | null; url: string | null }[];
    configurations: { id: string; name: string; resellerResources: string | null }[];
    /** The "default" configuration Fleio itself makes in each new reseller's scope when its service is ordered. */
    resellerDefaults: { id: string; name: string; resellerResources: string | null }[];
}

const ALL = "page_size=10000";
const str = (v: unknown) => (v === null || v === undefined ? null : String(v));

export async function census(f: FleioDirect): Promise<Census> {
    type Page<T> = { objects: T[] };
    const [clients, plans, rules, configurations] = await Promise.all([
        f.ok<Page<{ id: number; status: string; email: string; currency: string }>>("GET", `clients?${ALL}`),
        f.ok<Page<{ id: number; name: string; reseller_resources: number | null }>>("GET", `openstack/billing/plan?${ALL}`),
        f.ok<Page<{ id: number; plan: number; display_name: string }>>("GET", `openstack/billing/pricerule?${ALL}`),
        f.ok<Page<{ id: number; name: string; reseller_resources: number | null }>>("GET", `configurations?${ALL}`),
    ]);
    const kept = clients.objects.filter((c) => c.status !== "deleting");
    const services: Census["services"] = [];
    for (const c of kept) {
        const r = await f.call<{ services: { id: number; status: string }[]; resources: Record<string, { plan: { id: number } | null; enduser_panel_url: string | null }> }>(
            "GET",
            `clients/${c.id}/reseller_services`,
        );
        // A client that went between the two reads has no services to count.
        if (r.status === 404) continue;
        for (const s of r.body.services) {
            if (s.status === "terminated" || s.status === "canceled") continue;
            const rr = r.body.resources[String(s.id)];
            services.push({ id: String(s.id), client: String(c.id), status: s.status, plan: str(rr?.plan?.id), url: rr?.enduser_panel_url ?? null });
        }
    }
    const configs = configurations.objects.map((c) => ({ id: String(c.id), name: c.name, resellerResources: str(c.reseller_resources) }));
    const fleioMade = (c: { name: string; resellerResources: string | null }) => c.name === "default" && c.resellerResources !== null;
    return {
        clients: kept.map((c) => ({ id: String(c.id), status: c.status, email: c.email, currency: c.currency })),
        plans: plans.objects.map((p) => ({ id: String(p.id), name: p.name, resellerResources: str(p.reseller_resources) })),
        rules: rules.objects.map((r) => ({ id: String(r.id), plan: String(r.plan), displayName: r.display_name })),
        services,
        configurations: configs.filter((c) => !fleioMade(c)),
        resellerDefaults: configs.filter(fleioMade),
    };
}

/** Objects in `now` that were not in `before` (by kind and id): what the stack made. */
export function added(before: Census, now: Census): Census {
    const had = (xs: { id: string }[]) => new Set(xs.map((x) => x.id));
    const fresh = <T extends { id: string }>(b: T[], n: T[]) => n.filter((x) => !had(b).has(x.id));
    return {
        clients: fresh(before.clients, now.clients),
        plans: fresh(before.plans, now.plans),
        rules: fresh(before.rules, now.rules),
        services: fresh(before.services, now.services),
        configurations: fresh(before.configurations, now.configurations),
        resellerDefaults: fresh(before.resellerDefaults, now.resellerDefaults),
    };
}

/** Ids of each kind, sorted: the shape tests compare with what the stack's outputs say. */
export function ids(c: Census): Record<Exclude<keyof Census, "resellerDefaults">, string[]> {
    return { clients: sorted(c.clients), plans: sorted(c.plans), rules: sorted(c.rules), services: sorted(c.services), configurations: sorted(c.configurations) };
}

export const sorted = (xs: ({ id: string } | string)[]) => xs.map((x) => (typeof x === "string" ? x : x.id)).sort((a, b) => Number(a) - Number(b));
