import { configure } from "../../provider/index";
import { resetProviderContext } from "../../provider/context";
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
    const before = await snapshot(p).catch(() => undefined);
    try {
        if (await forward(p, ctx, managed, signal)) await ownShapes(p, ctx);
    } finally {
        const kept = await cleanUp(p, managed);
        if (before) await accountFor(p, before, managed, kept);
    }
}

/** Where each kind the round makes is listed in Fleio (the kinds a census can see). */
const LISTED: Partial<Record<Managed["kind"], string>> = { Reseller: "clients", OpenstackPlan: "openstack/billing/plan", Configuration: "configurations" };

/** Every plan, configuration and (staff) client the caller sees, by "path/id", read fresh. */
async function snapshot(p: Probe): Promise<Map<string, Props>> {
    const out = new Map<string, Props>();
    for (const path of ["openstack/billing/plan", "configurations", ...(p.scope === "staff" ? ["clients"] : [])])
        for (const o of await p.api.list<Props>(path)) out.set(`${path}/${String(o.id)}`, o);
    return out;
}

/** The fields whose change would mean the round touched an object outside its naming space. */
const OWN_FIELDS: Record<string, string[]> = { "openstack/billing/plan": ["name", "currency", "is_default"], configurations: ["name", "is_default"], clients: ["name", "status", "currency"] };

/**
 * Fleio after the round against Fleio before it: every object that is new is one the
 * round lists as kept (with why), or one Fleio or the provider made on the round's
 * behalf, named here with why it stays; anything else, and any object outside the
 * naming space that changed, fails. So the list of what stayed is exact.
 */
async function accountFor(p: Probe, before: Map<string, Props>, managed: Managed[], kept: Set<string>): Promise<void> {
    let after: Map<string, Props>;
    try {
        after = await snapshot(p);
    } catch (e) {
        p.warn("write:stayed", `Fleio could not be listed after the round (${e instanceof Error ? e.message : String(e)}); compare its plans, configurations and clients by hand`);
        return;
    }
    const ours = new Set(managed.filter((m) => LISTED[m.kind]).map((m) => `${LISTED[m.kind]}/${m.id}`));
    const explained: string[] = [];
    const unexplained: string[] = [];
    for (const [key, o] of after) {
        const path = key.slice(0, key.lastIndexOf("/"));
        const was = before.get(key);
        if (was) {
            const changed = (OWN_FIELDS[path] ?? []).filter((f) => JSON.stringify(was[f]) !== JSON.stringify(o[f]));
            if (changed.length && !ours.has(key)) unexplained.push(`${key} changed (${changed.map((f) => `${f}: ${JSON.stringify(was[f])} → ${JSON.stringify(o[f])}`).join(", ")})`);
            continue;
        }
        if (kept.has(key)) continue;
        if (path === "openstack/billing/plan" && o.name === "default" && o.is_default === true && (p.scope === "staff" ? o.reseller_resources === null : true))
            explained.push(
                `OpenstackPlan ${String(o.id)} "default" (Fleio had no default plan in this scope; the provider made Fleio's own "default" plan, as Fleio does, because Fleio needs one to save a plan and to price a kept reseller service; a scope's last plan cannot be deleted)`,
            );
        else if (path === "configurations" && o.name === "default" && o.reseller_resources !== null && o.reseller_resources !== undefined)
            explained.push(`Configuration ${String(o.id)} "default" (Fleio made it in the test reseller's scope with its reseller service, and keeps it with the suspended service)`);
        else unexplained.push(`${key} (${String(o.name ?? o.email ?? "")}) is new`);
    }
    for (const key of before.keys()) if (!after.has(key) && !ours.has(key)) unexplained.push(`${key} (${String(before.get(key)!.name ?? "")}) is gone`);
    if (explained.length) p.info("write:stayed", `also made on the round's behalf and kept: ${explained.join("; ")}`);
    if (unexplained.length) p.fail("write:stayed", `Fleio differs from before the round beyond what is listed: ${unexplained.join("; ")}; put it right in Fleio by hand`);
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

/** Deletes in reverse order, each step reported; then lists what Fleio kept. Returns the kept objects as "path/id". */
async function cleanUp(p: Probe, managed: Managed[]): Promise<Set<string>> {
    const kept: string[] = [];
    const keptKeys = new Set<string>();
    const keep = (m: Managed, why: string) => {
        kept.push(`${m.kind} ${m.id} (${why})`);
        if (LISTED[m.kind]) keptKeys.add(`${LISTED[m.kind]}/${m.id}`);
    };
    // The deletes are a run of their own, as `pulumi destroy` after `up` is: within one run
    // the provider keeps what that run's creates made or took over (one owner per object,
    // resources/define.ts), and a delete of such an id only drops a state entry.
    resetProviderContext();
    for (const m of [...managed].reverse()) {
        const check = `write:${m.label}`;
        try {
            await driver.delete(m);
        } catch (e) {
            const left = await leftover(p, m).catch(() => "unknown status");
            const advice = left === "suspended" ? "Fleio keeps it suspended (suspend_instead_of_terminate)" : `remove ${m.kind} ${m.id} in Fleio by hand`;
            p.fail(check, `delete: ${e instanceof Error ? e.message : String(e)}; ${advice}`);
            keep(m, `delete failed${left ? `, ${left}` : ", gone after all"}`);
            continue;
        }
        const left = await leftover(p, m).catch((e: Error) => `unreadable: ${e.message}`);
        if (left === undefined) {
            p.pass(check, `delete: ${m.kind} ${m.id} is gone`);
        } else if (left === "suspended") {
            p.pass(check, `delete: sent; Fleio kept ${m.kind} ${m.id} suspended (suspend_instead_of_terminate)`);
            keep(m, "status suspended");
        } else if (left === "the last plan of its scope") {
            // Not deleted at all: no PASS line may say it was.
            p.info(check, `not deleted: plan ${m.id} is the last plan of its scope, and Fleio deletes a plan only by moving its services to another plan of the scope`);
            keep(m, "the last plan of its scope");
        } else {
            p.fail(check, `delete: ${m.kind} ${m.id} is still in Fleio after delete (${left}); remove it in Fleio by hand`);
            keep(m, left);
        }
    }
    if (!managed.length) return keptKeys;
    if (kept.length) p.info("write:stayed", `Fleio still holds: ${kept.join("; ")}`);
    else p.pass("write:stayed", "nothing of the naming space is left in Fleio");
    return keptKeys;
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
