import { ProviderContext, remember } from "../context";
import { cut, got } from "./echo";

/**
 * Checks that only Fleio can answer: does it have this billing resource, does it offer
 * this currency. design.md says check() never calls Fleio; these are the one
 * exception, because a typo in either otherwise passes preview and fails half-way
 * through `up`. To keep previews cheap: define.ts runs them only for a new resource or
 * a changed value (a no-change preview still makes no call), every check of a process
 * shares one remembered call, and an unreachable Fleio skips them with a warning that
 * names them (validation/remote-budget.ts: one brief try, no retries) rather than fail a
 * preview on its own or pass it in silence.
 */

import type { Issue } from "../resources/define";

interface CreateOptions {
    resources?: { id: number; type: string; name: string }[];
    currencies?: { code: string }[];
}

// The same key and call as pricing-rule.ts's resolveResource, so apply reuses the answer.
const createOptions = (ctx: ProviderContext) =>
    remember(ctx, "pricerule/create_options", () => ctx.api.get<CreateOptions>("openstack/billing/pricerule/create_options"));

/**
 * Fleio's create options; rejects (CheckSkipped, from the check context's client) when
 * Fleio cannot be asked. The outcome is remembered either way: one try per process.
 */
export async function optionsForCheck(ctx: ProviderContext): Promise<CreateOptions> {
    const outcome = await remember(ctx, "check/create_options", () => createOptions(ctx).then((options) => ({ options }), (error: unknown) => ({ error })));
    if ("error" in outcome) throw outcome.error;
    return outcome.options;
}

/** "a, b, c and 4 more", short enough for a one-line failure. */
function someOf(names: string[], max = 8): string {
    if (names.length === 0) return "none";
    const listed = names.slice(0, max).map((n) => cut(n, 24));
    return names.length > max ? `${listed.join(", ")} and ${names.length - max} more` : listed.join(", ");
}

const norm = (v: string) => v.trim().toLowerCase().replace(/[\s_-]+/g, "_");

/** The billing resource named in a pricing rule must exist in Fleio (resolveResource's rules). */
export function billingResourceIssues(options: CreateOptions, name: unknown, type: string | undefined): Issue[] {
    if (typeof name !== "string" || !options.resources) return [];
    const hits = options.resources.filter((r) => norm(r.name) === norm(name) && (!type || r.type === type));
    if (hits.length === 1) return [];
    if (hits.length > 1) return [{ property: "resourceType", reason: `several billing resources are named ${cut(JSON.stringify(name.trim()), 40)} (types ${someOf(hits.map((r) => r.type))}); set resourceType` }];
    return [
        {
            property: "resourceName",
            reason: `Fleio has no billing resource of this name${type ? ` and type ${cut(JSON.stringify(type), 40)}` : ""}${got(name)}; it has: ${someOf(options.resources.map((r) => r.name))}`,
        },
    ];
}

/** The currency must be one Fleio offers (its Currency table, not just any ISO code). */
export function currencyIssues(options: CreateOptions, property: string, code: string, written: unknown): Issue[] {
    if (!options.currencies || options.currencies.some((c) => c.code === code)) return [];
    return [
        {
            property,
            reason: `Fleio does not offer this currency${got(written)}; it offers ${someOf(options.currencies.map((c) => c.code))}: add it to Fleio's currencies first or use one of those`,
        },
    ];
}

/** remoteCheck for a resource whose `currency` must be offered by Fleio (Reseller, OpenstackPlan). */
export const offeredCurrency = {
    fields: ["currency"] as const,
    what: "whether Fleio offers its currency",
    async run(ctx: ProviderContext, inputs: { currency: string }, written: Record<string, unknown>): Promise<Issue[]> {
        return currencyIssues(await optionsForCheck(ctx), "currency", inputs.currency, written.currency);
    },
};

/** remoteCheck for a PricingRule naming its billing resource. */
export const knownBillingResource = {
    fields: ["resourceName", "resourceType"] as const,
    what: "whether Fleio has the billing resource its resourceName names",
    async run(ctx: ProviderContext, inputs: { resourceName?: string; resourceType?: string }, written: Record<string, unknown>): Promise<Issue[]> {
        if (!inputs.resourceName) return [];
        return billingResourceIssues(await optionsForCheck(ctx), written.resourceName, inputs.resourceType);
    },
};
