import * as assert from "node:assert/strict";
import { resource } from "../../../provider";
import { useCreateOptions } from "../support/check-harness";

// diff() as the engine calls it: olds are the outputs state holds, news the result of
// check() on the program's new inputs. Rows say which change is in place, which
// replaces, and which is formatting only and must not show up at all.

type Outputs = Record<string, unknown>;
const base: Record<string, { inputs: Record<string, unknown>; computed: Outputs }> = {
    Reseller: {
        inputs: { firstName: "Ada", lastName: "Op", email: "ada@example.com", phone: "+49 1", address1: "1 St", city: "Berlin", zipCode: "10115", country: "DE", currency: "EUR", company: "Acme" },
        computed: { clientId: "77", name: "Ada Op", status: "active" },
    },
    OpenstackPlan: { inputs: { name: "Plan", currency: "EUR" }, computed: { planId: "3", servicesCount: 0 } },
    PricingRule: {
        inputs: { planId: "1", displayName: "Rule", resourceName: "instance", timeUnit: "h", attribute: "size", prices: [{ from: 0, price: "1.5" }, { from: 100, price: "1.25" }] },
        computed: { ruleId: "9", resolvedResourceId: "1" },
    },
    ResellerService: {
        inputs: { clientId: "5", productName: "Reseller", cycle: "month", planId: "2" },
        computed: { serviceId: "11", resellerResourcesId: "4", resolvedProductId: "1", resolvedProductCycleId: "1", status: "active" },
    },
    FrontendDomain: {
        inputs: { clientId: "5", serviceId: "11", domain: "cloud.example.com" },
        computed: { enduserPanelUrl: "https://cloud.example.com/", frontend: { panelUrl: "https://cloud.example.com/" } },
    },
    Configuration: { inputs: { name: "cfg", description: "d" }, computed: { configurationId: "8", clientCount: 0 } },
};

type Expect = "none" | "update" | { replace: string[]; deleteBeforeReplace?: boolean };
const rows: [kind: string, change: Record<string, unknown>, expect: Expect, why: string][] = [
    ["Reseller", {}, "none", "nothing changed"],
    ["Reseller", { city: "Hamburg" }, "update", "address"],
    ["Reseller", { email: "new@example.com" }, "update", "email"],
    ["Reseller", { currency: "USD" }, { replace: ["currency"], deleteBeforeReplace: true }, "currency: the old client must let go of the unique external billing id first"],
    ["Reseller", { currency: "eur", country: "de" }, "none", "codes in lower case"],
    ["Reseller", { company: "Acme", vatId: "" }, "none", "empty optional text equals absent"],
    ["Reseller", { adopt: "77" }, "none", "adopt only matters at create"],
    ["OpenstackPlan", { name: "Plan 2" }, "update", "name"],
    ["OpenstackPlan", { isDefault: true }, "update", "default flag"],
    ["OpenstackPlan", { currency: "USD" }, "update", "currency, which Fleio updates in place"],
    ["OpenstackPlan", { resellerClientId: "5" }, { replace: ["resellerClientId"] }, "owner"],
    ["OpenstackPlan", { isDefault: false }, "none", "a default stated explicitly"],
    ["PricingRule", { prices: [{ from: 0, price: "1.6" }, { from: 100, price: "1.25" }] }, "update", "a price"],
    ["PricingRule", { prices: [{ from: 100, price: 1.25 }, { from: "0.0", price: "1.5000" }] }, "none", "tier order and decimal formatting"],
    ["PricingRule", { timeUnit: "hour" }, "none", "unit spelled out"],
    ["PricingRule", { priority: 1 }, "none", "default priority stated"],
    ["PricingRule", { priority: 5 }, "update", "priority"],
    ["PricingRule", { conditions: [{ attribute: "flavor", value: "m1" }] }, "update", "a new condition"],
    ["PricingRule", { planId: "2" }, { replace: ["planId"] }, "another plan"],
    ["PricingRule", { resourceName: "volume" }, { replace: ["resourceName"] }, "another billing resource"],
    ["ResellerService", { planId: "3" }, "update", "pricing plan"],
    ["ResellerService", { cycle: "year" }, { replace: ["cycle"], deleteBeforeReplace: true }, "cycle: one service per client"],
    ["ResellerService", { clientId: "6" }, { replace: ["clientId"], deleteBeforeReplace: true }, "client"],
    ["ResellerService", { productName: "Reseller Pro" }, { replace: ["productName"], deleteBeforeReplace: true }, "product"],
    ["FrontendDomain", { domain: "panel.example.com" }, "update", "domain"],
    ["FrontendDomain", { scheme: "http" }, "update", "scheme"],
    ["FrontendDomain", { domain: "CLOUD.example.com." }, "none", "domain case and trailing dot"],
    ["FrontendDomain", { scheme: "https" }, "none", "default scheme stated"],
    ["FrontendDomain", { serviceId: "12" }, { replace: ["serviceId"], deleteBeforeReplace: true }, "another reseller service"],
    ["Configuration", { description: "e" }, "update", "description"],
    ["Configuration", { name: "cfg2" }, "update", "name"],
    ["Configuration", { resellerClientId: "5" }, { replace: ["resellerClientId"] }, "owner"],
    ["Configuration", { description: " d " }, "none", "surrounding spaces"],
];

async function oldOutputs(kind: string): Promise<Outputs> {
    // What create() stores: the normalised inputs plus computed outputs.
    const { inputs } = await resource(kind).check!({}, base[kind].inputs);
    return { ...inputs, ...base[kind].computed };
}

describe("diff(): what changes, what replaces, what is only formatting", () => {
    useCreateOptions();
    for (const [kind, change, expect, why] of rows) {
        it(`${kind}: ${why} → ${typeof expect === "string" ? expect : `replace ${expect.replace.join(", ")}`}`, async () => {
            const olds = await oldOutputs(kind);
            const checked = await resource(kind).check!(olds, { ...base[kind].inputs, ...change });
            assert.deepEqual(checked.failures ?? [], []);
            const d = await resource(kind).diff!("id", olds, checked.inputs);
            if (expect === "none") {
                assert.equal(d.changes, false, JSON.stringify(d));
            } else if (expect === "update") {
                assert.equal(d.changes, true);
                assert.deepEqual(d.replaces, []);
            } else {
                assert.equal(d.changes, true);
                assert.deepEqual(d.replaces, expect.replace);
                assert.equal(d.deleteBeforeReplace, expect.deleteBeforeReplace ?? false);
            }
        });
    }

    it("a kind Fleio replaces delete-first says so on every diff, so the engine never deletes a pending replacement twice", async () => {
        // After an up that failed between the delete and the create of a delete-before-replace,
        // the engine finishes the replacement on the next run even when nothing changed; told
        // nothing, it would create and then delete the old (already deleted) object again.
        for (const kind of ["Reseller", "ResellerService", "FrontendDomain"]) {
            const olds = await oldOutputs(kind);
            const checked = await resource(kind).check!(olds, base[kind].inputs);
            const d = await resource(kind).diff!("id", olds, checked.inputs);
            assert.deepEqual([d.changes, d.deleteBeforeReplace], [false, true], kind);
        }
        for (const kind of ["OpenstackPlan", "PricingRule", "Configuration"]) {
            const olds = await oldOutputs(kind);
            const d = await resource(kind).diff!("id", olds, (await resource(kind).check!(olds, base[kind].inputs)).inputs);
            assert.equal(d.deleteBeforeReplace, false, kind);
        }
    });

    it("old state without a field that now has a default shows no change", async () => {
        const olds = await oldOutputs("PricingRule");
        delete olds.priority;
        delete olds.conditions;
        delete olds.modifiers;
        const { inputs } = await resource("PricingRule").check!({}, base.PricingRule.inputs);
        const d = await resource("PricingRule").diff!("id", olds, inputs);
        assert.equal(d.changes, false, JSON.stringify(d));
    });

    it("a value unknown during preview counts as a change, and replaces where the field would", async () => {
        const olds = await oldOutputs("PricingRule");
        const { inputs } = await resource("PricingRule").check!({}, { ...base.PricingRule.inputs, planId: "04da6b54-80e4-46f7-96ec-b56ff0331ba9" });
        const d = await resource("PricingRule").diff!("id", olds, inputs);
        assert.deepEqual(d.replaces, ["planId"]);
    });
});
