import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { GITOPS_FORMAT_VERSION, loadResellers, onboardingArgs, parseResellerFile } from "../../sdk/gitops";

const CLIENT = "client: { firstName: A, lastName: B, email: a@b.example, phone: '1', address1: x, city: y, zipCode: '1', country: DE, currency: EUR }\n";

describe("the GitOps data format (sdk/gitops)", () => {
    it("a file without formatVersion is version 1, and the example files load", () => {
        const r = parseResellerFile("a.yaml", `${CLIENT}domain: a.example\npricing: [{ key: k, displayName: K, resource: instance, price: 1 }]\n`);
        assert.equal(r.formatVersion, 1);
        assert.equal(GITOPS_FORMAT_VERSION, 1);
        const examples = loadResellers(path.join(__dirname, "../../../examples/gitops/resellers"));
        assert.deepEqual([...examples.keys()], ["acme", "nimbus"]);
    });

    it("a file of a newer format version is refused, naming the version this package reads", () => {
        assert.throws(() => parseResellerFile("a.yaml", `formatVersion: 2\n${CLIENT}pricing: [{ key: k, displayName: K, resource: instance, price: 1 }]\n`), /a\.yaml: formatVersion: this pulumi-fleio reads format version 1/);
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
        assert.equal(a.resellerPlan.adopt, "5");
        assert.equal(a.resellerPlan.name, "Hand made");
        const rule = a.resellerPlan.rules![0];
        assert.equal(rule.adopt, "9");
        assert.deepEqual(rule.prices, [{ from: 0, price: "0.1" }, { from: 100, price: "0.05" }]);
        assert.deepEqual(rule.conditions, [{ attribute: "volume_type", operator: "eq", value: "ssd" }]);
        assert.equal(a.configuration?.adopt, "3");
        assert.equal(a.endUserPlan?.adopt, "6");
        assert.deepEqual(a.endUserPlan?.rules![0].conditions, [{ attribute: "instance_type", operator: "eq", value: "m1.small" }]);
        assert.equal(a.endUserPlan?.rules![0].adopt, "10");
    });
});
