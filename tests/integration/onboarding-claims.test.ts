import * as assert from "node:assert/strict";
import * as pulumi from "@pulumi/pulumi";
import { startEmulator, RunningEmulator } from "../../emulator";
import { engineStack } from "../../scripts/engine";
import * as fleio from "../../sdk";
import { FleioDirect } from "./support/fleio-direct";
import { objectCounts, resellerClient } from "./support/onboarding-fixtures";

/** A reseller onboarded with one plain rule; `over` replaces any argument. */
function reseller(name: string, over: Partial<fleio.ResellerOnboardingArgs> = {}): fleio.ResellerOnboarding {
    return new fleio.ResellerOnboarding(name, {
        client: resellerClient(name),
        resellerPlan: { name: `${name} pricing`, rules: [{ displayName: "m1.small per hour", resourceName: "instance", timeUnit: "hour", prices: [{ from: 0, price: "0.02" }] }] },
        service: { productName: "Reseller", cycle: "month" },
        domain: `cloud.${name}.example`,
        ...over,
    });
}

const rule = (planId: pulumi.Input<string>, displayName: string): fleio.PricingRuleArgs => ({ planId, displayName, resourceName: "instance", prices: [{ from: 0, price: "0.01" }] });

/**
 * Programs that declare one value twice. Each conflict is found in the program, so
 * preview fails with no call to Fleio, and up creates nothing — not even the first
 * of the two declarations.
 */
const cases: { title: string; program: () => void; message: RegExp }[] = [
    {
        title: "two resellers declare the same domain",
        program: () => {
            reseller("a", { domain: "cloud.shared.example" });
            reseller("b", { domain: "Cloud.Shared.Example." });
        },
        message: /ResellerOnboarding "b": domain "cloud\.shared\.example" is also declared by FrontendDomain "a-domain" \(in ResellerOnboarding "a"\); each domain must be unique in stack onboarding-claims\/dev/,
    },
    {
        title: "two resellers share an externalBillingId",
        program: () => {
            reseller("a");
            reseller("b", { client: { ...resellerClient("b"), externalBillingId: "a" } });
        },
        message: /ResellerOnboarding "b": externalBillingId "a" is also declared by Reseller "a-client" \(in ResellerOnboarding "a"\)/,
    },
    {
        title: "two components share a name",
        program: () => {
            reseller("a");
            reseller("a", { domain: "cloud.other.example", client: resellerClient("other") });
        },
        message: /ResellerOnboarding "a": name "a" is also declared by ResellerOnboarding "a"; each name must be unique/,
    },
    {
        title: "two rules of one plan share a displayName",
        program: () => {
            const plan = new fleio.OpenstackPlan("plan", { name: "Retail", currency: "EUR" });
            new fleio.PricingRule("small", rule(plan.planId, "m1.small per hour"));
            new fleio.PricingRule("small-again", rule(plan.planId, "m1.small per hour"));
        },
        message: /PricingRule "small-again": displayName "m1\.small per hour" is also declared by PricingRule "small"; each displayName must be unique within the same plan/,
    },
    {
        title: "two rules share a Pulumi name",
        program: () => {
            const plan = new fleio.OpenstackPlan("plan", { name: "Retail", currency: "EUR" });
            new fleio.PricingRule("small", rule(plan.planId, "m1.small per hour"));
            new fleio.PricingRule("small", rule(plan.planId, "m1.small per month"));
        },
        message: /PricingRule "small": Pulumi resource name "small" is also declared by PricingRule "small"/,
    },
];

describe("conflicts inside the program are caught before anything is sent (real engine)", function () {
    this.timeout(300_000);
    let em: RunningEmulator;
    let f: FleioDirect;

    before(async () => {
        em = await startEmulator({ seed: 41, deleteDelayMs: 50 });
        f = new FleioDirect(em);
    });
    after(async () => {
        await em?.close();
    });

    for (const c of cases) {
        it(`${c.title}: preview fails naming both, with 0 API calls; up creates nothing`, async () => {
            const stack = await engineStack(async () => c.program(), { area: "integration", projectName: "onboarding-claims", fleioUrl: em.url, fleioToken: em.staffToken, fresh: true });
            const calls = await f.apiCalls();
            const counts = await objectCounts(f);
            await assert.rejects(stack.preview(), (e: Error) => {
                assert.match(e.message, c.message);
                assert.doesNotMatch(e.message, /Unhandled exception|Duplicate resource URN/);
                return true;
            });
            assert.equal((await f.apiCalls()) - calls, 3, "only objectCounts' own 3 requests");
            await assert.rejects(stack.up(), c.message);
            assert.deepEqual(await objectCounts(f), counts);
            const state = await stack.exportStack();
            assert.deepEqual((state.deployment.resources ?? []).filter((r: { type: string }) => r.type.includes("fleio")), [], "no Fleio resource in state");
        });
    }

    it("a value that is an Output is checked when it resolves, and fails that resource cleanly", async () => {
        const stack = await engineStack(
            async () => {
                reseller("a", { domain: "cloud.shared.example" });
                reseller("b", { domain: pulumi.output("cloud.shared.example") });
            },
            { area: "integration", projectName: "onboarding-claims", fleioUrl: em.url, fleioToken: em.staffToken, fresh: true },
        );
        const message = /FrontendDomain "b-domain" \(in ResellerOnboarding "b"\): domain "cloud\.shared\.example" is also declared by FrontendDomain "a-domain"/;
        await assert.rejects(stack.preview(), (e: Error) => {
            assert.match(e.message, message);
            assert.doesNotMatch(e.message, /Unhandled exception/);
            return true;
        });
        await assert.rejects(stack.up(), message);
        const state = await stack.exportStack();
        assert.equal((state.deployment.resources ?? []).filter((r: { urn: string }) => r.urn.endsWith("::b-domain")).length, 0, "the conflicting domain was not set");
    });
});
