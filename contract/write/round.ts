import { configure } from "../../provider/index";
import type { Config } from "@pulumi/pulumi";
import { attempt, Probe } from "../probe";
import { CASES, RoundCase, RoundContext } from "./cases";
import { driver, Managed } from "./driver";
import { ownShapes } from "./own-shapes";

type Props = Record<string, unknown>;

/**
 * --write: a create → read → update → read → delete round of every resource, through
 * the provider's own implementations, in a naming space nothing else uses. Whatever
 * fails, every object the round created is deleted again (reverse order), and what
 * Fleio kept after the deletes is listed.
 */
export async function writeRound(p: Probe, prefix: string, getConfig: (key: string) => string | undefined, signal?: AbortSignal): Promise<void> {
    const ctx = await prepare(p, prefix);
    if (!ctx) return;
    if (!(await namingSpaceIsEmpty(p, prefix))) return;
    announceSuspend(p);

    configure({ config: { get: getConfig } as unknown as Config });
    const managed: Managed[] = [];
    try {
        if (await forward(p, ctx, managed, signal)) await ownShapes(p, ctx);
    } finally {
        await cleanUp(p, managed);
    }
}

async function prepare(p: Probe, prefix: string): Promise<RoundContext | undefined> {
    const f = p.facts;
    const missing = [!f.defaultCurrency && "a currency (plan/create_options)", !f.billingResources?.length && "a billing resource (pricerule/create_options)"].filter(Boolean);
    if (missing.length) {
        p.fail("write", `the write round needs ${missing.join(" and ")}, which the checks above could not read; nothing was written`);
        return undefined;
    }
    const resources = f.billingResources ?? [];
    const instance = resources.find((r) => /^instance$/i.test(r.name)) ?? resources.find((r) => r.type === "service") ?? resources[0];
    const cycle = f.resellerProduct?.cycles[0];
    p.info("write", `naming space "${prefix}": every object the round creates carries it in its name, email, external id or domain`);
    return {
        prefix,
        currency: f.defaultCurrency ?? "",
        resourceName: instance.name,
        resellerProduct: f.resellerProduct && cycle ? { id: f.resellerProduct.id, cycleId: cycle.id } : undefined,
        scope: p.scope,
        // A fresh Fleio has no plan at all, and a reseller's scope starts empty.
        scopeHasDefaultPlan: (await p.list<Props>("openstack/billing/plan")).some((x) => x.is_default === true && (p.scope === "reseller" || x.reseller_resources === null)),
        outs: {},
    };
}

/** Refuses to start when anything already uses the prefix: the round must only touch its own objects. */
async function namingSpaceIsEmpty(p: Probe, prefix: string): Promise<boolean> {
    const taken: string[] = [];
    const ok = await attempt(p, "write", async () => {
        const has = (v: unknown) => typeof v === "string" && v.includes(prefix);
        for (const path of ["openstack/billing/plan", "configurations", ...(p.scope === "staff" ? ["clients"] : [])]) {
            for (const o of await p.list<Props>(path, { search: prefix }))
                if (has(o.name) || has(o.email) || has(o.last_name)) taken.push(`${path}/${String(o.id)}`);
        }
        return true;
    });
    if (!ok) return false;
    if (taken.length) {
        p.fail("write", `naming space "${prefix}" is not empty (${taken.join(", ")}); choose another --prefix; nothing was written`);
        return false;
    }
    return true;
}

function announceSuspend(p: Probe): void {
    if (p.scope !== "staff") return;
    const s = p.facts.newClientsSuspend;
    if (s === true)
        p.info("write", "the configuration new clients get has suspend_instead_of_terminate=true: after delete, Fleio will keep the test reseller client and its reseller service suspended (listed at the end)");
    else if (s === undefined) p.info("write", "the billing setting suspend_instead_of_terminate of new clients is unknown: what Fleio keeps after delete is listed at the end");
}

/** The forward half of the round; false when it stopped early (the reason is recorded). */
async function forward(p: Probe, ctx: RoundContext, managed: Managed[], signal?: AbortSignal): Promise<boolean> {
    const skipped = new Set<string>();
    for (const c of CASES) {
        const check = `write:${c.label}`;
        if (signal?.aborted) {
            p.fail("write", `interrupted before ${c.label}; cleaning up what the round created`);
            return false;
        }
        if (c.staffOnly && ctx.scope !== "staff") {
            p.info(check, "staff API only; not written with --api-scope reseller");
            continue;
        }
        if (c.needsResellerProduct && !ctx.resellerProduct) {
            if (!skipped.has("product")) p.warn("write", "no reseller product with a cycle: ResellerService and FrontendDomain are not written; create a product of type reseller with a cycle in Fleio before onboarding");
            skipped.add("product");
            continue;
        }
        if (!(await roundOf(p, check, c, ctx, managed))) {
            p.fail("write", `the round stopped at ${c.label}; cleaning up what it created`);
            return false;
        }
    }
    return true;
}

/** One case forward; false when a step failed (the error is recorded). */
async function roundOf(p: Probe, check: string, c: RoundCase, ctx: RoundContext, managed: Managed[]): Promise<boolean> {
    let phase = "create";
    try {
        const inputs = c.inputs(ctx);
        const m = await driver.create(c.kind, c.label, inputs, (x) => managed.push(x));
        ctx.outs[c.label] = m.outs;
        p.pass(check, `create: ${c.describe(m.outs, m.id)}`);

        phase = "read";
        await readShows(m, c.expectCreated(ctx), "create");
        p.pass(check, `read: shows what was created`);
        if (c.kind === "Reseller") await findsByExternalId(p, ctx.prefix, m.id);

        if (!c.update || !c.expectUpdated) return true;
        phase = "update";
        await driver.update(m, c.update(ctx, inputs));
        ctx.outs[c.label] = m.outs;
        phase = "read after update";
        const expected = c.expectUpdated(ctx);
        await readShows(m, expected, "update");
        p.pass(check, `update: ${Object.keys(expected).join(", ")} changed in place, and read() shows it`);
        return true;
    } catch (e) {
        p.fail(check, `${phase}: ${e instanceof Error ? e.message : String(e)}`);
        return false;
    }
}

async function readShows(m: Managed, expected: Props, after: string): Promise<void> {
    const now = await driver.read(m);
    if (!now) throw new Error(`read() finds ${m.kind} ${m.id} gone right after ${after}`);
    const wrong = Object.entries(expected).filter(([k, v]) => JSON.stringify(now[k]) !== JSON.stringify(v));
    if (wrong.length) throw new Error(`read() after ${after} shows ${wrong.map(([k, v]) => `${k}=${JSON.stringify(now[k])} (expected ${JSON.stringify(v)})`).join(", ")}`);
    m.outs = now;
}

/** The positive half of the external_billing_id question, with a client that has one. */
async function findsByExternalId(p: Probe, prefix: string, clientId: string): Promise<void> {
    const check = "search:external_billing_id";
    await attempt(p, check, async () => {
        const found = (await p.api.get<{ objects: { id: number }[] }>("clients", { external_billing_id: prefix, page_size: 5 })).objects;
        if (found.length === 1 && String(found[0].id) === clientId) p.pass(check, `clients?external_billing_id=${prefix} finds exactly the test client ${clientId}`);
        else p.warn(check, `clients?external_billing_id=${prefix} answered ${found.length} clients (${found.map((x) => x.id).join(", ")}), not just the test client ${clientId}: the provider cannot find a client by its external id on this Fleio`);
    });
}

/** Deletes in reverse order, each step reported; then lists what Fleio kept. */
async function cleanUp(p: Probe, managed: Managed[]): Promise<void> {
    const kept: string[] = [];
    for (const m of [...managed].reverse()) {
        const check = `write:${m.label}`;
        try {
            await driver.delete(m);
        } catch (e) {
            const left = await leftover(p, m).catch(() => "unknown status");
            const advice = left === "suspended" ? "Fleio keeps it suspended (suspend_instead_of_terminate)" : `remove ${m.kind} ${m.id} in Fleio by hand`;
            p.fail(check, `delete: ${e instanceof Error ? e.message : String(e)}; ${advice}`);
            kept.push(`${m.kind} ${m.id} (delete failed${left ? `, ${left}` : ", gone after all"})`);
            continue;
        }
        const left = await leftover(p, m).catch((e: Error) => `unreadable: ${e.message}`);
        if (left === undefined) {
            p.pass(check, `delete: ${m.kind} ${m.id} is gone`);
        } else if (left === "suspended") {
            p.pass(check, `delete: Fleio kept ${m.kind} ${m.id} suspended (suspend_instead_of_terminate)`);
            kept.push(`${m.kind} ${m.id} (status suspended)`);
        } else if (left === "the last plan of its scope") {
            p.pass(check, `delete: Fleio keeps plan ${m.id}, the last plan of its scope (a deleted plan's services must move to another plan of the scope)`);
            kept.push(`${m.kind} ${m.id} (the last plan of its scope)`);
        } else {
            p.fail(check, `delete: ${m.kind} ${m.id} is still in Fleio after delete (${left}); remove it in Fleio by hand`);
            kept.push(`${m.kind} ${m.id} (${left})`);
        }
    }
    if (!managed.length) return;
    if (kept.length) p.info("write:stayed", `Fleio still holds: ${kept.join("; ")}`);
    else p.pass("write:stayed", "nothing of the naming space is left in Fleio");
}

/**
 * What is left of an object after its delete: undefined when gone. Clients and services
 * are asked about directly, so a suspended one is reported whatever read() makes of it.
 */
async function leftover(p: Probe, m: Managed): Promise<string | undefined> {
    if (m.kind === "Reseller") {
        const c = await p.api.getIfExists<{ status?: string }>(`clients/${m.id}`);
        // "deleting": Fleio's background task is removing it.
        return !c || c.status === "deleting" ? undefined : (c.status ?? "unknown status");
    }
    if (m.kind === "ResellerService") {
        const s = await p.api.getIfExists<{ status?: string }>(`billing/services/${m.id}`);
        return !s || s.status === "terminated" || s.status === "canceled" ? undefined : (s.status ?? "unknown status");
    }
    if (!(await driver.read(m))) return undefined;
    // Fleio needs another plan of the same scope to move a deleted plan's services to,
    // so the last plan of a scope stays; the provider says so and lets go of it.
    if (m.kind === "OpenstackPlan") {
        // A fresh list: the probe's lists are remembered from before the round.
        const plans = await p.api.list<Props>("openstack/billing/plan");
        const self = plans.find((x) => String(x.id) === m.id);
        const scope = (x: Props) => (x.reseller_resources ?? null) as unknown;
        if (self && !plans.some((x) => x !== self && (p.scope === "reseller" || scope(x) === scope(self)))) return "the last plan of its scope";
    }
    return "read() still finds it";
}
