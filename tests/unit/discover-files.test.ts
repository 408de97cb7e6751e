import * as assert from "node:assert/strict";
import { discoveredFiles, FleioSnapshot } from "../../discover";
import { parseResellerFile } from "../../sdk/gitops";
import { stringify } from "yaml";

// discover's choice of what goes into a data file and what is left out with why, on a
// snapshot of a Fleio as discover reads it (no HTTP: readFleio is covered by the
// integration test against the emulator).

const client = (id: number, over: Record<string, unknown> = {}) => ({
    id, first_name: `F${id}`, last_name: "L", company: "", email: `c${id}@x.example`, phone: "1", address1: "a", city: "c", zip_code: "1", country: "DE", currency: "EUR", vat_id: "", ...over,
});
const rule = (id: number, plan: number, over: Record<string, unknown> = {}) => ({
    id, plan, display_name: `Rule ${id}`, resource: 1, priority: 1,
    pricing: { prices: [{ f: 0, p: 0.5 }], attribute: null, attribute_unit: null, time_unit: "h" }, conditions: [], modifiers: [], ...over,
});
const reseller = (id: number, plan: number | null, rr: number, url: string | null = null) => ({
    client: client(id),
    service: { id: id * 10, status: "active", cycle: { id: 1 } },
    resources: { id: rr, service: id * 10, plan: plan === null ? null : { id: plan, name: `P${plan}` }, enduser_panel_url: url },
});
const snapshot = (over: Partial<FleioSnapshot> = {}): FleioSnapshot => ({
    resellers: [reseller(1, 10, 100, "https://one.example/")],
    otherClients: 0,
    plans: [{ id: 10, name: "P10", currency: "EUR", is_default: false, reseller_resources: null }],
    rules: [rule(1, 10)],
    configurations: [{ id: 5, name: "default", is_default: true, reseller_resources: 100 }],
    products: [{ id: 7, name: "Reseller", product_type: "reseller" }],
    cycles: [{ id: 1, product: 7, cycle: "month", cycle_multiplier: 1, currency: "EUR" }],
    billingResources: [{ id: 1, name: "Instance", type: "service" }],
    ...over,
});
const why = (d: ReturnType<typeof discoveredFiles>, object: RegExp) => d.leftOut.find((l) => object.test(l.object))?.why ?? "";

describe("discover: what goes into a data file, and what is left out with why", () => {
    it("a reseller is written with every adopt id, and the file loads; Fleio's own default configuration is neither written nor reported", () => {
        const d = discoveredFiles(snapshot());
        const file = d.files.get("f1-l")!;
        assert.equal(file.client.adopt, "1");
        assert.deepEqual(file.service, { adopt: "10" });
        assert.deepEqual(file.plan, { name: "P10", adopt: "10" });
        assert.equal(file.domain, "one.example");
        assert.equal(file.pricing![0].adopt, "1");
        assert.equal(file.pricing![0].price, "0.5");
        assert.equal(file.configuration, undefined);
        assert.deepEqual(d.leftOut, []);
        parseResellerFile("f1-l.yaml", stringify(file));
    });

    it("two resellers on one plan are both left out, each naming the other", () => {
        const d = discoveredFiles(snapshot({ resellers: [reseller(1, 10, 100), reseller(2, 10, 200)] }));
        assert.equal(d.files.size, 0);
        assert.match(why(d, /^reseller client 1 /), /plan 10 \("P10"\) also prices client 2/);
        assert.match(why(d, /^reseller client 2 /), /also prices client 1/);
    });

    it("a plan that is its scope's default, a second configuration, a panel URL with a path, a 3-month cycle: each left out with why", () => {
        const cases: [Partial<FleioSnapshot>, RegExp][] = [
            [{ plans: [{ id: 10, name: "P10", currency: "EUR", is_default: true, reseller_resources: null }] }, /is the default plan of its scope/],
            [{ configurations: [{ id: 6, name: "a", is_default: false, reseller_resources: 100 }, { id: 7, name: "b", is_default: false, reseller_resources: 100 }] }, /owns 2 configurations \(6, 7\)/],
            [{ resellers: [reseller(1, 10, 100, "https://one.example/panel")] }, /not of the form <scheme>:\/\/<domain>\//],
            [{ cycles: [{ id: 1, product: 7, cycle: "month", cycle_multiplier: 3, currency: "EUR" }] }, /3 month cycle/],
            [{ rules: [rule(1, 10), rule(2, 10, { display_name: "Rule 1" })] }, /two rules named "Rule 1"/],
            [{ resellers: [reseller(1, null, 100)] }, /has no pricing plan/],
        ];
        for (const [over, expected] of cases) {
            const d = discoveredFiles(snapshot(over));
            assert.equal(d.files.size, 0, String(expected));
            assert.match(why(d, /^reseller client 1 /), expected);
        }
    });

    it("objects outside any reseller are listed: staff plans and configurations", () => {
        const d = discoveredFiles(
            snapshot({
                plans: [{ id: 10, name: "P10", currency: "EUR", is_default: false, reseller_resources: null }, { id: 1, name: "Default", currency: "EUR", is_default: true, reseller_resources: null }],
                configurations: [{ id: 1, name: "default", is_default: true, reseller_resources: null }],
            }),
        );
        assert.equal(d.files.size, 1);
        assert.match(why(d, /^plan 1 \(Default\)/), /not the plan of any reseller written here/);
        assert.match(why(d, /^configuration 1 \(default\)/), /a staff configuration/);
    });

    it("a client keeps the file name an earlier discover gave it", () => {
        const d = discoveredFiles(snapshot(), new Map([["1", "acme"]]));
        assert.deepEqual([...d.files.keys()], ["acme"]);
    });
});
