import * as assert from "node:assert/strict";
import type { DestroyOptions, DestroyResult, EngineEvent, PreviewOptions, Stack, UpOptions, UpResult } from "@pulumi/pulumi/automation";
import { FleetOptions, FleetReport, runFleet } from "../../../fleet";
import type { CliProject } from "./cli-project";

/**
 * "A preview is exactly what `up` will do": a GitOps reviewer approves a pull request on
 * its preview. These run the preview first, then the operation, on the same state, and
 * compare the steps the engine planned with the steps it performed: every operation
 * (create, update, replace, delete, read, …) per URN, from the engine's events.
 * "same" steps are left out: both sides hold every unchanged resource.
 */

/** Ops per URN, each list sorted (a replacement is several steps on one URN). */
export type Steps = Record<string, string[]>;

function stepRecorder(forward?: (e: EngineEvent) => void): { steps: Steps; onEvent: (e: EngineEvent) => void } {
    const steps: Steps = {};
    return {
        steps,
        onEvent(e) {
            forward?.(e);
            const m = e.resourcePreEvent?.metadata;
            if (!m || m.op === "same") return;
            (steps[m.urn] ??= []).push(m.op);
        },
    };
}

const sorted = (s: Steps): Steps => Object.fromEntries(Object.keys(s).sort().map((urn) => [urn, [...s[urn]].sort()]));

/** The steps as one line per URN, for a readable assertion message. */
const shown = (s: Steps) => Object.entries(sorted(s)).map(([urn, ops]) => `${urn.split("::").slice(-2).join("::")}: ${ops.join(", ")}`).join("\n") || "(none)";

function assertSame(planned: Steps, performed: Steps, what: string): void {
    assert.deepEqual(sorted(performed), sorted(planned), `${what} performed other steps than its preview planned:\npreview:\n${shown(planned)}\n${what}:\n${shown(performed)}`);
}

/** Options both a preview and an up take. */
type Shared = Omit<UpOptions, "onEvent"> & Omit<PreviewOptions, "onEvent"> & { onEvent?: (e: EngineEvent) => void };

/**
 * `pulumi preview`, then `pulumi up`: asserts that up performed exactly the steps the
 * preview planned, and returns up's result (and the preview's steps, for tests that look
 * at them). A preview that fails is thrown, before anything is applied.
 */
export async function upAsPreviewed(stack: Stack, opts: Shared = {}): Promise<UpResult & { planned: Steps }> {
    const planned = stepRecorder(opts.onEvent);
    await stack.preview({ ...(opts as PreviewOptions), onEvent: planned.onEvent });
    const performed = stepRecorder(opts.onEvent);
    const result = await stack.up({ ...(opts as UpOptions), onEvent: performed.onEvent });
    assertSame(planned.steps, performed.steps, "up");
    return Object.assign(result, { planned: planned.steps });
}

/** `pulumi destroy --preview-only`, then `pulumi destroy`: the same comparison. */
export async function destroyAsPreviewed(stack: Stack, opts: Omit<DestroyOptions, "previewOnly"> = {}): Promise<DestroyResult> {
    const planned = stepRecorder(opts.onEvent);
    await stack.destroy({ ...opts, previewOnly: true, onEvent: planned.onEvent });
    const performed = stepRecorder(opts.onEvent);
    const result = await stack.destroy({ ...opts, onEvent: performed.onEvent });
    assertSame(planned.steps, performed.steps, "destroy");
    return result;
}

/** The steps one preview plans (for a test that asserts what a preview alone shows). */
export async function previewSteps(stack: Stack, opts: Omit<PreviewOptions, "onEvent"> = {}): Promise<Steps> {
    const planned = stepRecorder();
    await stack.preview({ ...opts, onEvent: planned.onEvent });
    return sorted(planned.steps);
}

/** A fleet stack's changes as the fleet reports them: counts per kind of step, "same" left out. */
const fleetChanges = (r: FleetReport) =>
    Object.fromEntries(r.stacks.filter((s) => !s.skipped).map((s) => [s.stack, Object.fromEntries(Object.entries(s.changes).filter(([op, n]) => op !== "same" && n > 0))]));

/**
 * A fleet reports counts per stack, not URNs: a fleet `up` must count, stack by stack,
 * the very changes the fleet `preview` before it counted.
 */
export function assertFleetDidAsPreviewed(preview: FleetReport, up: FleetReport): void {
    assert.ok(preview.ok, `the fleet preview failed: ${JSON.stringify(preview.stacks)}`);
    assert.deepEqual(fleetChanges(up), fleetChanges(preview), "fleet up changed other things than its preview counted");
}

/** `fleet preview`, then `fleet up`, compared stack by stack. */
export async function fleetUpAsPreviewed(options: FleetOptions): Promise<FleetReport> {
    const preview = await runFleet({ ...options, operation: "preview" });
    const up = await runFleet({ ...options, operation: "up" });
    assertFleetDidAsPreviewed(preview, up);
    return up;
}

/**
 * The same promise for a project run with the `pulumi` CLI (YAML programs, imports). This
 * CLI has no `--event-log`, and `up --json` would replace the text the tests read, so: the
 * preview streams its engine events as JSON (PULUMI_ENABLE_STREAMING_JSON_PREVIEW), and
 * the run's own summary ("+ 16 created", "~ 1 updated", …) must count, kind by kind,
 * the logical steps the preview planned (a replacement counts once, as "replaced").
 */
const summaryKind: Record<string, string> = { create: "created", update: "updated", delete: "deleted", replace: "replaced", import: "imported" };

function plannedCounts(json: string): Record<string, number> {
    const rec = stepRecorder();
    for (const line of json.split("\n")) if (line.trim().startsWith("{")) rec.onEvent(JSON.parse(line) as EngineEvent);
    const counts: Record<string, number> = {};
    for (const ops of Object.values(rec.steps)) for (const op of ops) if (summaryKind[op]) counts[summaryKind[op]] = (counts[summaryKind[op]] ?? 0) + 1;
    return counts;
}

/** The counts of a run's text summary, e.g. `    + 16 created`. */
export const summaryCounts = (out: string): Record<string, number> =>
    Object.fromEntries([...out.matchAll(/^\s+(?:[+~-]|\+-) (\d+) (created|updated|deleted|replaced|imported)$/gm)].map((m) => [m[2], Number(m[1])]));

const streamed = { PULUMI_ENABLE_STREAMING_JSON_PREVIEW: "true" };

function assertCounted(planned: Record<string, number>, out: string, what: string): void {
    assert.deepEqual(summaryCounts(out), planned, `${what} performed other steps than its preview planned:\n${out}`);
}

/** `pulumi preview`, then `pulumi up --yes --skip-preview` (`args` to both), compared; returns up's output. */
export async function cliUpAsPreviewed(p: CliProject, args: string[] = []): Promise<{ code: number; out: string; stdout: string }> {
    const planned = plannedCounts((await p.pulumi(["preview", "--json", ...args], false, streamed)).stdout);
    const result = await p.pulumi(["up", "--yes", "--skip-preview", ...args]);
    assertCounted(planned, result.out, "up");
    return result;
}

/** `pulumi destroy --preview-only`, then `pulumi destroy`, compared; `mayFail` as `CliProject.pulumi` (a failed destroy is returned, not compared). */
export async function cliDestroyAsPreviewed(p: CliProject, args: string[] = [], mayFail = false): Promise<{ code: number; out: string; stdout: string }> {
    const planned = plannedCounts((await p.pulumi(["destroy", "--preview-only", "--json", ...args], false, streamed)).stdout);
    const result = await p.pulumi(["destroy", "--yes", "--skip-preview", ...args], mayFail);
    if (result.code === 0) assertCounted(planned, result.out, "destroy");
    return result;
}
