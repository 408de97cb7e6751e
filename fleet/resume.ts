import * as fs from "node:fs";
import type { Stack } from "@pulumi/pulumi/automation";
import type { ResumedCreates } from "../provider/resources/resumed-creates";

/**
 * A killed `up` leaves pending operations in its stack's state: for each create it had
 * begun, the resource's URN, type and inputs, and no id. The engine of 3.248 keeps them
 * (warning on every run) until `pulumi refresh --clear-pending-creates`, and its
 * `--import-pending-creates` cannot import dynamic resources. So the fleet resolves them
 * itself: it hands the pending creates to the provider for the next `up`
 * (provider/resources/resumed-creates.ts: what was made is found again and taken over),
 * and once that `up` succeeded, drops them from the state.
 */
interface PendingOperation {
    type: string;
    resource: { urn: string; type: string; inputs?: Record<string, unknown> };
}

/** The kind of a fleio resource from its URN's type (`…$pulumi-nodejs:dynamic/fleio:OpenstackPlan` or `…$fleio:index:OpenstackPlan`). */
export function kindOf(urn: string): string | undefined {
    const type = urn.split("::")[2]?.split("$").pop() ?? "";
    return /^(?:pulumi-nodejs:dynamic\/fleio|fleio:index):(\w+)$/.exec(type)?.[1];
}

export function pendingOperations(deployment: unknown): PendingOperation[] {
    return ((deployment as { pending_operations?: PendingOperation[] } | undefined)?.pending_operations ?? []).filter((p) => p?.resource?.urn);
}

/** The pending creates of a stack, as the provider matches them. */
export function pendingCreates(deployment: unknown): NonNullable<ResumedCreates["creates"]> {
    return pendingOperations(deployment).flatMap((p) => {
        const kind = p.type === "creating" ? kindOf(p.resource.urn) : undefined;
        return kind ? [{ kind, inputs: p.resource.inputs ?? {} }] : [];
    });
}

export function writeResumed(file: string, resumed: ResumedCreates): void {
    fs.writeFileSync(file, JSON.stringify(resumed));
}

/** The short name of a resource for the report: `acme-reseller-plan (OpenstackPlan)`. */
export const describePending = (p: PendingOperation): string => `${p.resource.urn.slice(p.resource.urn.lastIndexOf("::") + 2)} (${p.type}${kindOf(p.resource.urn) ? ` ${kindOf(p.resource.urn)}` : ""})`;

/**
 * After an `up` that succeeded: drops the pending operations the killed run left. Each
 * was redone by this `up` (a create found again and taken over, or made now; an update
 * or delete done again), so they record nothing left to do. Answers what was dropped.
 */
export async function clearPending(stack: Stack): Promise<string[]> {
    const state = await stack.exportStack();
    const pending = pendingOperations(state.deployment);
    if (!pending.length) return [];
    await stack.importStack({ ...state, deployment: { ...state.deployment, pending_operations: [] } });
    return pending.map(describePending);
}
