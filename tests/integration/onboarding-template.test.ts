import * as assert from "node:assert/strict";
import type { Stack } from "@pulumi/pulumi/automation";
import { startEmulator, RunningEmulator } from "../../emulator";
import { engineStack, outputValues } from "../../scripts/engine";
import * as fleio from "../../sdk";
import { FleioDirect } from "./support/fleio-direct";
import { changes, emulatorFaults, makeTemplate, objectCounts, resellerClient, rulesOf } from "./support/onboarding-fixtures";
import { upAsPreviewed } from "./support/preview-matches-up";

/** One reseller whose plan is derived from a template, as the factory declares it. */
function templateProgram(template: () => fleio.TemplateSpec) {
    return async () => {
        const r = await fleio.ResellerOnboarding.create("acme", {
            client: resellerClient("acme"),
            resellerPlan: { name: "Acme pricing", fromTemplate: template() },
            service: { productName: "Reseller", cycle: "month" },
            domain: "cloud.acme.example",
        });
        return { planId: r.resellerPlanId, clientId: r.clientId, serviceId: r.serviceId };
    };
}

/**
 * The message of a failed operation, and the rejections nobody handled once it was over.
 * While a program runs, Pulumi's own handler reports a failed program's promises; one
 * that rejects after the run (as an apply the engine never waited for did) would
 * crash the process that runs the program.
 */
async function failure(op: Promise<unknown>): Promise<{ message: string; lateRejections: unknown[] }> {
    let message: string | undefined;
    try {
        await op;
    } catch (e) {
        message = e instanceof Error ? e.message : String(e);
    }
    if (message === undefined) assert.fail("the operation should have failed");
    const lateRejections: unknown[] = [];
    const seen = (e: unknown) => lateRejections.push(e);
    process.on("unhandledRejection", seen);
    await new Promise((r) => setTimeout(r, 500));
    process.off("unhandledRejection", seen);
    return { message, lateRejections };
}

describe("ResellerOnboarding.create: a plan derived from a template, under the real engine", function () {
    this.timeout(300_000);
    let em: RunningEmulator;
    let f: FleioDirect;

    before(async () => {
        em = await startEmulator({ seed: 21, deleteDelayMs: 50 });
        f = new FleioDirect(em);
    });
    after(async () => {
        await em?.close();
    });

    describe("with a template that has rules", () => {
        let stack: Stack;
        let template: { planId: string; ruleIds: Record<string, number> };
        let markup = 10;
        let out: Record<string, any>;

        before(async () => {
            template = await makeTemplate(f, [
                { name: "m1.small per hour", resource: "instance", flavor: "m1.small", prices: [{ f: 0, p: "0.07" }] },
                { name: "Volume GB per month", resource: "volume", timeUnit: "bc", attribute: "size", prices: [{ f: 0, p: "0.1" }, { f: 1000, p: "0.0001" }] },
            ]);
            stack = await engineStack(templateProgram(() => ({ planId: template.planId, markupPercent: markup })), {
                area: "integration",
                projectName: "onboarding-template",
                fleioUrl: em.url,
                fleioToken: em.staffToken,
                fresh: true,
            });
        });
        // No clean-up destroy: the emulator goes with this process and the next run starts from empty state.

        it("creates exactly the template's rules, each price raised by the markup, exactly", async () => {
            const preview = await stack.preview();
            // component + client + plan + 2 rules + service + domain, and the stack itself
            assert.deepEqual(changes(preview.changeSummary), { create: 8 });
            out = outputValues((await upAsPreviewed(stack)).outputs);
            // 0.07 × 1.1 is 0.07700000000000001 in floating point; 0.0001 × 1.1 is exactly 0.00011 (tiers keep 6 places).
            assert.deepEqual(await rulesOf(f, out.planId), {
                "m1.small per hour": ["0:0.077"],
                "Volume GB per month": ["0:0.11", "1000:0.00011"],
            });
            const live = await f.liveResellerService(out.clientId);
            assert.equal(String(live?.plan), out.planId, "the reseller service is on the derived plan");
        });

        it("a changed template price shows in the next preview as exactly that rule's update", async () => {
            const id = template.ruleIds["m1.small per hour"];
            const rule = await f.ok("GET", `openstack/billing/pricerule/${id}`);
            await f.ok("PUT", `openstack/billing/pricerule/${id}`, { ...rule, pricing: { ...rule.pricing, prices: [{ f: 0, p: "0.08" }] } });
            const preview = await stack.preview({ diff: true });
            assert.deepEqual(changes(preview.changeSummary), { update: 1 });
            // The one update is that rule, and its only change is the price.
            const updates = preview.stdout.split(/\n(?=\s{4}\S)/).filter((block) => /\(update\)/.test(block));
            assert.equal(updates.length, 1, preview.stdout);
            assert.match(updates[0], /fleio:PricingRule::acme-reseller-plan-m1-small-per-hour\]/);
            assert.deepEqual(updates[0].match(/^\s*~ .*$/gm)?.map((l) => l.trim()), ["~ pulumi-nodejs:dynamic/fleio:PricingRule: (update)", "~ prices     : [", "~ [0]: {", '~ price: "0.077" => "0.088"']);
            await upAsPreviewed(stack);
            assert.deepEqual((await rulesOf(f, out.planId))["m1.small per hour"], ["0:0.088"]);
        });

        it("a changed markup updates every derived rule and nothing else", async () => {
            markup = 25;
            const preview = await stack.preview();
            assert.deepEqual(changes(preview.changeSummary), { update: 2 });
            await upAsPreviewed(stack);
            assert.deepEqual(await rulesOf(f, out.planId), { "m1.small per hour": ["0:0.1"], "Volume GB per month": ["0:0.125", "1000:0.000125"] });
            assert.deepEqual(changes((await stack.preview()).changeSummary), {}, "and then nothing is left to change");
        });
    });

    describe("a template that cannot price the reseller fails the run, creating nothing", () => {
        let emptyPlan: string;
        before(async () => {
            emptyPlan = String((await f.ok<{ id: number }>("POST", "openstack/billing/plan", { name: "Empty template", currency: "EUR" })).id);
        });

        const cases: { title: string; planId: () => string; faults?: unknown; message: RegExp }[] = [
            { title: "the template plan does not exist", planId: () => "987654", message: /ResellerOnboarding "acme": resellerPlan\.fromTemplate: the template plan 987654 could not be read from Fleio \(plan 987654 does not exist in Fleio\)/ },
            { title: "the template plan has no rules", planId: () => emptyPlan, message: /resellerPlan\.fromTemplate: the template plan \d+ has no pricing rules; a plan derived from it would leave the reseller unpriced/ },
            {
                title: "Fleio fails when the template's rules are read",
                planId: () => emptyPlan,
                faults: { match: { pathPrefix: "/backend/staffapi/openstack/billing/pricerule" }, rate5xx: 1, seed: 1 },
                message: /resellerPlan\.fromTemplate: the template plan \d+ could not be read from Fleio \(.*50\d/,
            },
        ];
        for (const c of cases) {
            it(`${c.title}: preview and up fail with the message, nothing is created, no unhandled rejection`, async () => {
                const stack = await engineStack(templateProgram(() => ({ planId: c.planId(), markupPercent: 10 })), {
                    area: "integration",
                    projectName: "onboarding-template-bad",
                    fleioUrl: em.url,
                    fleioToken: em.staffToken,
                    fresh: true,
                });
                await stack.setConfig("fleio:maxRetries", { value: "0" });
                const before = await objectCounts(f);
                if (c.faults) await emulatorFaults(em, c.faults);
                try {
                    for (const op of [() => stack.preview(), () => stack.up()]) {
                        const r = await failure(op());
                        assert.match(r.message, c.message);
                        assert.doesNotMatch(r.message, /Unhandled exception/);
                        assert.deepEqual(r.lateRejections, []);
                    }
                } finally {
                    await emulatorFaults(em, undefined);
                }
                assert.deepEqual(await objectCounts(f), before);
                const state = await stack.exportStack();
                assert.deepEqual((state.deployment.resources ?? []).filter((r: { type: string }) => r.type.includes("fleio")), [], "no Fleio resource in state");
            });
        }
    });
});
