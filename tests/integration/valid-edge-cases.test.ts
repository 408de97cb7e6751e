import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { startEmulator, RunningEmulator } from "../../emulator";
import { resetProviderContext } from "../../provider/context";
import { configure } from "../../provider";
import { resources, ResourceKind } from "../../provider/registry";

// Values at the edge of what Fleio accepts go through the provider's own resource
// objects against the emulator: check() accepts them, create() writes them, read()
// gives back exactly what was written, and diff() sees no change. No engine needed.

const INT_MAX = "2147483647"; // the largest id of Fleio's AutoField tables (plans, rules, configurations)

describe("valid edge cases: check → create → read round-trips through the emulator", function () {
    this.timeout(60_000);
    let em: RunningEmulator;
    let dir: string;

    /** A fresh provider process as far as the provider can tell: new settings, nothing remembered. */
    const newProcess = async () => {
        // configure() keeps the context while the settings stay the same: start a new one.
        resetProviderContext();
        const config: Record<string, string> = { "fleio:url": em.url, "fleio:token": em.staffToken };
        await configure({ config: { get: (k: string) => config[k], require: (k: string) => config[k] } } as never);
    };
    const calls = async () => ((await (await fetch(`${em.url}/__emulator/stats`)).json()) as { total: number }).total;

    before(async () => {
        // The emulator's id sequences live in its data file: start once, move the
        // 32-bit tables to their last id, and start again from that file.
        dir = fs.mkdtempSync(path.join(os.tmpdir(), "fleio-edge-"));
        const dataFile = path.join(dir, "fleio.json");
        await (await startEmulator({ dataFile, seed: 7 })).close();
        const db = JSON.parse(fs.readFileSync(dataFile, "utf8")) as { seq: Record<string, number> };
        for (const table of ["plans", "rules", "configurations"]) db.seq[table] = Number(INT_MAX) - 1;
        fs.writeFileSync(dataFile, JSON.stringify(db));
        em = await startEmulator({ dataFile, seed: 7 });
        await newProcess();
    });
    after(async () => {
        await em?.close();
        fs.rmSync(dir, { recursive: true, force: true });
    });

    /** check → create → read → diff, and the next preview's check, which must not call Fleio. */
    async function roundTrip(kind: ResourceKind, program: Record<string, unknown>) {
        const impl = resources[kind];
        const checked = await impl.check!({}, program);
        assert.deepEqual(checked.failures, [], `${kind}: check() accepts it`);
        const created = await impl.create!(checked.inputs);
        const read = await impl.read!(created.id, created.outs);
        assert.equal(read.id, created.id, `${kind}: still there`);
        for (const [k, v] of Object.entries(checked.inputs)) if (k !== "adopt") assert.deepEqual(read.props[k], v, `${kind}.${k} reads back as written`);
        const d = await impl.diff!(created.id, read.props, checked.inputs);
        assert.equal(d.changes, false, `${kind}: no diff after read, got ${JSON.stringify(d)}`);
        // The next preview runs in a new process: nothing remembered that could hide a call.
        await newProcess();
        const before = await calls();
        const again = await impl.check!(checked.inputs, program);
        assert.deepEqual(again.failures, []);
        assert.equal((await calls()) - before, 0, `${kind}: a no-change check asks Fleio nothing`);
        return { id: created.id, inputs: checked.inputs as Record<string, unknown>, outs: read.props as Record<string, unknown> };
    }

    let planId: string;

    it("a plan with a Unicode name gets the largest 32-bit id, and reads back", async () => {
        const plan = await roundTrip("OpenstackPlan", { name: "Tarif ünïcode 🚀", currency: "eur" });
        planId = plan.id;
        assert.equal(planId, INT_MAX);
        assert.equal(plan.outs.name, "Tarif ünïcode 🚀");
    });

    it("a rule on that plan with 6-place tier prices, a number price and a 4-place modifier", async () => {
        const rule = await roundTrip("PricingRule", {
            planId: INT_MAX,
            displayName: "Tiny prices ✓",
            resourceName: "instance",
            attribute: "root_gb",
            attributeUnit: "GB",
            timeUnit: "hour",
            prices: [{ from: "100", price: 0.00001 }, { from: 0, price: "0.000001" }],
            modifiers: [{ attribute: "vcpus", operator: ">=", value: 2, price: "0.0001", timeUnit: "billing cycle" }],
        });
        assert.equal(rule.id, INT_MAX);
        assert.deepEqual(rule.outs.prices, [{ from: "0", price: "0.000001" }, { from: "100", price: "0.00001" }]);
        assert.equal((rule.outs.modifiers as { price: string }[])[0].price, "0.0001");
    });

    it("a reseller client with an internationalised e-mail domain and emoji in its name", async () => {
        const client = await roundTrip("Reseller", {
            firstName: "Zoë 🚀",
            lastName: "Øster",
            email: "joerg@bücher.example",
            phone: "+49 30 1234",
            address1: "Straße 1",
            city: "Köln",
            zipCode: "50667",
            country: "de",
            currency: "EUR",
        });
        assert.equal(client.outs.email, "joerg@bücher.example");
        assert.equal(client.outs.firstName, "Zoë 🚀");
    });

    it("a configuration named with 24 emoji (48 UTF-16 units, 24 characters)", async () => {
        const name = "😀".repeat(24);
        const cfg = await roundTrip("Configuration", { name, description: "line one\nline two" });
        assert.equal(cfg.id, INT_MAX);
        assert.equal(cfg.outs.name, name);
    });

    it("the checks of new resources ask Fleio once per process", async () => {
        await newProcess();
        const before = await calls();
        const checked = await resources.PricingRule.check!({}, { planId, displayName: "Another", resourceName: "volume", prices: [{ from: 0, price: 1 }] });
        assert.deepEqual(checked.failures, []);
        const refused = await resources.OpenstackPlan.check!({}, { name: "Yen plan", currency: "jpy" });
        assert.match(refused.failures?.[0]?.reason ?? "", /does not offer.*"jpy".*EUR, USD/, "the emulator does not offer JPY");
        assert.equal((await calls()) - before, 1, "one create_options call served both checks");
    });
});
