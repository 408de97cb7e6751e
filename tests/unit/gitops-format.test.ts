import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import type { PlanSpec } from "../../sdk/onboarding";
import { GITOPS_FORMAT_VERSION, loadGitopsData, loadResellers, onboardingArgs, parseCatalogPlanFile, parseResellerFile } from "../../sdk/gitops";

const CLIENT = "client: { firstName: A, lastName: B, email: a@b.example, phone: '1', address1: x, city: y, zipCode: '1', country: DE, currency: EUR }\n";

describe("the GitOps data format (sdk/gitops)", () => {
    it("a file without formatVersion is version 1, and the example files load", () => {
        const r = parseResellerFile("a.yaml", `${CLIENT}domain: a.example\npricing: [{ key: k, displayName: K, resource: instance, price: 1 }]\n`);
        assert.equal(r.formatVersion, 1);
        assert.equal(GITOPS_FORMAT_VERSION, 2);
        const examples = loadResellers(path.join(__dirname, "../../../examples/gitops/resellers"));
        assert.deepEqual([...examples.keys()], ["acme", "nimbus"]);
    });

    it("a file of a newer format version is refused, naming the versions this package reads", () => {
        assert.throws(() => parseResellerFile("a.yaml", `formatVersion: 3\n${CLIENT}pricing: [{ key: k, displayName: K, resource: instance, price: 1 }]\n`), /a\.yaml: formatVersion: this pulumi-fleio reads format versions 1 and 2/);
    });

    it("JSON files load beside YAML ones; two files for one reseller are refused", () => {
        const dir = fs.mkdtempSync(path.join(os.tmpdir(), "gitops-format-"));
        try {
            const json = { formatVersion: 1, client: { firstName: "A", lastName: "B", email: "a@b.example", phone: "1", address1: "x", city: "y", zipCode: "1", country: "DE", currency: "EUR" }, pricing: [{ key: "k", displayName: "K", resource: "instance", price: "1" }] };
            fs.writeFileSync(path.join(dir, "b.json"), JSON.stringify(json));
            fs.writeFileSync(path.join(dir, "a.yaml"), `${CLIENT}domain: a.example\npricing: [{ key: k, displayName: K, resource: instance, price: 1 }]\n`);
            assert.deepEqual([...loadResellers(dir).keys()], ["a", "b"]);
            fs.writeFileSync(path.join(dir, "a.json"), JSON.stringify(json));
            assert.throws(() => loadResellers(dir), /a\.json and a\.yaml both describe reseller "a"/);
        } finally {
            fs.rmSync(dir, { recursive: true, force: true });
        }
    });

    it("a rule gives exactly one of price and prices, and a billing resource", () => {
        assert.throws(() => parseResellerFile("a.yaml", `${CLIENT}pricing: [{ key: k, displayName: K, resource: instance, price: 1, prices: [{ from: 0, price: 1 }] }]\n`), /pricing\.0\.price: give either price/);
        assert.throws(() => parseResellerFile("a.yaml", `${CLIENT}pricing: [{ key: k, displayName: K, price: 1 }]\n`), /pricing\.0\.resource: give the billing resource/);
    });

    it("adopt ids, tiers, conditions, modifiers and a missing domain reach the onboarding's arguments", () => {
        const r = parseResellerFile(
            "a.yaml",
            `${CLIENT.replace("currency: EUR", "currency: EUR, adopt: '123456'")}service: { adopt: 77 }
plan: { name: Hand made, adopt: 5 }
pricing:
  - key: vol
    displayName: Volume
    resource: volume
    timeUnit: h
    attribute: size
    attributeUnit: g
    prices: [{ from: 0, price: "0.1" }, { from: 100, price: "0.05" }]
    conditions: [{ attribute: volume_type, operator: eq, value: ssd }]
    modifiers: [{ attribute: region, value: r2, price: 10, timeUnit: h, pricePercent: true }]
    adopt: 9
configuration: { name: c, adopt: 3 }
endUserPlan: { name: Retail, adopt: 6, pricing: [{ key: i, displayName: I, resource: instance, flavor: m1.small, price: 1, adopt: 10 }] }
`,
        );
        const a = onboardingArgs("a", r);
        assert.equal(a.domain, null, "no domain: the onboarding neither sets nor clears one");
        assert.equal(a.domainAdopt, undefined);
        assert.equal((a.client as Record<string, unknown>).adopt, "123456");
        assert.deepEqual(a.service, { productName: "Reseller", cycle: "month", adopt: "77" });
        assert.equal((a.resellerPlan as PlanSpec).adopt, "5");
        assert.equal((a.resellerPlan as PlanSpec).name, "Hand made");
        const rule = (a.resellerPlan as PlanSpec).rules![0];
        assert.equal(rule.adopt, "9");
        assert.deepEqual(rule.prices, [{ from: 0, price: "0.1" }, { from: 100, price: "0.05" }]);
        assert.deepEqual(rule.conditions, [{ attribute: "volume_type", operator: "eq", value: "ssd" }]);
        assert.equal(a.configuration?.adopt, "3");
        assert.equal(a.endUserPlan?.adopt, "6");
        assert.deepEqual(a.endUserPlan?.rules![0].conditions, [{ attribute: "instance_type", operator: "eq", value: "m1.small" }]);
        assert.equal(a.endUserPlan?.rules![0].adopt, "10");
    });

    describe("format version 2: the plan catalog", () => {
        const RULE = "[{ key: k, displayName: K, resource: instance, price: 1 }]";
        const folder = (files: Record<string, string>) => {
            const dir = fs.mkdtempSync(path.join(os.tmpdir(), "gitops-v2-"));
            for (const [name, text] of Object.entries(files)) {
                fs.mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
                fs.writeFileSync(path.join(dir, name), text);
            }
            return dir;
        };

        it("a version 1 folder loads as before: no catalog, each reseller's own plan under the same arguments", () => {
            const data = loadGitopsData(path.join(__dirname, "../../../examples/gitops/resellers"));
            assert.equal(data.catalog.size, 0);
            const a = onboardingArgs("acme", data.resellers.get("acme")!);
            assert.equal((a.resellerPlan as PlanSpec).name, "Reseller pricing - acme");
            assert.ok((a.resellerPlan as PlanSpec).rules!.length > 0);
        });

        it("a reseller names a catalog plan; the catalog file holds the plan's rules, and may hold none", () => {
            const dir = folder({
                "plans/gold.yaml": `formatVersion: 2\nname: Gold\ncurrency: EUR\nadopt: 12\npricing: ${RULE}\n`,
                "plans/staff-default.yaml": "formatVersion: 2\nname: default\ncurrency: EUR\nisDefault: true\n",
                "a.yaml": `formatVersion: 2\n${CLIENT}plan: { catalog: gold }\n`,
                "b.yaml": `formatVersion: 2\n${CLIENT}plan: { catalog: gold }\n`,
            });
            try {
                const data = loadGitopsData(dir);
                assert.deepEqual([...data.catalog.keys()], ["gold", "staff-default"]);
                assert.equal(data.catalog.get("gold")!.adopt, "12");
                assert.deepEqual(data.catalog.get("staff-default")!.pricing, [], "a plan without rules, as Fleio allows");
                assert.equal(data.catalog.get("staff-default")!.isDefault, true);
                assert.deepEqual([...data.resellers.keys()], ["a", "b"]);
                assert.equal(data.resellers.get("a")!.plan!.catalog, "gold");
                assert.equal(data.resellers.get("a")!.pricing, undefined);
            } finally {
                fs.rmSync(dir, { recursive: true, force: true });
            }
        });

        it("a catalog plan no file describes fails at load, naming every reseller file that names it", () => {
            const dir = folder({
                "plans/gold.yaml": `formatVersion: 2\nname: Gold\ncurrency: EUR\npricing: ${RULE}\n`,
                "a.yaml": `formatVersion: 2\n${CLIENT}plan: { catalog: silver }\n`,
                "b.json": JSON.stringify({ formatVersion: 2, client: { email: "b@b.example" }, plan: { catalog: "silver" } }),
                "c.yaml": `formatVersion: 2\n${CLIENT}plan: { catalog: gold }\n`,
            });
            try {
                assert.throws(() => loadResellers(dir), /the catalog plan "silver" \(plans\/silver\.yaml\) has no file, but a\.yaml, b\.json name it/);
            } finally {
                fs.rmSync(dir, { recursive: true, force: true });
            }
        });

        it("a reseller on a catalog plan has no pricing or plan fields of its own; one without a catalog plan needs pricing", () => {
            assert.throws(() => parseResellerFile("a.yaml", `formatVersion: 2\n${CLIENT}plan: { catalog: gold, name: X }\npricing: ${RULE}\n`), /a\.yaml: plan\.name: a catalog plan's name is in its catalog file plans\/gold\.yaml.*pricing: a reseller on a catalog plan has no pricing/);
            assert.throws(() => parseResellerFile("a.yaml", `formatVersion: 2\n${CLIENT}`), /pricing: give pricing .* or plan: \{ catalog: <key> \}/);
        });

        it("version 2 fields in a version 1 file are refused, asking for formatVersion: 2", () => {
            assert.throws(() => parseResellerFile("a.yaml", `${CLIENT}plan: { catalog: gold }\n`), /plan\.catalog: needs formatVersion: 2/);
            assert.throws(() => parseResellerFile("a.yaml", `${CLIENT}pricing: ${RULE}\nconfigurations: []\n`), /configurations: needs formatVersion: 2/);
            assert.throws(() => parseCatalogPlanFile("plans/gold.yaml", "name: Gold\ncurrency: EUR\n"), /plans\/gold\.yaml: formatVersion: a catalog plan file needs formatVersion: 2/);
        });

        it("several configurations, none, and several end-user plans (one of them the scope's default) are describable", () => {
            const several = parseResellerFile(
                "a.yaml",
                `formatVersion: 2\n${CLIENT}pricing: ${RULE}
configurations: [{ name: Retail, adopt: 3 }, { key: wholesale, name: Wholesale B2B }]
endUserPlans:
  - { key: basic, name: Basic, pricing: ${RULE} }
  - { key: premium, name: Premium, isDefault: true, adopt: 8, pricing: [] }
`,
            );
            const a = onboardingArgs("a", several);
            assert.deepEqual(a.configurations?.map((c) => [c.key, c.name, c.adopt]), [["retail", "Retail", "3"], ["wholesale", "Wholesale B2B", undefined]]);
            assert.deepEqual(a.endUserPlans?.map((p) => [p.key, p.name, p.isDefault, p.adopt, p.rules!.length]), [["basic", "Basic", false, undefined, 1], ["premium", "Premium", true, "8", 0]]);
            const none = onboardingArgs("b", parseResellerFile("b.yaml", `formatVersion: 2\n${CLIENT}pricing: ${RULE}\nconfigurations: []\nendUserPlans: []\n`));
            assert.deepEqual([none.configurations, none.endUserPlans, none.configuration, none.endUserPlan], [[], [], undefined, undefined]);
            assert.throws(() => parseResellerFile("a.yaml", `formatVersion: 2\n${CLIENT}pricing: ${RULE}\nconfiguration: { name: x }\nconfigurations: [{ name: y }]\n`), /configurations: give configuration \(one\) or configurations/);
            assert.throws(() => parseResellerFile("a.yaml", `formatVersion: 2\n${CLIENT}pricing: ${RULE}\nconfigurations: [{ name: Retail }, { name: retail }]\n`), /configurations\.1\.key: key "retail" is also the key of configurations\.0/);
            assert.throws(() => parseResellerFile("a.yaml", `formatVersion: 2\n${CLIENT}pricing: ${RULE}\nendUserPlans: [{ key: a, name: A, isDefault: true }, { key: b, name: B, isDefault: true }]\n`), /at most one end-user plan is the default/);
        });

        it("a lone end-user plan in a list is its scope's default, as the single endUserPlan is", () => {
            const a = onboardingArgs("a", parseResellerFile("a.yaml", `formatVersion: 2\n${CLIENT}pricing: ${RULE}\nendUserPlans: [{ key: retail, name: Retail, pricing: ${RULE} }]\n`));
            assert.equal(a.endUserPlans![0].isDefault, true);
        });
    });
});
