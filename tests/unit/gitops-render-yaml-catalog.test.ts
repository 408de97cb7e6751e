import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { parse } from "yaml";
import { gitopsProgram, loadGitopsData, renderYamlProgram } from "../../sdk/gitops";
import { recordRegistrations } from "./support/mock-registrations";

const CLIENT = (ext: string) => `client: { firstName: A, lastName: B, email: ${ext}@b.example, phone: '1', address1: x, city: y, zipCode: '1', country: DE, currency: EUR, externalBillingId: ${ext} }\n`;
const RULES = "[{ key: small, displayName: Small, resource: instance, price: '0.02', flavor: m1.small }, { key: vol, displayName: Volume, resource: volume, timeUnit: bc, attribute: size, attributeUnit: g, prices: [{ from: 0, price: '0.1' }, { from: 1000, price: 0.08 }] }]";
const FILES: Record<string, string> = {
    "plans/gold.yaml": `formatVersion: 2\nname: Gold\ncurrency: EUR\nadopt: 40\npricing: ${RULES}\n`,
    "plans/default.yaml": "formatVersion: 2\nname: default\ncurrency: EUR\nisDefault: true\n",
    "a.yaml": `formatVersion: 2\n${CLIENT("a")}domain: a.example\nplan: { catalog: gold }\nconfigurations: [{ name: Retail }, { key: b2b, name: Wholesale }]\n`,
    "b.yaml": `formatVersion: 2\n${CLIENT("b")}plan: { catalog: gold }\nendUserPlans: [{ key: basic, name: Basic, pricing: ${RULES} }, { key: empty, name: Empty }]\n`,
    "c.yaml": `${CLIENT("c")}domain: c.example\npricing: ${RULES}\nconfiguration: { name: c }\n`,
};

type Rendered = { resources: Record<string, { type: string; properties: Record<string, unknown>; options?: { dependsOn: string[] } }>; outputs: Record<string, Record<string, string>> };
const deepStrings = (v: unknown): unknown =>
    typeof v === "number" ? String(v) : Array.isArray(v) ? v.map(deepStrings) : v && typeof v === "object" ? Object.fromEntries(Object.entries(v).map(([k, x]) => [k, deepStrings(x)])) : v;

describe("gitops render-yaml of a folder with a plan catalog (format version 2)", () => {
    let dir: string;
    before(() => {
        dir = fs.mkdtempSync(path.join(os.tmpdir(), "render-catalog-"));
        for (const [name, text] of Object.entries(FILES)) {
            fs.mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
            fs.writeFileSync(path.join(dir, name), text);
        }
    });
    after(() => fs.rmSync(dir, { recursive: true, force: true }));

    it("declares what the TypeScript program declares for a catalog folder: the same names, types and inputs (references aside)", async function () {
        this.timeout(10_000);
        const data = loadGitopsData(dir);
        const rendered = parse(renderYamlProgram(data.resellers, { catalog: data.catalog })) as Rendered;
        const registered = await recordRegistrations();
        gitopsProgram(dir);
        const expected = Object.keys(rendered.resources).length;
        const start = Date.now();
        const children = () => registered.filter((r) => !r.type.startsWith("fleio:index:ResellerOnboarding") && r.type !== "fleio:index:CatalogPlan");
        while (Date.now() - start < 5000 && children().length < expected) await new Promise((r) => setTimeout(r, 10));
        await new Promise((r) => setTimeout(r, 200));
        assert.deepEqual(Object.keys(rendered.resources).sort(), children().map((r) => r.name).sort());
        for (const child of children()) {
            const yaml = rendered.resources[child.name];
            assert.ok(child.type.endsWith(yaml.type.replace("fleio:index:", "")), `${child.name}: ${child.type} vs ${yaml.type}`);
            const refs = Object.keys(yaml.properties).filter((k) => String(yaml.properties[k]).startsWith("${"));
            const fromYaml = Object.fromEntries(Object.entries(yaml.properties).filter(([k]) => !refs.includes(k)));
            const fromTs = Object.fromEntries(Object.entries(child.inputs).filter(([k, v]) => !refs.includes(k) && !k.startsWith("__") && v !== undefined));
            assert.deepEqual(deepStrings(fromYaml), deepStrings(fromTs), child.name);
        }
        // One plan for both resellers: declared once, with its rules, and each service points at it.
        assert.equal(registered.filter((r) => r.type === "fleio:index:CatalogPlan").length, 2);
        assert.deepEqual(
            Object.keys(rendered.resources).filter((n) => n.startsWith("catalog-gold")),
            ["catalog-gold-plan", "catalog-gold-plan-small", "catalog-gold-plan-vol"],
        );
        assert.ok(!("a-reseller-plan" in rendered.resources) && !("b-reseller-plan" in rendered.resources), "a reseller on a catalog plan has no plan of its own");
        for (const r of ["a", "b"]) {
            assert.equal(rendered.resources[`${r}-service`].properties.planId, "${catalog-gold-plan.planId}");
            assert.deepEqual(rendered.resources[`${r}-service`].options?.dependsOn, ["${catalog-gold-plan-small}", "${catalog-gold-plan-vol}"], "the service waits for the catalog plan's rules");
        }
        assert.equal(rendered.resources["catalog-default-plan"].properties.isDefault, true);
        assert.equal(rendered.resources["catalog-gold-plan"].properties.adopt, "40");
        assert.equal(rendered.resources["c-service"].properties.planId, "${c-reseller-plan.planId}", "a version 1 file keeps its own plan");
        assert.deepEqual(rendered.outputs.catalogPlans, { default: "${catalog-default-plan.planId}", gold: "${catalog-gold-plan.planId}" });
        assert.ok(rendered.resources["b-enduser-plan-empty"] && !Object.keys(rendered.resources).some((n) => n.startsWith("b-enduser-plan-empty-")), "an end-user plan without rules");
    });

    it("a reseller naming a catalog plan the catalog given lacks is refused, naming it", () => {
        const data = loadGitopsData(dir);
        assert.throws(() => renderYamlProgram(data.resellers), /a: the catalog plan "gold" is not in the catalog given \(plans\/gold\.yaml\)/);
    });
});
