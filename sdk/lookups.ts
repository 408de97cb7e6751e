import { createHash } from "node:crypto";
import * as pulumi from "@pulumi/pulumi";
import { FleioClient } from "../provider/client/http";
import { FleioApiError } from "../provider/client/errors";
import { ClientSettings, resolveSettings } from "../provider/config";
import * as lookups from "../provider/lookups";
import type { ApiRule } from "../provider/resources/pricing-rule";

export type { ResellerProduct, BillingResource, Plan, Client } from "../provider/lookups";

/**
 * Look-ups of existing Fleio objects for use in a program. They run in the program's
 * process with the same credentials as the provider (stack config `fleio:url`,
 * `fleio:token`, or FLEIO_URL / FLEIO_TOKEN) and call Fleio during preview too:
 * prefer the resources' own by-name inputs (productName, resourceName) where they
 * exist, which resolve at apply and keep a no-change preview free of API calls.
 *
 * Every call reads the settings of the stack it runs in: one process may run several
 * stacks (the Automation API, a fleet runner, tests), each with its own Fleio and
 * token, so a client is kept per settings, never one per process.
 */
const clients = new Map<string, FleioClient>();

function fingerprint(s: ClientSettings): string {
    // Hashed, so the map never holds the token in a readable key.
    return createHash("sha256").update(JSON.stringify(s)).digest("hex");
}

function api(): FleioClient {
    // runtime.getConfig reads the current stack's raw config: secrets stay in this process, unlogged.
    let settings: ClientSettings;
    try {
        settings = resolveSettings((key) => pulumi.runtime.getConfig(key));
    } catch (e) {
        throw new pulumi.RunError((e as Error).message);
    }
    const key = fingerprint(settings);
    let client = clients.get(key);
    if (!client) clients.set(key, (client = runErrors(new FleioClient(settings))));
    return client;
}

/**
 * A look-up Fleio refused (a revoked token, a 404) is an expected failure: Pulumi prints
 * a RunError's message without a Node stack trace (automation/server.ts, cmd/run).
 */
function runErrors(client: FleioClient): FleioClient {
    return new Proxy(client, {
        get(target, prop, receiver) {
            const value = Reflect.get(target, prop, receiver);
            if (typeof value !== "function") return value;
            return (...args: unknown[]) => {
                const result = value.apply(target, args);
                return result instanceof Promise ? result.catch((e: unknown) => Promise.reject(e instanceof FleioApiError ? new pulumi.RunError(e.message) : e)) : result;
            };
        },
    });
}

/** Products of type "reseller" with their cycles. */
export function getResellerProducts(): Promise<lookups.ResellerProduct[]> {
    return lookups.resellerProducts(api());
}

/** One reseller product by name; fails with the names that exist. */
export async function getResellerProduct(args: { name: string }): Promise<lookups.ResellerProduct> {
    const all = await getResellerProducts();
    const hit = all.find((p) => p.name.toLowerCase() === args.name.toLowerCase());
    if (!hit) throw new pulumi.RunError(`no reseller product named "${args.name}"; there are: ${all.map((p) => p.name).join(", ") || "none"}`);
    return hit;
}

/** Billing resources (instance, volume, image, …), optionally of one type. */
export function getBillingResources(args: { type?: string } = {}): Promise<lookups.BillingResource[]> {
    return lookups.billingResources(api(), args.type);
}

/** Plans by exact name; `resellerResourcesId: null` limits to staff plans. */
export function getPlans(args: { name?: string; resellerResourcesId?: string | null } = {}): Promise<lookups.Plan[]> {
    return lookups.plans(api(), args);
}

/** The one plan with this name; fails when there is none or several. */
export async function getPlan(args: { name: string; resellerResourcesId?: string | null }): Promise<lookups.Plan> {
    const found = await getPlans(args);
    if (found.length !== 1) throw new pulumi.RunError(`${found.length ? "several" : "no"} plans named "${args.name}"${found.length ? ` (ids ${found.map((p) => p.id).join(", ")})` : ""}`);
    return found[0];
}

/** Clients by external billing id (unique), email or full name. */
export function getClients(args: { externalBillingId?: string; email?: string; name?: string }): Promise<lookups.Client[]> {
    if (!args.externalBillingId && !args.email && !args.name) return Promise.reject(new pulumi.RunError("getClients: give externalBillingId, email or name"));
    return lookups.clients(api(), args);
}

/** Currency codes Fleio knows. */
export function getCurrencies(): Promise<string[]> {
    return lookups.currencies(api());
}

/**
 * A plan's pricing rules as Fleio returns them (for templates). Fleio ignores the
 * `plan` filter on this list, so the answer is filtered here on each rule's own plan.
 * Fails when the plan does not exist.
 */
export async function getPlanRules(args: { planId: string }): Promise<ApiRule[]> {
    const client = api();
    const planId = String(args.planId);
    if (!(await client.getIfExists(`openstack/billing/plan/${encodeURIComponent(planId)}`))) throw new pulumi.RunError(`plan ${planId} does not exist in Fleio`);
    const all = (await lookups.planRules(client, planId)) as ApiRule[];
    return all.filter((r) => String(r.plan) === planId);
}
