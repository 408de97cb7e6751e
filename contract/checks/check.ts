import type { Probe } from "../probe";

/**
 * One contract check: a small question asked of Fleio, answered with one or more
 * result lines. "stop" ends the run (nothing after it can be learned, e.g. a wrong token).
 */
export interface Check {
    name: string;
    /** Only the staff API has this endpoint; with --api-scope reseller the check says so and skips. */
    staffOnly?: boolean;
    run(p: Probe): Promise<void | "stop">;
}
