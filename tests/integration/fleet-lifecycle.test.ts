import * as assert from "node:assert/strict";
import type { Stack } from "@pulumi/pulumi/automation";
import { startEmulator, RunningEmulator } from "../../emulator";
import { engineStack, outputValues } from "../../scripts/engine";
import { FleioDirect } from "./support/fleio-direct";
import { added, census, Census, sorted } from "./support/census";
import { clearLocks } from "./support/interrupt";
import { FleetReseller, fleetProgram, PREMIUM_PLAN, RULE_NAMES } from "./support/fleet-program";
import { upAsPreviewed } from "./support/preview-matches-up";

/**
 * Twenty resellers, each onboarded by one ResellerOnboarding call, living through what a
 * fleet lives through: repricing, a move to another plan, a currency change, removals.
 * After every step Fleio holds exactly the declared objects (active ones), what Fleio
 * kept of removed resellers is reported apart, and a preview is empty and makes no calls.
 */

const changed = (summary: Record<string, number | undefined>) => Object.entries(summary).filter(([op, n]) => op !== "same" && (n ?? 0) > 0);

type FleetOutputs = { premiumPlanId: string; resellers: Record<string, { clientId: string; serviceId: string; resellerPlanId: string; endUserPanelUrl: string }> };

describe("a fleet of 20 resellers through ResellerOnboarding: reprice, move, change currency, remove", function () {
    this.timeout(900_000);
    let em: RunningEmulator;
    let f: FleioDirect;
    let stack: Stack;
    let baseline: Census;
    let fleet: FleetReseller[] = Array.from({ length: 20 }, (_, n) => ({ key: `r${String(n + 1).padStart(2, "0")}`, currency: "EUR", smallPrice: "0.02" }));
    let out: FleetOutputs;
    /** Every client id the stack has managed: what Fleio keeps must be among them. */
    const managedClients = new Set<string>();
    const durations: Record<string, number> = {};

    const up = async (step: string) => {
        const t0 = Date.now();
        // Each step is previewed first, and up must do exactly what its preview showed.
        const r = await upAsPreviewed(stack, { color: "never" });
        durations[`${step}:preview+up`] = Date.now() - t0;
        out = outputValues(r.outputs) as FleetOutputs;
        for (const r of Object.values(out.resellers)) managedClients.add(r.clientId);
        return r.summary.resourceChanges ?? {};
    };

    /** Fleio holds exactly the declared objects; returns what it kept of removed resellers. */
    const holdsExactlyTheFleet = async (step: string): Promise<Census["clients"]> => {
        const now = added(baseline, await census(f));
        const declared = fleet.map((r) => ({ r, o: out.resellers[r.key] }));
        assert.equal(Object.keys(out.resellers).length, fleet.length, "the stack exports every declared reseller");

        const active = now.clients.filter((c) => c.status === "active");
        assert.deepEqual(sorted(active), sorted(declared.map((d) => d.o.clientId)), "active clients = declared resellers");
        for (const { r, o } of declared) assert.equal(active.find((c) => c.id === o.clientId)?.currency, r.currency, `${r.key} is billed in ${r.currency}`);
        const kept = now.clients.filter((c) => c.status !== "active");
        for (const c of kept) {
            assert.equal(c.status, "suspended", `client ${c.id}: a client Fleio keeps is suspended`);
            assert.ok(managedClients.has(c.id), `client ${c.id} that Fleio kept is one this stack once managed`);
        }

        const resellerPlans = declared.map((d) => d.o.resellerPlanId);
        // This Fleio starts with no default staff plan: the provider makes Fleio's own "default" one
        // once a staff plan is updated or a kept service needs it (docs/guides/first-reseller.md, "Fleio's default plans").
        const fleioDefault = now.plans.filter((p) => p.name === "default" && p.resellerResources === null);
        assert.ok(fleioDefault.length <= 1, `at most one "default" staff plan: ${JSON.stringify(fleioDefault)}`);
        const plans = now.plans.filter((p) => !fleioDefault.includes(p));
        assert.deepEqual(sorted(plans), sorted([out.premiumPlanId, ...resellerPlans]), "plans = the premium plan and one per declared reseller");
        const rulesOf = (plan: string) => now.rules.filter((x) => x.plan === plan).map((x) => x.displayName).sort();
        for (const plan of resellerPlans) assert.deepEqual(rulesOf(plan), [...RULE_NAMES].sort(), `plan ${plan} has exactly its two rules`);
        assert.deepEqual(rulesOf(out.premiumPlanId), [RULE_NAMES[0]], "the premium plan has exactly its rule");
        assert.equal(now.rules.length, resellerPlans.length * 2 + 1, "no other rules");
        assert.equal(now.plans.find((p) => p.id === out.premiumPlanId)?.name, PREMIUM_PLAN);

        const live = now.services.filter((s) => s.status === "active");
        assert.deepEqual(sorted(live), sorted(declared.map((d) => d.o.serviceId)), "active reseller services = one per declared reseller");
        for (const { r, o } of declared) {
            const s = live.find((x) => x.id === o.serviceId)!;
            assert.equal(s.client, o.clientId, `${r.key}'s service belongs to its client`);
            assert.equal(s.plan, r.onPremium ? out.premiumPlanId : o.resellerPlanId, `${r.key}'s service is on ${r.onPremium ? "the premium plan" : "its own plan"}`);
            assert.equal(s.url, `https://cloud.${r.key}.fleet.example/`);
        }
        for (const s of now.services.filter((x) => x.status !== "active"))
            assert.ok(kept.some((c) => c.id === s.client), `service ${s.id} that is not active belongs to a client Fleio kept`);
        if (kept.length) console.log(`      ${step}: Fleio keeps ${kept.length} suspended client(s) of removed resellers: ${kept.map((c) => `${c.id} (${c.currency})`).join(", ")}`);
        return kept;
    };

    const previewIsEmpty = async (step: string) => {
        const calls = await f.apiCalls();
        const t0 = Date.now();
        const p = await stack.preview({ color: "never" });
        durations[`${step}:preview`] = Date.now() - t0;
        assert.deepEqual(changed(p.changeSummary), [], `preview shows no changes: ${JSON.stringify(p.changeSummary)}`);
        assert.equal((await f.apiCalls()) - calls, 0, "and makes no API calls");
    };

    before(async () => {
        // The emulator's default setup: no default staff plan, so Fleio refuses every staff plan
        // update that does not make one (the currency change below updates its plan first). The
        // GitOps pipeline and fleet tests run on an operator's Fleio with one.
        em = await startEmulator({ seed: 61, deleteDelayMs: 20 });
        f = new FleioDirect(em);
        clearLocks("integration", "fleet");
        stack = await engineStack(async () => fleetProgram(fleet), { area: "integration", projectName: "fleet", fleioUrl: em.url, fleioToken: em.staffToken, fresh: true });
        baseline = await census(f);
    });
    // No clean-up destroy (140 resources): the emulator goes with this process and the
    // next run starts from empty state; fleet.test.ts destroys a fleet and checks it.
    after(async () => {
        console.log(`      durations (ms): ${JSON.stringify(durations)}`);
        await em?.close();
    });

    it("onboards 20 resellers", async () => {
        const changes = await up("onboard");
        // The stack itself, the premium plan and its rule, and per reseller the component, client, plan, 2 rules, service and panel.
        assert.equal(changes.create, 1 + 2 + 20 * 7, JSON.stringify(changes));
        await holdsExactlyTheFleet("onboard");
        await previewIsEmpty("onboard");
    });

    it("repricing 3 resellers updates exactly their 3 rules", async () => {
        const before = { ...out.resellers };
        fleet = fleet.map((r, n) => (n < 3 ? { ...r, smallPrice: "0.025" } : r));
        const changes = await up("reprice");
        assert.deepEqual(changed(changes), [["update", 3]]);
        for (const r of fleet.slice(0, 3)) {
            const rules = await f.ok<{ objects: { plan: number; display_name: string; pricing: { prices: { p: number | string }[] } }[] }>("GET", "openstack/billing/pricerule?page_size=10000");
            const small = rules.objects.find((x) => String(x.plan) === before[r.key].resellerPlanId && x.display_name === RULE_NAMES[0]);
            assert.equal(Number(small?.pricing.prices[0].p), 0.025, `${r.key}'s m1.small price is raised in Fleio`);
        }
        assert.deepEqual(out.resellers, before, "no object was replaced");
        await holdsExactlyTheFleet("reprice");
        await previewIsEmpty("reprice");
    });

    it("moving a reseller to the premium plan changes its service's plan in place", async () => {
        const before = out.resellers.r04;
        fleet = fleet.map((r) => (r.key === "r04" ? { ...r, onPremium: true } : r));
        const changes = await up("move");
        assert.deepEqual(changed(changes), [["update", 1]]);
        assert.equal(out.resellers.r04.serviceId, before.serviceId, "the same service");
        await holdsExactlyTheFleet("move");
        await previewIsEmpty("move");
    });

    const staffDefaultPlans = async () => (await f.ok<{ objects: { is_default: boolean; reseller_resources: number | null }[] }>("GET", "openstack/billing/plan?page_size=10000")).objects.filter((p) => p.is_default && p.reseller_resources === null).length;

    it("changing a reseller's currency replaces its client, which hands its external id to the new one", async () => {
        const before = out.resellers.r05;
        assert.equal(await staffDefaultPlans(), 0, "Fleio has no default staff plan yet");
        fleet = fleet.map((r) => (r.key === "r05" ? { ...r, currency: "USD" } : r));
        const changes = await up("currency");
        assert.equal(await staffDefaultPlans(), 1, "the plan's currency update first made Fleio's own default staff plan");
        // The client, and with it the service and the panel that hang on it; the plan follows the currency in place.
        assert.equal(changes.replace, 3, JSON.stringify(changes));
        assert.equal(changes.update, 1, JSON.stringify(changes));
        assert.notEqual(out.resellers.r05.clientId, before.clientId, "a new client");
        assert.equal(out.resellers.r05.resellerPlanId, before.resellerPlanId, "the same plan, now in USD");
        const holders = await f.ok<{ objects: { id: number }[] }>("GET", "clients?external_billing_id=fleet-r05");
        assert.deepEqual(holders.objects.map((c) => String(c.id)), [out.resellers.r05.clientId], "only the new client carries externalBillingId fleet-r05");
        const kept = await holdsExactlyTheFleet("currency");
        assert.ok(kept.every((c) => c.id === before.clientId), "the only client Fleio may keep is the old EUR one");
        await previewIsEmpty("currency");
    });

    it("removing 2 resellers removes exactly their objects", async () => {
        const removed = fleet.slice(-2).map((r) => out.resellers[r.key]);
        fleet = fleet.slice(0, -2);
        const changes = await up("remove");
        assert.deepEqual(changed(changes), [["delete", 2 * 7]]);
        const kept = await holdsExactlyTheFleet("remove");
        for (const r of removed) assert.ok(!(await f.exists(`openstack/billing/plan/${r.resellerPlanId}`)), `plan ${r.resellerPlanId} of a removed reseller is gone`);
        assert.ok(kept.length <= 3, "Fleio keeps at most the removed and replaced clients");
        await previewIsEmpty("remove");
    });
});
