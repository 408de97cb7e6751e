import * as assert from "node:assert/strict";
import type { Stack } from "@pulumi/pulumi/automation";
import * as fleio from "../../sdk";
import { startEmulator, RunningEmulator } from "../../emulator";
import { engineStack, outputValues } from "../../scripts/engine";
import { FleioDirect } from "./support/fleio-direct";
import { added, census, Census, sorted } from "./support/census";
import { changes, resellerClient } from "./support/onboarding-fixtures";
import { upAsPreviewed } from "./support/preview-matches-up";

/**
 * An `up` that fails half-way through a delete-before-replace leaves the deleted objects
 * in state as pendingReplacement; the next `up` finishes the replacement whatever the
 * diff says. It must then create them once, not create and delete them again (which for
 * a FrontendDomain clears the panel URL it has just set, while the state says it is set).
 * Run on the emulator's default setup: a Fleio with no default staff plan.
 */

type Out = { clientId: string; serviceId: string; resellerPlanId: string; endUserPanelUrl: string };

function program(currency: string) {
    return async () => {
        const o = new fleio.ResellerOnboarding("acme", {
            client: { ...resellerClient("acme-failed-up"), currency },
            resellerPlan: { name: "Acme pricing", rules: [{ displayName: "Instances", resourceName: "instance", timeUnit: "hour", prices: [{ from: 0, price: "0.02" }] }] },
            service: { productName: "Reseller", cycle: "month" },
            domain: "cloud.acme-failed-up.example",
        });
        return { clientId: o.clientId, serviceId: o.serviceId, resellerPlanId: o.resellerPlanId, endUserPanelUrl: o.endUserPanelUrl };
    };
}

describe("a failed up never leaves Fleio and the state apart", function () {
    this.timeout(300_000);
    let em: RunningEmulator;
    let f: FleioDirect;
    let stack: Stack;
    let baseline: Census;
    let out: Out;

    const stackFor = (currency: string, fresh = false) =>
        engineStack(program(currency), { area: "integration", projectName: "failed-up", fleioUrl: em.url, fleioToken: em.staffToken, fresh });

    /** Fleio holds exactly what the stack's outputs say: one active client, its service on its plan with its panel URL. */
    const holdsExactlyTheDeclared = async () => {
        const now = added(baseline, await census(f));
        const active = now.clients.filter((c) => c.status === "active");
        assert.deepEqual(sorted(active), [out.clientId], "the one declared client is active");
        assert.equal(active[0].currency, "EUR");
        assert.deepEqual(
            now.services.map((s) => ({ id: s.id, client: s.client, status: s.status, plan: s.plan, url: s.url })),
            [{ id: out.serviceId, client: out.clientId, status: "active", plan: out.resellerPlanId, url: "https://cloud.acme-failed-up.example/" }],
            "its one service, active, on its plan, with its panel URL",
        );
        assert.equal(out.endUserPanelUrl, "https://cloud.acme-failed-up.example/");
        // The reseller plan, and Fleio's own "default" staff plan where the provider had to make one.
        const plans = now.plans.filter((p) => !(p.name === "default" && p.resellerResources === null));
        assert.deepEqual(sorted(plans), [out.resellerPlanId]);
        assert.deepEqual(now.rules.map((r) => [r.plan, r.displayName]), [[out.resellerPlanId, "Instances"]]);
    };

    const previewIsEmpty = async () => {
        const before = await f.apiCalls();
        const p = await stack.preview({ color: "never" });
        assert.deepEqual(changes(p.changeSummary), {}, "an empty preview");
        assert.equal((await f.apiCalls()) - before, 0, "that makes no API calls");
    };

    before(async () => {
        em = await startEmulator({ seed: 29, deleteDelayMs: 20 });
        f = new FleioDirect(em);
        baseline = await census(f);
        stack = await stackFor("EUR", true);
        out = outputValues((await upAsPreviewed(stack, { color: "never" })).outputs) as Out;
        await holdsExactlyTheDeclared();
    });
    after(async () => {
        await f?.setFaults({});
        await stack?.destroy({ color: "never" }).catch(() => undefined);
        await em?.close();
    });

    it("a currency change that fails after the panel was cleared, reverted: up restores the panel, and the preview is empty", async () => {
        // The client's replacement deletes its dependents first: the panel, then the service,
        // whose terminate Fleio answers 501 here. The up fails with the panel already cleared.
        await f.setFaults({ match: { method: "POST", pathPrefix: "/backend/staffapi/billing/services/" }, script: [{ status: 501 }] });
        stack = await stackFor("USD");
        // Made to fail by the fault: it cannot do what its preview planned; the converging re-run is compared.
        await assert.rejects(stack.up({ color: "never" }));
        await f.setFaults({});
        assert.equal((await f.liveResellerService(out.clientId))?.url, null, "the failed up had cleared the panel URL");

        stack = await stackFor("EUR");
        const r = await upAsPreviewed(stack, { color: "never" });
        out = outputValues(r.outputs) as Out;
        // The panel's pending replacement is finished; the plan's currency, if the failed up got to it, goes back.
        const done = changes(r.summary.resourceChanges ?? {});
        assert.equal(done.replace, 1, JSON.stringify(done));
        assert.deepEqual(Object.keys(done).filter((k) => k !== "replace" && k !== "update"), [], JSON.stringify(done));
        await holdsExactlyTheDeclared();
        await previewIsEmpty();
    });

    it("a currency change that fails at the new client, after the old one and its service were suspended, reverted: up resumes both once", async () => {
        const before = { ...out };
        // Every dependent and the client itself are deleted (Fleio suspends client and service); the new client's create is answered 501.
        // The matching POSTs: the panel's clear, the kept service's move to the default staff plan, then the new client.
        const seen = (await f.requests()).length;
        await f.setFaults({ match: { method: "POST", pathPrefix: "/backend/staffapi/clients" }, script: [{ latencyMs: 0 }, { latencyMs: 0 }, { status: 501 }] });
        stack = await stackFor("USD");
        // Made to fail by the fault: it cannot do what its preview planned; the converging re-run is compared.
        await assert.rejects(stack.up({ color: "never" }));
        await f.setFaults({});
        const failed = (await f.requests()).slice(seen).filter((r) => r.status === 501);
        assert.deepEqual(failed.map((r) => `${r.method} ${r.path}`), ["POST /backend/staffapi/clients"], "the up failed at the new client");
        assert.equal((await f.ok("GET", `clients/${before.clientId}`)).status, "suspended", "the failed up had suspended the client");

        stack = await stackFor("EUR");
        out = outputValues((await upAsPreviewed(stack, { color: "never" })).outputs) as Out;
        assert.equal(out.clientId, before.clientId, "the same client, taken back by its external id");
        assert.equal(out.serviceId, before.serviceId, "the same reseller service");
        await holdsExactlyTheDeclared();
        await previewIsEmpty();
    });
});
