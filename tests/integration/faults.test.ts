import * as assert from "node:assert/strict";
import type { Stack } from "@pulumi/pulumi/automation";
import { startEmulator, RunningEmulator } from "../../emulator";
import { engineStack } from "../../scripts/engine";
import * as fleio from "../../sdk";
import { FleioDirect } from "./support/fleio-direct";
import { upAsPreviewed } from "./support/preview-matches-up";

// Fleio under load or behind a flaky proxy: the same `up` must still produce each
// object exactly once. Faults are injected by the emulator, deterministically.
describe("the provider under injected faults, with the real engine", function () {
    this.timeout(300_000);
    let em: RunningEmulator;
    let f: FleioDirect;
    let stack: Stack;

    const faults = (body: unknown) => f.setFaults(body);
    const requests = () => f.requests();

    before(async () => {
        em = await startEmulator({ seed: 21, deleteDelayMs: 50 });
        f = new FleioDirect(em);
        stack = await engineStack(
            async () => {
                const r = new fleio.Reseller("flaky", {
                    firstName: "Flo", lastName: "Flaky", email: "flo@flaky.example", phone: "1", address1: "a", city: "c", zipCode: "1", country: "DE", currency: "EUR", externalBillingId: "flaky-1",
                });
                const p = new fleio.OpenstackPlan("flaky-plan", { name: "Flaky plan", currency: "EUR" });
                return { clientId: r.clientId, planId: p.planId };
            },
            { area: "integration", projectName: "faults", fleioUrl: em.url, fleioToken: em.staffToken, fresh: true },
        );
    });
    // No clean-up destroy: the emulator goes with this process and the next run starts from empty state.
    after(async () => {
        await em?.close();
    });

    it("a create whose answer is lost is not sent twice: the object is found and managed, and the next preview is empty", async () => {
        // Fleio commits the client POST, but the connection drops before the answer.
        await faults({ match: { method: "POST", pathPrefix: "/backend/staffapi/clients" }, script: [{ drop: "after" }] });
        const up = await upAsPreviewed(stack);
        assert.equal(up.summary.resourceChanges?.create, 3, JSON.stringify(up.summary.resourceChanges));
        const log = await requests();
        const clientPosts = log.filter((r) => r.method === "POST" && r.path === "/backend/staffapi/clients");
        assert.equal(clientPosts.length, 1, "the client POST whose answer was lost is not re-sent");
        const found = await f.ok<{ count: number; objects: { id: number }[] }>("GET", "clients?external_billing_id=flaky-1");
        assert.equal(found.count, 1, "exactly one client exists");
        assert.equal(String(found.objects[0].id), up.outputs.clientId.value, "and the stack manages that one");
        // Found again, it is read whole: its outputs are those of an answered create.
        const calls = await f.apiCalls();
        const p = await stack.preview({ color: "never" });
        assert.deepEqual(Object.entries(p.changeSummary).filter(([k, n]) => k !== "same" && (n ?? 0) > 0), [], `no changes: ${JSON.stringify(p.changeSummary)}`);
        assert.equal((await f.apiCalls()) - calls, 0, "and the preview asks Fleio nothing");
    });

    it("429 with Retry-After and 5xx on reads are retried during refresh", async () => {
        await faults({ match: { method: "GET", pathPrefix: "/backend/staffapi/openstack" }, script: [{ status: 429, retryAfter: 1 }, { status: 503 }, { status: 502 }] });
        const t0 = Date.now();
        const r = await stack.refresh();
        assert.equal(r.summary.resourceChanges?.update ?? 0, 0, "nothing drifted");
        assert.ok(Date.now() - t0 >= 1000, "Retry-After: 1 was honoured");
        const statuses = (await requests()).filter((x) => x.path.startsWith("/backend/staffapi/openstack/billing/plan/")).map((x) => x.status);
        assert.deepEqual(statuses.slice(-4), [429, 503, 502, 200], "three faults, then the answer");
    });

    it("a Fleio that keeps failing fails the refresh with a readable error, no stack trace and no token", async () => {
        await faults({ match: { method: "GET", pathPrefix: "/backend/staffapi/clients" }, rate5xx: 1 });
        const err = await stack.refresh().then(
            () => undefined,
            (e: Error) => e,
        );
        assert.ok(err, "refresh fails while Fleio answers 5xx");
        assert.match(err.message, /Fleio GET \/clients\/\d+ failed: HTTP 50[023]/);
        assert.ok(!err.message.includes(em.staffToken), "the token is not in the error");
        // The dynamic provider host prints a failed read's stack unless told not to (provider/quiet-error.ts).
        assert.doesNotMatch(err.message, /\s+at .*:\d+:\d+\)?$/m, "no Node stack trace in the output");
        await faults({});
    });
});
