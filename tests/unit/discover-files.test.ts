import * as assert from "node:assert/strict";
import { discoveredFiles, FleioSnapshot } from "../../discover";
import { parseCatalogPlanFile, parseResellerFile } from "../../sdk/gitops";
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

    it("resellers on one plan name it in the catalog, where it is described once with its rules; both files load against the catalog", () => {
        const d = discoveredFiles(snapshot({ resellers: [reseller(1, 10, 100), reseller(2, 10, 200)] }));
        assert.equal(d.files.size, 2);
        assert.deepEqual([...d.catalog.keys()], ["p10"]);
        const plan = d.catalog.get("p10")!;
        assert.deepEqual([plan.name, plan.currency, plan.adopt, plan.pricing!.map((r) => r.adopt)], ["P10", "EUR", "10", ["1"]]);
        for (const f of d.files.values()) {
            assert.deepEqual(f.plan, { catalog: "p10" });
            assert.equal(f.pricing, undefined);
            parseResellerFile("x.yaml", stringify(f));
        }
        parseCatalogPlanFile("plans/p10.yaml", stringify(plan));
        assert.deepEqual(d.leftOut, []);
    });

    it("the staff default plan a reseller is on goes to the catalog marked default; staff plans no reseller is on follow --staff-plans", () => {
        const plans = [
            { id: 10, name: "P10", currency: "EUR", is_default: true, reseller_resources: null },
            { id: 11, name: "Spare", currency: "EUR", is_default: false, reseller_resources: null },
            { id: 12, name: "Old default", currency: "EUR", is_default: false, reseller_resources: null },
        ];
        const on = discoveredFiles(snapshot({ plans }));
        assert.deepEqual(on.files.get("f1-l")!.plan, { catalog: "p10" });
        assert.equal(on.catalog.get("p10")!.isDefault, true);
        assert.match(why(on, /^plan 11 \(Spare\)/), /prices no reseller; `discover --staff-plans all`/);
        const all = discoveredFiles(snapshot({ plans }), { staffPlans: "all" });
        assert.deepEqual([...all.catalog.keys()].sort(), ["old-default", "p10", "spare"]);
        assert.equal(all.catalog.get("spare")!.pricing!.length, 0, "a plan without rules is described with none");
        assert.deepEqual(all.leftOut, []);
        const noDefault = discoveredFiles(snapshot({ resellers: [reseller(1, 11, 100)], rules: [rule(1, 11)], plans: plans.map((p) => ({ ...p })) }), { staffPlans: "default" });
        assert.deepEqual([...noDefault.catalog.keys()], ["p10"], "the staff default plan, though no reseller is on it");
        assert.equal(noDefault.files.get("f1-l")!.plan!.adopt, "11", "a plan one reseller is on stays its own");
    });

    it("a reseller's own plan without rules goes to the catalog (an own plan has at least one price)", () => {
        const d = discoveredFiles(snapshot({ rules: [] }));
        assert.deepEqual(d.files.get("f1-l")!.plan, { catalog: "p10" });
        assert.deepEqual(d.catalog.get("p10")!.pricing, []);
    });

    it("several configurations, none, several end-user plans: all described; one of each keeps version 1's single form", () => {
        const configurations = [
            { id: 5, name: "default", is_default: true, reseller_resources: 100 },
            { id: 6, name: "eu", description: "EU customers", is_default: false, reseller_resources: 100 },
            { id: 7, name: "us", is_default: false, reseller_resources: 100 },
        ];
        const plans = [
            { id: 10, name: "P10", currency: "EUR", is_default: false, reseller_resources: null },
            { id: 20, name: "Retail", currency: "EUR", is_default: true, reseller_resources: 100 },
            { id: 21, name: "Retail USD", currency: "USD", is_default: false, reseller_resources: 100 },
        ];
        const d = discoveredFiles(snapshot({ configurations, plans, rules: [rule(1, 10), rule(2, 20)] }));
        const f = d.files.get("f1-l")!;
        assert.deepEqual(f.configurations!.map((c) => [c.name, c.adopt]), [["eu", "6"], ["us", "7"]]);
        assert.deepEqual(f.endUserPlans!.map((p) => [p.key, p.adopt, p.isDefault ?? false, p.currency, p.pricing!.length]), [["retail", "20", true, undefined, 1], ["retail-usd", "21", false, "USD", 0]]);
        parseResellerFile("f1-l.yaml", stringify(f));
        const one = discoveredFiles(snapshot({ configurations: configurations.slice(0, 2), plans: plans.slice(0, 2), rules: [rule(1, 10), rule(2, 20)] })).files.get("f1-l")!;
        assert.equal(one.configuration!.adopt, "6");
        assert.equal(one.endUserPlan!.adopt, "20");
        assert.equal(one.configurations, undefined);
        const none = discoveredFiles(snapshot()).files.get("f1-l")!;
        assert.deepEqual([none.configuration, none.configurations, none.endUserPlan, none.endUserPlans], [undefined, undefined, undefined, undefined]);
    });

    it("a part that cannot be described is left out on its own and the reseller is still written: a panel URL with a path, a rule named twice", () => {
        const url = discoveredFiles(snapshot({ resellers: [reseller(1, 10, 100, "https://one.example/panel")] }));
        assert.equal(url.files.get("f1-l")!.domain, undefined, "no domain: the URL stays as it is");
        assert.match(why(url, /^end-user panel URL of reseller F1 L \(client 1\)$/), /not of the form <scheme>:\/\/<domain>\//);
        const twice = discoveredFiles(snapshot({ rules: [rule(1, 10), rule(2, 10, { display_name: "Rule 1" })] }));
        assert.deepEqual(twice.files.get("f1-l")!.pricing!.map((r) => r.adopt), ["1"]);
        assert.match(why(twice, /^rule 2 \(Rule 1\) of plan 10 \(P10\)$/), /another rule named "Rule 1".*it prices F1 L \(client 1\)/);
    });

    it("a reseller the format cannot describe is left out once, by name and client id, with why: a 3-month cycle, no pricing plan", () => {
        const cases: [Partial<FleioSnapshot>, RegExp][] = [
            [{ cycles: [{ id: 1, product: 7, cycle: "month", cycle_multiplier: 3, currency: "EUR" }] }, /3 month cycle/],
            [{ resellers: [reseller(1, null, 100)] }, /has no pricing plan/],
        ];
        for (const [over, expected] of cases) {
            const d = discoveredFiles(snapshot(over));
            assert.equal(d.files.size, 0, String(expected));
            assert.match(why(d, /^reseller F1 L \(client 1\)$/), expected);
        }
    });

    it("objects outside any reseller are listed once each, configurations by their reseller's name and id", () => {
        const d = discoveredFiles(
            snapshot({
                resellers: [reseller(1, 10, 100), { ...reseller(2, 10, 200), service: { id: 20, status: "active", cycle: { id: 99 } } }],
                plans: [{ id: 10, name: "P10", currency: "EUR", is_default: false, reseller_resources: null }, { id: 30, name: "Theirs", currency: "EUR", is_default: true, reseller_resources: 200 }],
                configurations: [{ id: 1, name: "default", is_default: true, reseller_resources: null }, { id: 8, name: "eu", is_default: false, reseller_resources: 200 }],
            }),
        );
        assert.equal(d.files.size, 1);
        assert.match(why(d, /^reseller F2 L \(client 2\)$/), /cycle 99/);
        assert.match(why(d, /^staff configuration 1 \(default\)$/), /configurations of resellers only/);
        assert.match(why(d, /^configuration 8 \(eu\) of reseller F2 L \(client 2\)$/), /not written here/);
        assert.match(why(d, /^plan 30 \(Theirs\) of reseller F2 L \(client 2\)$/), /not written here/);
        assert.equal(d.leftOut.length, 4, d.leftOut.map((l) => l.object).join("; "));
    });

    it("the report grows linearly: a shared plan's left-out rule is listed once, naming each reseller once", () => {
        const many = Array.from({ length: 50 }, (_, i) => reseller(i + 1, 10, 100 + i));
        const d = discoveredFiles(snapshot({ resellers: many, rules: [rule(1, 10), rule(2, 10, { display_name: "Rule 1" })] }));
        assert.equal(d.files.size, 50);
        assert.equal(d.leftOut.length, 1);
        for (let i = 1; i <= 50; i++) assert.equal(d.leftOut[0].why.split(`(client ${i})`).length, 2, `client ${i} named once`);
    });

    it("a client keeps the file name an earlier discover gave it, a plan its catalog key", () => {
        const d = discoveredFiles(snapshot({ resellers: [reseller(1, 10, 100), reseller(2, 10, 200)] }), { names: new Map([["1", "acme"]]), catalogKeys: new Map([["10", "gold"]]) });
        assert.deepEqual([...d.files.keys()], ["acme", "f2-l"]);
        assert.deepEqual([...d.catalog.keys()], ["gold"]);
        assert.deepEqual(d.files.get("acme")!.plan, { catalog: "gold" });
    });
});
