import * as fs from "node:fs";

/**
 * Creates an interrupted run may already have made, as the fleet found them before this
 * run (fleet/resume.ts): the stack's pending creates (kind and inputs, recorded by the
 * engine before it called create), or, after a run that kept no checkpoints and was
 * killed (its dead lock is the proof), every create of the stack.
 *
 * A create whose natural key Fleio does not keep unique (a plan's name, a staff
 * configuration's name, a client without externalBillingId) stops on a same-keyed object
 * as possibly someone else's. When that create is one of these, with the same inputs,
 * exactly one such object is the interrupted run's, and is taken over instead.
 */
export const RESUME_ENV = "PULUMI_FLEIO_RESUMED_CREATES";

export interface ResumedCreates {
    /** Every create of this run resumes an interrupted one (a run without checkpoints was killed). */
    all?: boolean;
    /** The pending creates: kind (e.g. "OpenstackPlan") and the inputs the engine recorded. */
    creates?: { kind: string; inputs: Record<string, unknown> }[];
}

function load(): ResumedCreates {
    const file = process.env[RESUME_ENV];
    if (!file) return {};
    try {
        return JSON.parse(fs.readFileSync(file, "utf8")) as ResumedCreates;
    } catch {
        return {};
    }
}

/** Inputs as compared: the engine's own keys and `adopt` (createOnly) left out, keys sorted. */
export function comparable(inputs: Record<string, unknown>): string {
    const sort = (v: unknown): unknown =>
        Array.isArray(v) ? v.map(sort) : v && typeof v === "object" ? Object.fromEntries(Object.keys(v).sort().filter((k) => (v as Record<string, unknown>)[k] !== undefined).map((k) => [k, sort((v as Record<string, unknown>)[k])])) : v;
    const rest = Object.fromEntries(Object.entries(inputs).filter(([k, v]) => k !== "__provider" && k !== "adopt" && v !== undefined && v !== null));
    return JSON.stringify(sort(rest));
}

/** Whether this create (kind and inputs) may have been made already by an interrupted run. */
export function resumesCreate(kind: string, inputs: Record<string, unknown>, resumed: ResumedCreates = load()): boolean {
    if (resumed.all) return true;
    const mine = comparable(inputs);
    return (resumed.creates ?? []).some((c) => c.kind === kind && comparable(c.inputs) === mine);
}
