import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { parse } from "yaml";
import { runCli } from "../../cli";
import { gitopsProgram, loadResellers, renderYamlProgram } from "../../sdk/gitops";
import { recordRegistrations } from "./support/mock-registrations";

const root = path.join(__dirname, "../../..");
const CLIENT = "client: { firstName: A, lastName: B, email: a@b.example, phone: '1', address1: x, city: 'y ${z}', zipCode: '1', country: DE, currency: EUR, externalBillingId: rich, adopt: '11' }\n";
/** Every field the format has: adopt ids, tiers, modifiers, numbers where strings go, an end-user plan, a `${` in a value. */
const RICH =
    CLIENT +
    "domain: rich.example\nscheme: http\ncycle: year\nservice: { adopt: '33' }\nplan: { name: Rich pricing, currency: USD, adopt: '22' }\n" +
    "pricing:\n" +
    "  - { key: small, displayName: Small, resource: instance, price: 0.5, flavor: m1.small, priority: 2, adopt: '5' }\n" +
    "  - key: vol\n    displayName: Volume\n    resourceId: '2'\n    timeUnit: bc\n    attribute: size\n    attributeUnit: g\n    prices: [{ from: 0, price: '0.1' }, { from: 1000, price: 0.08 }]\n" +
    "    conditions: [{ name: ssd, attribute: volume_type, operator: eq, value: ssd }]\n    modifiers: [{ name: r2, attribute: region, operator: eq, value: r2, price: 10, timeUnit: h, pricePercent: true }]\n" +
    "configuration: { name: rich-retail, description: d, isDefault: true, adopt: '7' }\n" +
    "endUserPlan: { name: Rich retail, adopt: '8', pricing: [{ key: big, displayName: Big, resource: instance, price: '2', adopt: '9' }] }\n";
const PLAIN = `${CLIENT.replace("externalBillingId: rich, adopt: '11'", "externalBillingId: plain")}pricing: [{ key: k, displayName: K, resource: instance, price: '1' }]\n`;

function folder(files: Record<string, string>): string {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "render-yaml-"));
    for (const [name, text] of Object.entries(files)) fs.writeFileSync(path.join(dir, name), text);
    return dir;
}
/** Runs the command with its messages captured (they are asserted on where they matter). */
async function quiet(argv: string[]): Promise<{ code: number; said: string[] }> {
    const said: string[] = [];
    const [log, error] = [console.log, console.error];
    console.log = console.error = (m: string) => said.push(String(m));
    try {
        return { code: await runCli(["node", "pulumi-fleio", ...argv]), said };
    } finally {
        [console.log, console.error] = [log, error];
    }
}
const deepStrings = (v: unknown): unknown =>
    typeof v === "number" ? String(v) : Array.isArray(v) ? v.map(deepStrings) : v && typeof v === "object" ? Object.fromEntries(Object.entries(v).map(([k, x]) => [k, deepStrings(x)])) : v;

describe("pulumi-fleio gitops render-yaml: data files as a Pulumi YAML program", () => {
    let dirs: string[] = [];
    const data = (files: Record<string, string>) => {
        const d = folder(files);
        dirs.push(d);
        return d;
    };
    afterEach(() => {
        for (const d of dirs) fs.rmSync(d, { recursive: true, force: true });
        dirs = [];
    });

    it("declares what the TypeScript program declares: the same names, types and inputs (references aside)", async function () {
        this.timeout(10_000);
        const dir = data({ "rich.yaml": RICH, "plain.yaml": PLAIN });
        const rendered = parse(renderYamlProgram(loadResellers(dir))) as { resources: Record<string, { type: string; properties: Record<string, unknown>; options?: { dependsOn: string[] } }> };
        const registered = await recordRegistrations();
        gitopsProgram(dir);
        const start = Date.now();
        while (Date.now() - start < 5000 && registered.length < 15) await new Promise((r) => setTimeout(r, 10));
        await new Promise((r) => setTimeout(r, 200));
        const children = registered.filter((r) => r.type !== "fleio:index:ResellerOnboarding");
        assert.deepEqual(Object.keys(rendered.resources).sort(), children.map((r) => r.name).sort());
        for (const child of children) {
            const yaml = rendered.resources[child.name];
            assert.ok(child.type.endsWith(yaml.type.replace("fleio:index:", "")), `${child.name}: ${child.type} vs ${yaml.type}`);
            const refs = Object.keys(yaml.properties).filter((k) => String(yaml.properties[k]).startsWith("${") && !String(yaml.properties[k]).startsWith("$${"));
            const fromYaml = Object.fromEntries(Object.entries(yaml.properties).filter(([k]) => !refs.includes(k)));
            const fromTs = Object.fromEntries(Object.entries(child.inputs).filter(([k, v]) => !refs.includes(k) && !k.startsWith("__") && v !== undefined));
            // YAML writes `${` as `$${`: Pulumi YAML reads it back as the literal text.
            assert.deepEqual(deepStrings(fromYaml), deepStrings(JSON.parse(JSON.stringify(fromTs).split("${").join("$${"))), child.name);
        }
        assert.equal(rendered.resources["rich-client"].properties.city, "y $${z}", "a data value is never read as an expression");
        assert.deepEqual(rendered.resources["rich-service"].options?.dependsOn, ["${rich-reseller-plan-small}", "${rich-reseller-plan-vol}"], "the service waits for its plan's rules");
        for (const owned of ["rich-configuration", "rich-enduser-plan", "rich-enduser-plan-big"]) assert.deepEqual(rendered.resources[owned].options?.dependsOn, ["${rich-service}"], owned);
        assert.equal(rendered.resources["rich-enduser-plan"].properties.resellerClientId, "${rich-client.clientId}");
    });

    it("the committed example examples/gitops/yaml/Pulumi.yaml is up to date with examples/gitops/resellers", async () => {
        const out = path.join(root, "examples/gitops/yaml/Pulumi.yaml");
        const r = await quiet(["gitops", "render-yaml", "--data", path.join(root, "examples/gitops/resellers"), "--out", out, "--check"]);
        assert.equal(r.code, 0, r.said.join("\n"));
        const program = parse(fs.readFileSync(out, "utf8"));
        assert.deepEqual(program.plugins, { providers: [{ name: "fleio", path: "node_modules/pulumi-fleio/bin" }] });
        assert.deepEqual(Object.keys(program.outputs.endUserPanels), ["acme", "nimbus"]);
    });

    it("--check exits 1 when the data changed since the file was rendered, and writes nothing; rendering again is byte-identical", async () => {
        const dir = data({ "plain.yaml": PLAIN });
        const out = path.join(dir, "..", `${path.basename(dir)}.Pulumi.yaml`);
        try {
            const cli = async (...extra: string[]) => (await quiet(["gitops", "render-yaml", "--data", dir, "--out", out, ...extra])).code;
            assert.equal(await cli("--check"), 1, "missing");
            assert.equal(await cli(), 0);
            const first = fs.readFileSync(out, "utf8");
            assert.match(first, /^name: fleio-gitops-yaml$/m);
            assert.equal(await cli("--check"), 0);
            fs.writeFileSync(path.join(dir, "plain.yaml"), PLAIN.replace("price: '1'", "price: '1.5'"));
            assert.equal(await cli("--check"), 1);
            assert.equal(fs.readFileSync(out, "utf8"), first, "--check writes nothing");
            assert.equal(await cli(), 0);
            assert.match(fs.readFileSync(out, "utf8"), /price: "1.5"/);
            assert.equal(await cli("--check"), 0, "the same data renders to the same bytes");
            // A stack belongs to its project: a later render keeps the name the file has.
            fs.writeFileSync(out, fs.readFileSync(out, "utf8").replace(/^name: .*$/m, "name: our-resellers"));
            assert.equal(await cli(), 0);
            assert.match(fs.readFileSync(out, "utf8"), /^name: our-resellers$/m);
        } finally {
            fs.rmSync(out, { force: true });
        }
    });

    it("a bad data file, or two files claiming one domain or one billing id, fail naming them, and nothing is written", async () => {
        const dir = data({ "a.yaml": PLAIN.replace("externalBillingId: plain", "externalBillingId: a") + "domain: One.example\n", "b.yaml": PLAIN.replace("externalBillingId: plain", "externalBillingId: b") + "domain: one.example\n" });
        const out = path.join(dir, "Pulumi.yaml");
        const both = await quiet(["gitops", "render-yaml", "--data", dir, "--out", out]);
        assert.equal(both.code, 1);
        assert.match(both.said.join("\n"), /a and b both have domain "one\.example"/);
        fs.writeFileSync(path.join(dir, "b.yaml"), `${PLAIN.replace("externalBillingId: plain", "externalBillingId: ' a '")}domain: b.example\n`);
        const billing = await quiet(["gitops", "render-yaml", "--data", dir, "--out", out]);
        assert.equal(billing.code, 1);
        assert.match(billing.said.join("\n"), /a and b both have client\.externalBillingId "a"/);
        fs.writeFileSync(path.join(dir, "b.yaml"), "client: {}\npricing: []\n");
        const bad = await quiet(["gitops", "render-yaml", "--data", dir, "--out", out]);
        assert.equal(bad.code, 1);
        assert.match(bad.said.join("\n"), /b\.yaml: pricing: a reseller needs at least one price/);
        assert.equal(fs.existsSync(out), false);
    });
});
