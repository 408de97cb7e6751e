import * as assert from "node:assert/strict";
import type { Stack } from "@pulumi/pulumi/automation";
import { startEmulator, RunningEmulator } from "../../emulator";
import { engineStack, outputValues } from "../../scripts/engine";
import * as fleio from "../../sdk";
import { FleioDirect } from "./support/fleio-direct";
import { added, census, Census, ids, sorted } from "./support/census";
import { upAsPreviewed } from "./support/preview-matches-up";

/**
 * Two resellers, each with every kind of object: client, plan, rule, reseller service
 * (order and plan), end-user panel and configuration. Reseller "lost" has no
 * externalBillingId: Fleio's client list is all that can find it again. Reseller "failed"
 * waits for the first client, so the first of each pair of faults below hits "lost".
 */
function twoResellers() {
    const setup = (name: string, extra: { externalBillingId?: string }, opts: { dependsOn?: fleio.Reseller[] } = {}) => {
        const client = new fleio.Reseller(
            `${name}-client`,
            {
                firstName: "Rita", lastName: name, company: `${name} cloud`, email: `ops@${name}.example`, phone: "+49 30 1234567",
                address1: "1 Cloud Street", city: "Berlin", zipCode: "10115", country: "DE", currency: "EUR", ...extra,
            },
            opts,
        );
        const plan = new fleio.OpenstackPlan(`${name}-plan`, { name: `Reseller pricing - ${name}`, currency: "EUR" });
        const rule = new fleio.PricingRule(`${name}-rule`, { planId: plan.planId, displayName: "m1.small per hour", resourceName: "instance", timeUnit: "hour", prices: [{ from: 0, price: "0.02" }] });
        const service = new fleio.ResellerService(`${name}-service`, { clientId: client.clientId, productName: "Reseller", cycle: "month", cycleCurrency: "EUR", planId: plan.planId }, { dependsOn: [rule] });
        const panel = new fleio.FrontendDomain(`${name}-panel`, { clientId: client.clientId, serviceId: service.serviceId, domain: `cloud.${name}.example` });
        const configuration = new fleio.Configuration(`${name}-configuration`, { name: `${name}-retail`, resellerClientId: client.clientId }, { dependsOn: [service] });
        return { client, outputs: { clientId: client.clientId, planId: plan.planId, ruleId: rule.ruleId, serviceId: service.serviceId, panelUrl: panel.enduserPanelUrl, configurationId: configuration.configurationId } };
    };
    const lost = setup("lost", {});
    const failed = setup("failed", { externalBillingId: "failed-cloud" }, { dependsOn: [lost.client] });
    return { lost: lost.outputs, failed: failed.outputs };
}

const STAFF = "/backend/staffapi";
/** Each create of the program, as the path its POST goes to. */
const CREATES = {
    Reseller: `^${STAFF}/clients$`,
    OpenstackPlan: `^${STAFF}/openstack/billing/plan$`,
    PricingRule: `^${STAFF}/openstack/billing/pricerule$`,
    "ResellerService order": `^${STAFF}/clients/\\d+/create_reseller_service$`,
    "ResellerService plan": `^${STAFF}/clients/\\d+/update_reseller_billing_plan$`,
    FrontendDomain: `^${STAFF}/clients/\\d+/update_reseller_enduser_panel_url$`,
    Configuration: `^${STAFF}/configurations$`,
};

// After every way a create can go wrong, one `up` converges and the next preview is
// empty and asks Fleio nothing: the outputs of a recovered create are those of an
// answered one (provider/resources/create-once.ts reads a found object whole).
describe("a create whose answer was lost, or answered 5xx, is recovered in one up and leaves no diff", function () {
    this.timeout(600_000);
    let em: RunningEmulator;
    let f: FleioDirect;
    let stack: Stack;
    let start: Census;

    before(async () => {
        em = await startEmulator({ seed: 17, deleteDelayMs: 50 });
        f = new FleioDirect(em);
        await f.defaultStaffPlanId();
        start = await census(f);
        stack = await engineStack(async () => twoResellers(), { area: "integration", projectName: "create-recovered", fleioUrl: em.url, fleioToken: em.staffToken, fresh: true });
    });
    after(async () => {
        await f?.setFaults({});
        await stack?.destroy().catch(() => undefined);
        await em?.close();
    });

    it("every kind: the first create's answer is lost after Fleio made it, the second is answered 500; each object exists once and the preview is empty with 0 calls", async () => {
        // Fleio commits the first create of each kind and the connection drops before its
        // answer; it answers the second with a 500 without acting on it.
        const script = Object.values(CREATES).flatMap((pathPattern) => [
            { drop: "after", match: { pathPattern } },
            { status: 500, match: { pathPattern } },
        ]);
        await f.setFaults({ match: { method: "POST" }, script });
        const from = (await f.requests()).length;
        const out = outputValues((await upAsPreviewed(stack, { color: "never" })).outputs);
        const left = (await (await fetch(`${em.url}/__emulator/faults`)).json()) as { script?: unknown[] };
        await f.setFaults({});
        assert.deepEqual(left.script ?? [], [], "every fault was hit");

        // A lost answer is never sent again (its object was found); a 500 is (nothing was made).
        const log = (await f.requests()).slice(from);
        for (const [kind, pathPattern] of Object.entries(CREATES)) {
            const sent = log.filter((r) => r.method === "POST" && new RegExp(pathPattern).test(r.path));
            const idempotent = kind === "ResellerService plan" || kind === "FrontendDomain";
            // Setting a plan or a panel URL twice is harmless: the client repeats those itself.
            assert.equal(sent.length, idempotent ? 4 : 3, `${kind}: ${JSON.stringify(sent)}`);
            assert.equal(sent.filter((r) => r.status === 500).length, 1, `${kind}: one 500`);
        }

        // Fleio holds exactly the declared objects, each once.
        const made = added(start, await census(f));
        const declared = [out.lost, out.failed];
        assert.deepEqual(ids(made), {
            clients: sorted(declared.map((d) => d.clientId)),
            plans: sorted(declared.map((d) => d.planId)),
            rules: sorted(declared.map((d) => d.ruleId)),
            services: sorted(declared.map((d) => d.serviceId)),
            configurations: sorted(declared.map((d) => d.configurationId)),
        });
        for (const d of declared) {
            const live = await f.liveResellerService(d.clientId);
            assert.deepEqual(live && { id: String(live.id), plan: String(live.plan), url: live.url }, { id: d.serviceId, plan: d.planId, url: d.panelUrl });
        }
        const lost = await f.ok("GET", `clients/${out.lost.clientId}`);
        assert.deepEqual([lost.address1, lost.zip_code, lost.status], ["1 Cloud Street", "10115", "active"]);

        const calls = await f.apiCalls();
        const p = await stack.preview({ color: "never" });
        assert.deepEqual(Object.entries(p.changeSummary).filter(([k, n]) => k !== "same" && (n ?? 0) > 0), [], `no changes: ${JSON.stringify(p.changeSummary)}`);
        assert.equal((await f.apiCalls()) - calls, 0, "and no Fleio calls");
    });
});
