import * as assert from "node:assert/strict";
import { API, fleio, provider, useFleioMock } from "../support/resource-harness";
import { CREATE_OPTIONS } from "../support/check-harness";
import { ApiRule, fromApi as ruleFromApi } from "../../../provider/resources/pricing-rule";
import { setNoticeSink } from "../../../provider/notice";

/**
 * Never stricter than Fleio (issue 18): every shape Fleio's serializers accept
 * (fleio-api.md, "Pricing rules", "Clients", "Configurations", "OpenStack plans") goes
 * through check() as a new resource and as an adopted one, and the adopt of an object
 * Fleio holds in that shape sends no write. Shapes that make no sense for billing
 * pass with a warning; what Fleio itself refuses stays refused.
 */

/** A rule as Fleio renders it, with the given pricing and extras. */
const rule = (pricing: Record<string, unknown>, extra: Partial<ApiRule> = {}): ApiRule =>
    ({ id: 9, display_name: "Hand made", plan: 1, resource: 1, priority: 1, pricing, conditions: [], modifiers: [], ...extra }) as ApiRule;

type RuleRow = [why: string, api: ApiRule, warns: RegExp | undefined];
const ruleRows: RuleRow[] = [
    ["tiers without an attribute (instance hours: 0.02 up to 720, 0.015 after)", rule({ prices: [{ f: 0, p: 0.02 }, { f: 720, p: 0.015 }], attribute: null, attribute_unit: null, time_unit: "h" }), /2 price tiers but no attribute/],
    ["one tier, attribute null, no attribute_unit or time_unit key (time_unit defaults to bc)", rule({ prices: [{ f: 0, p: 0.05 }], attribute: null }), undefined],
    ["time_unit null", rule({ prices: [{ f: 0, p: 1 }], attribute: null, attribute_unit: null, time_unit: null }), undefined],
    ["blank attribute, attribute_unit and time_unit", rule({ prices: [{ f: 0, p: 1 }], attribute: "", attribute_unit: "", time_unit: "" }), undefined],
    ["decimals Fleio reads back as 1e-05 and -0", rule({ prices: [{ f: "-0", p: 1e-5 }, { f: "1e-3", p: "0.5" }], attribute: "size", attribute_unit: "g", time_unit: "bc" }), undefined],
    ["no price tiers at all (Fleio's list may be empty)", rule({ prices: [], attribute: null, time_unit: "bc" }), /no price tiers/],
    ["a negative tier price", rule({ prices: [{ f: 0, p: -0.5 }], attribute: null, time_unit: "d" }), /negative tier start or price/],
    ["a negative priority", rule({ prices: [{ f: 0, p: 1 }], time_unit: "s" }, { priority: -5 }), undefined],
    ["a priority beyond 32767 (Fleio's IntegerField)", rule({ prices: [{ f: 0, p: 1 }], time_unit: "m" }, { priority: 2147483647 }), undefined],
    ...(["u", "b", "k", "m", "g", "t", "p"] as const).map((unit): RuleRow => [`attribute unit ${unit}`, rule({ prices: [{ f: 0, p: 1 }, { f: 10, p: 0.5 }], attribute: "memory_mb", attribute_unit: unit, time_unit: "h" }), undefined]),
    [
        "conditions with every kind of JSON value and operator, unit and default name",
        rule({ prices: [{ f: 0, p: 1 }], time_unit: "h" }, {
            conditions: [
                { name: "condition", attribute: "instance_type", attribute_unit: null, operator: "in", value: ["m1.small", "m1.large"] },
                { name: "big", attribute: "root_gb", attribute_unit: "g", operator: "ge", value: 40 },
                { name: "condition", attribute: "os_type", attribute_unit: "", operator: "ni", value: [true, 1, "linux", ["nested"]] },
                { name: "condition", attribute: "region", attribute_unit: null, operator: "ne", value: { name: "r1" } },
                { name: "condition", attribute: "state", attribute_unit: null, operator: "eq", value: false },
            ],
        }),
        undefined,
    ],
    [
        "a percentage discount modifier (negative price) and a blank modifier unit",
        rule({ prices: [{ f: 0, p: 1 }], time_unit: "h" }, {
            modifiers: [{ name: "modifier", attribute: "vcpus", attribute_unit: "", operator: "gt", value: 8, price: -10, time_unit: "bc", price_is_percent: true }],
        }),
        undefined,
    ],
];

/** The create options check() asks for once per process (billing resources, currencies). */
const fleioOffers = () => fleio().get(`${API}/openstack/billing/pricerule/create_options`).reply(200, CREATE_OPTIONS);

/** Inputs as a program (or discover) writes them for a rule Fleio holds: its outputs without the output-only fields. */
function inputsOf(api: ApiRule): Record<string, unknown> {
    const { ruleId: _r, resolvedResourceId: _res, ...inputs } = ruleFromApi(api, { resourceId: undefined, resourceName: "instance", resourceType: undefined, adopt: undefined });
    return JSON.parse(JSON.stringify(inputs));
}

/** What check() said as warnings (the preview shows them), while `run` runs. */
async function warningsOf<T>(run: () => Promise<T>): Promise<{ result: T; said: string[] }> {
    const said: string[] = [];
    setNoticeSink((line) => said.push(line));
    try {
        return { result: await run(), said };
    } finally {
        setNoticeSink((line) => process.stderr.write(line + "\n"));
    }
}

describe("check() accepts every shape Fleio accepts, for create and adopt", () => {
    useFleioMock();

    for (const [why, api, warns] of ruleRows) {
        it(`PricingRule: ${why}`, async () => {
            fleioOffers();
            const written = inputsOf(api);
            for (const news of [written, { ...written, adopt: "9" }]) {
                const { result, said } = await warningsOf(() => provider("PricingRule").check!({}, news));
                assert.deepEqual(result.failures ?? [], [], `refused ${JSON.stringify(news)}`);
                if (warns) assert.match(said.join("\n"), warns);
                else assert.deepEqual(said, []);
            }
            // The adopt of the rule as Fleio holds it reads it and sends nothing.
            const { result: checked } = await warningsOf(() => provider("PricingRule").check!({}, { ...written, adopt: "9" }));
            fleio().get(`${API}/openstack/billing/pricerule/9`).reply(200, api);
            const { outs } = await provider("PricingRule").create!(checked.inputs);
            assert.equal(outs.ruleId, "9");
        });
    }

    const client = { id: 43, name: "Ada Op", first_name: "Ada", last_name: "Op", company: "", email: "ada@example.com", phone: "+49 1", fax: "", address1: "1 St", address2: "", city: "Berlin", state: "", zip_code: "10115", country: "DE", currency: "EUR", vat_id: "", status: "active" };
    const clientInputs = { firstName: "Ada", lastName: "Op", email: "ada@example.com", phone: "+49 1", address1: "1 St", city: "Berlin", zipCode: "10115", country: "DE", currency: "EUR" };
    type ClientRow = [why: string, api: Partial<typeof client>, inputs: Record<string, unknown>];
    const clientRows: ClientRow[] = [
        ["an e-mail at localhost (Django 2.2's EmailValidator whitelists it)", { email: "ops@localhost" }, { email: "ops@localhost" }],
        ["an e-mail at an IDN domain", { email: "joerg@bücher.example" }, { email: "joerg@bücher.example" }],
        ["127 characters of first name counted in code points (254 UTF-16 units)", { first_name: "🚀".repeat(127) }, { firstName: "🚀".repeat(127) }],
        ["a 10-character zip code, a 64-character phone, a 32-character VAT id", { zip_code: "€".repeat(10), phone: "9".repeat(64), vat_id: "V".repeat(32) }, { zipCode: "€".repeat(10), phone: "9".repeat(64), vatId: "V".repeat(32) }],
    ];
    for (const [why, api, inputs] of clientRows) {
        it(`Reseller: ${why}`, async () => {
            fleioOffers();
            for (const news of [{ ...clientInputs, ...inputs }, { ...clientInputs, ...inputs, adopt: "43" }]) {
                const r = await provider("Reseller").check!({}, news);
                assert.deepEqual(r.failures ?? [], []);
            }
            const checked = await provider("Reseller").check!({}, { ...clientInputs, ...inputs, adopt: "43" });
            fleio().get(`${API}/clients/43`).reply(200, { ...client, ...api });
            await provider("Reseller").create!(checked.inputs);
        });
    }

    const configurationRows: [string, Record<string, unknown>][] = [
        ["a name of 24 characters counted in code points (emoji)", { name: "😀".repeat(24) }],
        ["a 255-character description with line breaks", { name: "cfg", description: `${"d".repeat(250)}\nline` }],
    ];
    for (const [why, shape] of configurationRows) {
        it(`Configuration: ${why}`, async () => {
            const inputs = { isDefault: false, description: "", ...shape };
            for (const news of [inputs, { ...inputs, adopt: "8" }]) assert.deepEqual((await provider("Configuration").check!({}, news)).failures ?? [], []);
            const checked = await provider("Configuration").check!({}, { ...inputs, adopt: "8" });
            fleio().get(`${API}/configurations/8`).reply(200, { id: 8, name: shape.name, description: shape.description ?? "", is_default: false, reseller_resources: null, client_count: 0 });
            await provider("Configuration").create!(checked.inputs);
        });
    }

    it("OpenstackPlan: a 255-character name counted in code points", async () => {
        fleioOffers();
        const name = "𝔓".repeat(255);
        for (const news of [{ name, currency: "EUR" }, { name, currency: "EUR", adopt: "3" }]) assert.deepEqual((await provider("OpenstackPlan").check!({}, news)).failures ?? [], []);
        const checked = await provider("OpenstackPlan").check!({}, { name, currency: "EUR", adopt: "3" });
        fleio().get(`${API}/openstack/billing/plan/3`).reply(200, { id: 3, name, currency: "EUR", is_default: false, reseller_resources: null, services_count: 0 });
        await provider("OpenstackPlan").create!(checked.inputs);
    });
});

describe("check() still refuses what Fleio refuses", () => {
    useFleioMock();
    const base = { planId: "1", displayName: "Rule", resourceName: "instance", prices: [{ from: 0, price: "0.01" }] };
    const refused: [string, Record<string, unknown>, RegExp][] = [
        ["two tiers starting at the same value (Fleio: Multiple From values)", { attribute: "size", prices: [{ from: 0, price: 1 }, { from: "0.0", price: 2 }] }, /two tiers start at/],
        ["an attribute in both conditions and modifiers", { conditions: [{ attribute: "vcpus", value: 2 }], modifiers: [{ attribute: "vcpus", value: 2, price: 1, timeUnit: "h" }] }, /already a condition/],
        ["a time unit Fleio does not know", { timeUnit: "month" }, /time unit/],
        ["a priority beyond a 32-bit integer", { priority: 2147483648 }, /at most 2147483647/],
        ["a price with 7 decimal places", { prices: [{ from: 0, price: "0.0000001" }] }, /at most 6 decimal places/],
        ["a condition value of null (a JSONField that may not be null)", { conditions: [{ attribute: "vcpus", value: null }] }, /must be a string, number, boolean/],
        ["a blank modifier time unit (required by Fleio)", { modifiers: [{ attribute: "vcpus", value: 2, price: 1, timeUnit: "" }] }, /time unit/],
    ];
    for (const [why, change, reason] of refused) {
        it(`PricingRule: ${why}`, async () => {
            fleio().get(`${API}/openstack/billing/pricerule/create_options`).optionally().reply(200, CREATE_OPTIONS);
            const r = await provider("PricingRule").check!({}, { ...base, ...change });
            assert.match((r.failures ?? []).map((f) => f.reason).join("\n"), reason);
        });
    }

    it("Reseller: an e-mail without a domain, a non-ASCII local part", async () => {
        fleio().get(`${API}/openstack/billing/pricerule/create_options`).optionally().reply(200, CREATE_OPTIONS);
        for (const email of ["ops", "jörg@example.com"]) {
            const r = await provider("Reseller").check!({}, { firstName: "A", lastName: "B", email, phone: "1", address1: "x", city: "c", zipCode: "1", country: "DE", currency: "EUR" });
            assert.equal(r.failures?.[0]?.property, "email");
        }
    });

    it("Configuration: a 25-character name", async () => {
        const r = await provider("Configuration").check!({}, { name: "x".repeat(25) });
        assert.match(r.failures?.[0]?.reason ?? "", /at most 24 characters/);
    });
});
