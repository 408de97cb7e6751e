import * as assert from "node:assert/strict";
import type { Stack } from "@pulumi/pulumi/automation";
import { startEmulator, RunningEmulator } from "../../../emulator";
import { engineStack, outputValues } from "../../../scripts/engine";
import { FleioDirect } from "./fleio-direct";
import { added, census, Census, ids, sorted } from "./census";
import { clearLocks, pendingOperations, removeEmptyAttrs, upKilledWhen } from "./interrupt";
import { holdingProxy, HoldingProxy } from "./holding-proxy";
import { resellerSetup } from "./reseller-program";
import { upAsPreviewed } from "./preview-matches-up";

/**
 * What the interrupted-run tests (tests/integration/recovery-*.test.ts) share.
 *
 * `pulumi up` killed mid-run (SIGKILL to the CLI and its provider processes, as when a
 * CI runner loses its machine) at the moment Fleio has made an object and the state
 * has not recorded it; then the runbook "After an interrupted run" (docs/guides/recovery.md):
 *   pulumi cancel --yes
 *   pulumi refresh --clear-pending-creates --yes
 *   pulumi up            (plus the adopt its error names, where it stops on one)
 * must end with exactly the declared objects in Fleio and an empty, call-free preview.
 */

export const STAFF = "/backend/staffapi/";
export type Match = (method: string, path: string) => boolean;
export const post = (path: string): Match => (method, p) => method === "POST" && p === STAFF + path;
export const postMatching = (re: RegExp): Match => (method, p) => method === "POST" && p.startsWith(STAFF) && re.test(p.slice(STAFF.length));

export const changed = (summary: Record<string, number | undefined>) => Object.entries(summary).filter(([op, n]) => op !== "same" && (n ?? 0) > 0);

/** The adopt error of an OpenstackPlan whose name Fleio already holds, with the id it names. */
export const PLAN_ADOPT = /plan "Reseller pricing - Rescue Cloud" \(EUR\) in this scope already exists in Fleio \(id (\d+)\).*set adopt: "\1" on this OpenstackPlan/s;

export interface Harness {
    em: RunningEmulator;
    proxy: HoldingProxy;
    f: FleioDirect;
    stack: Stack;
    projectName: string;
    adopt: Record<string, string>;
    baseline: Census;
    timings: Record<string, number>;
    timed<T>(name: string, run: () => Promise<T>): Promise<T>;
}

/** One emulator, one proxy in front of it, one fresh stack of the reseller setup. */
export function harness(seed: number): Harness {
    const h = { adopt: {}, timings: {} } as Harness;
    h.timed = async (name, run) => {
        const t0 = Date.now();
        try {
            return await run();
        } finally {
            h.timings[name] = Date.now() - t0;
        }
    };
    before(async () => {
        h.em = await startEmulator({ seed, deleteDelayMs: 20 });
        // An operator's Fleio has a default staff plan (a fresh one has none, and then refuses to update staff plans).
        await new FleioDirect(h.em).defaultStaffPlanId();
        h.proxy = await holdingProxy(h.em.url);
        h.f = new FleioDirect(h.em);
        h.projectName = `recovery-${seed}`;
        clearLocks("integration", h.projectName);
        h.stack = await engineStack(async () => resellerSetup({ adopt: h.adopt }), { area: "integration", projectName: h.projectName, fleioUrl: h.proxy.url, fleioToken: h.em.staffToken, fresh: true });
        h.baseline = await census(h.f);
    });
    // No clean-up destroy: the emulator goes with this process and the next run starts from empty state.
    after(async () => {
        console.log(`      durations (ms): ${JSON.stringify(h.timings)}`);
        await h.proxy?.close();
        await h.em?.close();
    });
    return h;
}

/** Kills `up` at `match`, checks the orphan it left and the lock, then `pulumi cancel`. */
export async function interrupt(h: Harness, match: Match, orphanKind: keyof Census): Promise<void> {
    const cut = await h.timed("killedUp", () => upKilledWhen(h.stack, h.proxy, match));
    // Runbook step 0: a kill during a save of the file backend leaves an empty .attrs file.
    const repaired = removeEmptyAttrs("integration", h.projectName);
    if (repaired.length) console.log(`      the kill hit a save of the file backend: removed empty ${repaired.join(", ")}`);
    const orphans = added(h.baseline, await census(h.f));
    assert.ok(orphans[orphanKind].length >= 1, `the killed run left a ${orphanKind} in Fleio that its state does not hold (${JSON.stringify(cut.trigger)})`);
    assert.ok((await pendingOperations(h.stack)).some((p) => p.type === "creating"), "the state holds pending creates");
    await assert.rejects(h.stack.up({ color: "never" }), /currently locked/, "the killed run left the stack locked");
    await h.timed("cancel", () => h.stack.cancel());
}

/** Fleio holds exactly what the program declares, and a preview is empty and makes no calls. */
export async function assertExactlyDeclared(h: Harness, out: Record<string, any>): Promise<void> {
    const now = added(h.baseline, await census(h.f));
    assert.deepEqual(ids(now), {
        clients: [out.clientId],
        plans: sorted([out.resellerPlanId, out.retailPlanId]),
        rules: sorted([...out.ruleIds, out.retailRuleId]),
        services: [out.serviceId],
        configurations: [out.configurationId],
    });
    assert.equal(now.resellerDefaults.length, 1, "plus the one default configuration Fleio makes for a new reseller");
    assert.equal(now.services[0].plan, out.resellerPlanId, "the service is priced by the reseller plan");
    assert.equal(now.services[0].url, "https://cloud.rescue.example/");
    const calls = await h.f.apiCalls();
    const p = await h.timed("preview", () => h.stack.preview({ color: "never" }));
    assert.deepEqual(changed(p.changeSummary), [], `preview shows no changes: ${JSON.stringify(p.changeSummary)}`);
    assert.equal((await h.f.apiCalls()) - calls, 0, "and makes no API calls");
}

export async function clearPendingCreates(h: Harness): Promise<void> {
    await h.timed("refresh", () => h.stack.refresh({ color: "never", clearPendingCreates: true }));
    assert.deepEqual(await pendingOperations(h.stack), [], "refresh --clear-pending-creates drops the pending creates");
}

/** The converging up, checked against its preview (the killed run before it cannot be: it stopped mid-plan). */
export const upOutputs = async (h: Harness, step = "up") => outputValues((await h.timed(step, () => upAsPreviewed(h.stack, { color: "never" }))).outputs);

/** Each `adopt` an up's diagnostics ask for, by the resource they name: `fleio:OpenstackPlan (reseller-plan): ... set adopt: "2" on this OpenstackPlan`. */
export function adoptsAskedFor(message: string): Record<string, string> {
    const asked: Record<string, string> = {};
    for (const m of message.matchAll(/fleio:(\w+) \(([^)]+)\):\s*\n\s*error: [^\n]*?set adopt: "(\d+)" on this \1\b/g)) asked[m[2]] = m[3];
    return asked;
}

/**
 * The runbook's last step: `up`; where it stops naming objects and their adopt, add
 * those adopts to the program and run `up` again (at most once per resource).
 */
export async function upAddingAdopts(h: Harness): Promise<Record<string, any>> {
    for (let round = 1; ; round++) {
        // A round that stops for an adopt fails by design; the round that succeeds is compared with its preview.
        const r = await h.timed(`up${round}`, () => upAsPreviewed(h.stack, { color: "never" }).then((x) => x, (e: Error) => e));
        if (!(r instanceof Error)) return outputValues(r.outputs);
        const asked = adoptsAskedFor(r.message);
        const fresh = Object.entries(asked).filter(([name]) => !(name in h.adopt));
        if (fresh.length === 0) throw r;
        Object.assign(h.adopt, Object.fromEntries(fresh));
        console.log(`      up stopped and asked for adopt ${JSON.stringify(asked)}: added`);
    }
}

/** The runbook; objects with a unique key are taken over, any other the up names is adopted. */
export function takenOverAfterKill(title: string, seed: number, match: Match, orphanKind: keyof Census) {
    describe(title, function () {
        this.timeout(600_000);
        const h = harness(seed);
        it("cancel, refresh --clear-pending-creates and up end with exactly the declared objects", async () => {
            await interrupt(h, match, orphanKind);
            await clearPendingCreates(h);
            await assertExactlyDeclared(h, await upAddingAdopts(h));
        });
    });
}

