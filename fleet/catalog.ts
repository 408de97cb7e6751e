import { CATALOG_OUTPUT, type CatalogPlanFile, type ResellerFile } from "../sdk/gitops";
import type { StateResource } from "./moves";

/**
 * The fleet's plan catalog (format version 2) lives in a stack of its own, `catalog`,
 * so each catalog plan has exactly one owner whichever shards its resellers fall in.
 * The reseller stacks do not declare catalog plans: they are given the plans' ids,
 * read from the catalog stack's outputs in the backend (no Fleio call), so a shard's
 * preview is exact and a shard's job runs alone. Plans are made and changed before the
 * shards run (a reseller goes on a plan that exists); a plan removed from the catalog is
 * deleted after them (its resellers leave it first).
 */
export const CATALOG_STACK = "catalog";

/** A reseller service found in a stack's state, with the plan it is on. */
export interface ServiceOnPlan {
    stack: string;
    reseller: string;
    planId: string;
}

/** Every reseller service of one stack's exported state, with its plan id. */
export function servicesInState(stack: string, deployment: unknown): ServiceOnPlan[] {
    const resources = ((deployment as { resources?: StateResource[] } | undefined)?.resources ?? []).filter((r) => !r.delete);
    return resources
        .filter((r) => r.type.endsWith(":ResellerService") && r.outputs?.planId !== undefined)
        .map((r) => ({ stack, reseller: (r.parent ?? r.urn).slice((r.parent ?? r.urn).lastIndexOf("::") + 2), planId: String(r.outputs!.planId) }));
}

/** When the catalog stack runs in an update: before the shards, or after them when it deletes plans. */
export type CatalogPhase = "before" | "after";

/**
 * The catalog stack's place in an update. `ids` are the plans it holds now (its
 * outputs); a key there and not in the data is a plan the update deletes, which must
 * wait until no reseller is on it. A plan the update makes must exist before a
 * reseller goes on it. Both in one update cannot be ordered by whole stacks: refused
 * before anything runs, naming the plans.
 */
export function catalogPhase(ids: Readonly<Record<string, string>>, catalog: ReadonlyMap<string, CatalogPlanFile>, resellers: ReadonlyMap<string, ResellerFile>): { phase: CatalogPhase; removed: string[] } {
    const removed = Object.keys(ids).filter((k) => !catalog.has(k)).sort();
    if (!removed.length) return { phase: "before", removed };
    const added = new Map<string, string[]>();
    for (const [name, r] of resellers) {
        const key = r.plan?.catalog;
        if (key !== undefined && ids[key] === undefined) added.set(key, [...(added.get(key) ?? []), name]);
    }
    if (added.size)
        throw new Error(
            `this change both removes catalog plans (${removed.join(", ")}: deleted after their resellers leave them) and adds plans resellers go on (` +
                `${[...added].map(([k, who]) => `${k}, for ${who.join(", ")}`).join("; ")}: made before the resellers run); one run cannot order both. ` +
                "Split it in two merges: first add the new plans, then remove the old ones",
        );
    return { phase: "after", removed };
}

/** The reseller services still on the given plans, as "reseller (stack)" per plan key. */
export function stillOnPlans(removed: string[], ids: Readonly<Record<string, string>>, services: ServiceOnPlan[]): string[] {
    const out: string[] = [];
    for (const key of removed) {
        const on = services.filter((s) => s.planId === ids[key]).map((s) => `${s.reseller} (${s.stack})`).sort();
        if (on.length) out.push(`${key}: ${on.join(", ")}`);
    }
    return out;
}

/** The outputs of a deployment's root stack resource (none for a stack never updated, or unread). */
export function rootOutputs(deployment: unknown): Record<string, unknown> {
    const resources = (deployment as { resources?: { type?: string; outputs?: Record<string, unknown> }[] } | undefined)?.resources ?? [];
    return resources.find((r) => r.type === "pulumi:pulumi:Stack")?.outputs ?? {};
}

/** The catalog plans' ids by key, from the catalog stack's outputs (empty before its first update). */
export function catalogIdsOf(outputs: Record<string, unknown>): Record<string, string> {
    const value = outputs[CATALOG_OUTPUT];
    if (!value || typeof value !== "object") return {};
    return Object.fromEntries(Object.entries(value as Record<string, unknown>).filter(([, id]) => id !== undefined && id !== null).map(([k, id]) => [k, String(id)]));
}
