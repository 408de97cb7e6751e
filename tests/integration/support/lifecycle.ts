import * as assert from "node:assert/strict";
import type { Stack } from "@pulumi/pulumi/automation";
import { startEmulator, RunningEmulator } from "../../../emulator";
import { engineStack, outputValues } from "../../../scripts/engine";
import { FleioDirect } from "./fleio-direct";
import { destroyAsPreviewed, upAsPreviewed } from "./preview-matches-up";

export type Step = "initial" | "updated" | "replaced" | "absent" | "adopted";

/**
 * One resource's lifecycle case. The program always builds the case's dependencies,
 * and the resource under test (named "target") in the shape the step asks for; it
 * returns `targetId` (the Fleio id) plus whatever the checks need.
 */
export interface LifecycleCase {
    kind: string;
    /**
     * Builds dependencies + target for a step; `adoptId` is set for "adopted".
     * `staffPlanId`: a staff plan the operator made in Fleio (the default one, or not, see lifecycle()).
     */
    program(step: Step, ctx: { staffPlanId: string; adoptId?: string }): Record<string, unknown>;
    /** Path of the target object in the staff API, from the stack's outputs. */
    path(out: Outputs): string;
    /** Reads the field the update step changes, straight from Fleio. */
    updatedValue(f: FleioDirect, out: Outputs): Promise<unknown>;
    expectedUpdate: unknown;
    /** Changes that field (or one like it) behind Pulumi's back. */
    drift(f: FleioDirect, out: Outputs): Promise<void>;
    /** Removes the object behind Pulumi's back. */
    deleteOutOfBand(f: FleioDirect, out: Outputs): Promise<void>;
    /** Makes an object directly in Fleio for the stack to adopt; returns its id. */
    createDirect(f: FleioDirect, out: Outputs): Promise<string>;
    /**
     * Whether the object is gone from Fleio (default: its path answers 404). `suspending`:
     * Fleio's suspend_instead_of_terminate is on, so what Fleio keeps suspended counts as
     * gone from the stack.
     */
    gone?(f: FleioDirect, path: string, out: Outputs, suspending: boolean): Promise<boolean>;
    /** With suspend_instead_of_terminate on, destroy must say what Fleio kept (the program has a Reseller). */
    keptOnDestroy?: RegExp;
    /** With suspend_instead_of_terminate on, Fleio cannot make the replacement: the preview must refuse it with this. */
    replacementRefusedWhenSuspending?: RegExp;
}

export type Outputs = Record<string, any>;

const changed = (summary: Record<string, number | undefined>) => Object.entries(summary).filter(([op, n]) => op !== "same" && (n ?? 0) > 0);

/**
 * The same steps for every resource, in the habit of Terraform's acceptance tests, under
 * both settings of Fleio's suspend_instead_of_terminate: on (Fleio's factory default:
 * deleted clients and terminated services are kept, suspended) and off. Each run also
 * stands for one kind of Fleio, so both kinds are covered without a third run: with the
 * factory setting, a Fleio with no default staff plan (as after its migrations; the
 * operator's one plan is not marked default, so Fleio refuses to save staff plans until
 * one is); with the other, an operator's Fleio with its default staff plan. The setting
 * only changes what a delete does (and whether a reseller service can be replaced), so
 * with it off only the steps that delete run again: create, replace, adopt (after the
 * "absent" step's delete) and destroy. Update, drift and out-of-band delete run once,
 * with Fleio's default setting and no default staff plan.
 */
export function lifecycle(c: LifecycleCase): void {
    lifecycleUnder(c, true, "no default staff plan");
    lifecycleUnder(c, false, "a default staff plan");
}

function lifecycleUnder(c: LifecycleCase, suspending: boolean, plans: "no default staff plan" | "a default staff plan"): void {
    const setting = suspending ? "Fleio keeps what is deleted, suspended (its default)" : "Fleio terminates what is deleted";
    const everyStep = suspending;
    describe(`${c.kind} lifecycle under the real Pulumi engine (${setting}; ${plans})`, function () {
        this.timeout(240_000);
        let em: RunningEmulator;
        let f: FleioDirect;
        let stack: Stack;
        let step: Step = "initial";
        let staffPlanId = "";
        let adoptId: string | undefined;
        let out: Outputs = {};
        const paths = new Map<string, Outputs>();
        const isGone = (path: string, o: Outputs) => (c.gone ?? goneByPath)(f, path, o, suspending);
        const present = async (o: Outputs) => !(await isGone(c.path(o), o));

        // Every up is previewed first, and must do exactly the steps its preview showed.
        const up = async () => {
            const r = await upAsPreviewed(stack, { color: "never" });
            out = outputValues(r.outputs);
            if (out.targetId) paths.set(c.path(out), { ...out });
            return r.summary.resourceChanges ?? {};
        };
        const noChangesAndNoCalls = async () => {
            const before = await f.apiCalls();
            const p = await stack.preview({ color: "never" });
            assert.deepEqual(changed(p.changeSummary), [], `preview should show no changes: ${JSON.stringify(p.changeSummary)}`);
            assert.equal((await f.apiCalls()) - before, 0, "a no-change preview makes no Fleio API calls");
        };

        before(async () => {
            em = await startEmulator({ seed: 7, deleteDelayMs: 100 });
            f = new FleioDirect(em);
            staffPlanId = plans === "a default staff plan" ? await f.defaultStaffPlanId() : await f.staffPlanNotDefault();
            if (!suspending) await f.setSuspendInsteadOfTerminate(false);
            stack = await engineStack(async () => c.program(step, { staffPlanId, adoptId }), {
                area: "integration",
                projectName: `lifecycle-${c.kind.toLowerCase()}-${suspending ? "suspend" : "terminate"}`,
                fleioUrl: em.url,
                fleioToken: em.staffToken,
                fresh: true,
            });
        });
        // No clean-up destroy: the last step destroys, the emulator goes with the file's
        // process, and the next run starts from empty state.
        after(async () => {
            await em?.close();
        });

        it("up creates it in Fleio", async () => {
            const changes = await up();
            assert.ok((changes.create ?? 0) >= 1, JSON.stringify(changes));
            assert.ok(out.targetId, "the program exports the new object's id");
            assert.ok(await present(out), `${c.path(out)} exists in Fleio`);
        });

        if (everyStep) it("a second preview shows no changes and makes no API calls", noChangesAndNoCalls);

        if (everyStep) it("an update is applied in place", async () => {
            const id = out.targetId;
            step = "updated";
            const changes = await up();
            assert.equal(changes.update, 1, JSON.stringify(changes));
            assert.equal(changes.replace ?? 0, 0);
            assert.equal(out.targetId, id, "same object, updated in place");
            assert.deepEqual(await c.updatedValue(f, out), c.expectedUpdate);
            await noChangesAndNoCalls();
        });

        const refused = suspending && c.replacementRefusedWhenSuspending;
        it(refused ? "a replacement Fleio's suspend setting would block is refused at preview, and nothing changes" : "a change Fleio cannot make in place replaces it", async () => {
            const old = { ...out };
            if (refused) {
                // Fleio would keep the old object and refuse a second: refused at preview, nothing changes.
                step = "replaced";
                const err = await stack.up({ color: "never" }).then(() => undefined, (e: Error) => e);
                assert.match(err?.message ?? "up succeeded", c.replacementRefusedWhenSuspending!);
                step = "updated";
                assert.ok(await present(old), "the object is untouched");
                await noChangesAndNoCalls();
                return;
            }
            step = "replaced";
            const changes = await up();
            assert.equal(changes.replace, 1, JSON.stringify(changes));
            assert.notEqual(out.targetId, old.targetId, "a new object");
            assert.ok(await present(out), "the replacement exists");
            assert.ok(await isGone(c.path(old), old), "the replaced object is gone from Fleio");
            await noChangesAndNoCalls();
        });

        if (everyStep) it("drift made in Fleio is found by refresh and repaired by up", async () => {
            await c.drift(f, out);
            const refreshed = await stack.refresh({ color: "never" });
            assert.equal(refreshed.summary.resourceChanges?.update, 1, `refresh records the drift: ${JSON.stringify(refreshed.summary.resourceChanges)}`);
            const p = await stack.preview({ color: "never" });
            assert.equal(p.changeSummary.update, 1, `preview proposes to undo it: ${JSON.stringify(p.changeSummary)}`);
            const expected = await c.updatedValue(f, out);
            assert.notDeepEqual(expected, c.expectedUpdate, "the drift is real");
            await up();
            assert.deepEqual(await c.updatedValue(f, out), c.expectedUpdate, "up puts Fleio back to the program");
        });

        if (everyStep) it("an object deleted out of band is dropped by refresh and recreated by up", async () => {
            const old = { ...out };
            // Really deleted (not merely suspended, which Fleio does with the setting on).
            await f.terminating(suspending, () => c.deleteOutOfBand(f, out));
            const refreshed = await stack.refresh({ color: "never" });
            assert.equal(refreshed.summary.resourceChanges?.delete, 1, `refresh drops it: ${JSON.stringify(refreshed.summary.resourceChanges)}`);
            const changes = await up();
            assert.equal(changes.create, 1, JSON.stringify(changes));
            assert.ok(await present(out), "recreated in Fleio");
        });

        it("adopts an object that already exists in Fleio instead of creating one", async () => {
            step = "absent";
            await up();
            adoptId = await f.terminating(suspending, () => c.createDirect(f, out));
            step = "adopted";
            const changes = await up();
            assert.equal(changes.create, 1, JSON.stringify(changes));
            assert.equal(out.targetId, adoptId, "the stack now manages the existing object");
            assert.deepEqual(await c.updatedValue(f, out), c.expectedUpdate, "adopt converges the object to the program");
            await noChangesAndNoCalls();
        });

        it(suspending ? "destroy leaves nothing of ours active in Fleio, and says what Fleio kept" : "destroy leaves none of the managed objects in Fleio", async () => {
            let printed = "";
            const r = await destroyAsPreviewed(stack, { color: "never", onOutput: (o) => (printed += o) });
            assert.ok((r.summary.resourceChanges?.delete ?? 0) >= 1);
            for (const [p, o] of paths) assert.ok(await isGone(p, o), `${p} is gone`);
            if (suspending && c.keptOnDestroy) assert.match(printed, c.keptOnDestroy, "destroy tells the user what Fleio kept");
            if (!suspending) assert.doesNotMatch(printed, /Fleio kept/);
        });
    });
}

async function goneByPath(f: FleioDirect, path: string): Promise<boolean> {
    return !(await f.exists(path));
}
