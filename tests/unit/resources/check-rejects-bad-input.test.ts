import * as assert from "node:assert/strict";
import nock from "nock";
import { configure, resource } from "../../../provider";
import { UNKNOWN } from "../../../provider/resources/define";

// Bad input is refused by check(), before anything reaches Fleio, with a failure that
// names the field and says what is expected.

const valid: Record<string, Record<string, unknown>> = {
    Reseller: { firstName: "Ada", lastName: "Op", email: "ada@example.com", phone: "+49 1", address1: "1 St", city: "Berlin", zipCode: "10115", country: "DE", currency: "EUR" },
    OpenstackPlan: { name: "Plan", currency: "EUR" },
    PricingRule: { planId: "1", displayName: "Rule", resourceName: "instance", prices: [{ from: 0, price: "0.01" }] },
    ResellerService: { clientId: "5", productName: "Reseller", cycle: "month", planId: "2" },
    FrontendDomain: { clientId: "5", serviceId: "9", domain: "cloud.example.com" },
    Configuration: { name: "cfg" },
};

type Row = [kind: string, change: Record<string, unknown>, property: string, why: string];
const drop = Symbol("drop");
const rows: Row[] = [
    ["FrontendDomain", { domain: "https://cloud.example.com" }, "domain", "a URL instead of a bare domain"],
    ["FrontendDomain", { domain: "cloud.example.com/panel" }, "domain", "a path"],
    ["FrontendDomain", { domain: "cloud.example.com:8443" }, "domain", "a port"],
    ["FrontendDomain", { domain: "localhost" }, "domain", "not fully qualified"],
    ["FrontendDomain", { domain: "-bad.example.com" }, "domain", "label starting with a hyphen"],
    ["FrontendDomain", { domain: "cloud.example.c0m" }, "domain", "top-level domain with a digit"],
    ["FrontendDomain", { domain: "a".repeat(64) + ".example.com" }, "domain", "label over 63 characters"],
    ["FrontendDomain", { domain: "" }, "domain", "empty"],
    ["FrontendDomain", { scheme: "ftp" }, "scheme", "unknown scheme"],
    ["FrontendDomain", { serviceId: "abc" }, "serviceId", "non-numeric id"],
    ["FrontendDomain", { clientId: drop }, "clientId", "missing client"],
    ["Reseller", { currency: "XYZ" }, "currency", "unknown currency"],
    ["Reseller", { currency: "EURO" }, "currency", "four letters"],
    ["Reseller", { country: "Germany" }, "country", "country name instead of code"],
    ["Reseller", { country: "XX" }, "country", "not ISO alpha-2"],
    ["Reseller", { email: "not-an-email" }, "email", "bad email"],
    ["Reseller", { firstName: "" }, "firstName", "empty required string"],
    ["Reseller", { lastName: "   " }, "lastName", "blank required string"],
    ["Reseller", { zipCode: "12345678901" }, "zipCode", "zip over 10 characters"],
    ["Reseller", { phone: drop }, "phone", "missing phone"],
    ["Reseller", { vatId: "x".repeat(33) }, "vatId", "VAT id over 32 characters"],
    ["Reseller", { externalBillingId: "x".repeat(39) }, "externalBillingId", "external id over 38 characters"],
    ["Reseller", { adopt: "12ab" }, "adopt", "adopt id not a number"],
    ["Reseller", { favouriteColour: "blue" }, "favouriteColour", "unknown input"],
    ["OpenstackPlan", { currency: "dollars" }, "currency", "currency word"],
    ["OpenstackPlan", { name: "" }, "name", "empty name"],
    ["OpenstackPlan", { name: "n".repeat(256) }, "name", "name over 255 characters"],
    ["OpenstackPlan", { isDefault: "yes" }, "isDefault", "boolean as text"],
    ["OpenstackPlan", { resellerClientId: "0" }, "resellerClientId", "id zero"],
    ["PricingRule", { prices: [{ from: 0, price: -1 }] }, "prices[0].price", "negative price"],
    ["PricingRule", { prices: [{ from: 0, price: "0.00001" }] }, "prices[0].price", "5 decimal places"],
    ["PricingRule", { prices: [{ from: -5, price: 1 }] }, "prices[0].from", "negative tier start"],
    ["PricingRule", { prices: [] }, "prices", "no tiers"],
    ["PricingRule", { prices: [{ from: 0, price: "abc" }] }, "prices[0].price", "price not a number"],
    ["PricingRule", { prices: [{ from: 0, price: 1 }, { from: "0.0", price: 2 }], attribute: "size" }, "prices[1].from", "duplicate tier start"],
    ["PricingRule", { prices: [{ from: 0, price: 1 }, { from: 10, price: 2 }] }, "attribute", "tiers without the attribute they measure"],
    ["PricingRule", { timeUnit: "fortnight" }, "timeUnit", "unknown time unit"],
    ["PricingRule", { attributeUnit: "zettabytes" }, "attributeUnit", "unknown attribute unit"],
    ["PricingRule", { conditions: [{ attribute: "flavor", operator: "approximately", value: "m1" }] }, "conditions[0].operator", "unknown operator"],
    ["PricingRule", { conditions: [{ attribute: "", value: "m1" }] }, "conditions[0].attribute", "empty condition attribute"],
    ["PricingRule", { modifiers: [{ attribute: "vcpus", value: 2, price: "1", timeUnit: "h" }], conditions: [{ attribute: "vcpus", value: 2 }] }, "modifiers[0].attribute", "same attribute in conditions and modifiers"],
    ["PricingRule", { modifiers: [{ attribute: "vcpus", value: 2, price: "1" }] }, "modifiers[0].timeUnit", "modifier without time unit"],
    ["PricingRule", { resourceName: drop }, "resourceName", "no billing resource"],
    ["PricingRule", { resourceId: "3" }, "resourceId", "both resourceId and resourceName"],
    ["PricingRule", { priority: 1.5 }, "priority", "priority not an integer"],
    ["PricingRule", { displayName: "" }, "displayName", "empty display name"],
    ["PricingRule", { planId: drop }, "planId", "no plan"],
    ["ResellerService", { productId: "4" }, "productId", "productId and productName together"],
    ["ResellerService", { productName: drop }, "productId", "no product at all"],
    ["ResellerService", { cycle: "weekly" }, "cycle", "unknown cycle"],
    ["ResellerService", { productCycleId: "7" }, "productCycleId", "cycle id together with cycle"],
    ["ResellerService", { cycleMultiplier: 0 }, "cycleMultiplier", "multiplier zero"],
    ["ResellerService", { planId: "-2" }, "planId", "negative plan id"],
    ["Configuration", { name: "x".repeat(25) }, "name", "name over 24 characters"],
    ["Configuration", { name: "" }, "name", "empty name"],
    ["Configuration", { description: "d".repeat(256) }, "description", "description over 255 characters"],
    ["Configuration", { isDefault: 1 }, "isDefault", "number as boolean"],
];

function inputsFor(kind: string, change: Record<string, unknown>): Record<string, unknown> {
    const merged: Record<string, unknown> = { ...valid[kind], ...change };
    for (const [k, v] of Object.entries(change)) if (v === drop) delete merged[k];
    return merged;
}

describe("check() rejects bad input before anything is sent", () => {
    let attempted = 0;
    const onNoMatch = () => attempted++;

    before(() => {
        nock.disableNetConnect();
        nock.emitter.on("no match", onNoMatch);
    });
    after(() => {
        nock.emitter.removeListener("no match", onNoMatch);
        nock.enableNetConnect();
    });
    beforeEach(async () => {
        attempted = 0;
        await configure({ config: { get: (k: string) => ({ "fleio:url": "https://fleio.test", "fleio:token": "0123456789abcdef0123456789abcdef01234567" })[k], require: (k: string) => k } });
    });
    afterEach(() => assert.equal(attempted, 0, "no HTTP request was attempted"));

    it(`the table has at least 40 rows across all six resources (${rows.length})`, () => {
        assert.ok(rows.length >= 40);
        assert.deepEqual([...new Set(rows.map((r) => r[0]))].sort(), Object.keys(valid).sort());
    });

    for (const kind of Object.keys(valid)) {
        it(`${kind}: the valid base input passes`, async () => {
            const r = await resource(kind).check!({}, valid[kind]);
            assert.deepEqual(r.failures, []);
        });
    }

    for (const [kind, change, property, why] of rows) {
        it(`${kind}: ${why} → ${property}`, async () => {
            const r = await resource(kind).check!({}, inputsFor(kind, change));
            const failures = r.failures ?? [];
            const hit = failures.find((f) => f.property === property);
            assert.ok(hit, `expected a failure on ${property}, got ${JSON.stringify(failures)}`);
            assert.ok(hit.reason.length > 12, "the reason explains itself");
            assert.doesNotMatch(hit.reason, /^Invalid input\.?$/, "not a bare generic message");
        });
    }
});

describe("check() normalises good input", () => {
    const check = async (kind: string, change: Record<string, unknown>) => (await resource(kind).check!({}, inputsFor(kind, change))).inputs as Record<string, any>;

    it("upper-cases codes and lower-cases domains", async () => {
        assert.equal((await check("Reseller", { currency: "eur", country: "de" })).currency, "EUR");
        assert.equal((await check("Reseller", { currency: "eur", country: "de" })).country, "DE");
        assert.equal((await check("FrontendDomain", { domain: "Cloud.Example.COM." })).domain, "cloud.example.com");
    });

    it("writes decimals one way and sorts tiers", async () => {
        const r = await check("PricingRule", { attribute: "size", prices: [{ from: "100", price: 0.5 }, { from: 0, price: "1.5000" }] });
        assert.deepEqual(r.prices, [{ from: "0", price: "1.5" }, { from: "100", price: "0.5" }]);
    });

    it("maps spelled-out units and operators to Fleio's codes", async () => {
        const r = await check("PricingRule", { timeUnit: "Hour", attributeUnit: "GB", attribute: "size", conditions: [{ attribute: "flavor", operator: ">=", value: 2 }] });
        assert.equal(r.timeUnit, "h");
        assert.equal(r.attributeUnit, "g");
        assert.equal(r.conditions[0].operator, "ge");
        assert.equal(r.conditions[0].name, "condition", "Fleio's default name is filled in");
    });

    it("treats an empty optional string as absent", async () => {
        const r = await check("Reseller", { company: "" });
        assert.equal("company" in r, false);
    });

    it("does not fail on a value still unknown during preview, and keeps it", async () => {
        const r = await resource("PricingRule").check!({}, inputsFor("PricingRule", { planId: UNKNOWN }));
        assert.deepEqual(r.failures, []);
        assert.equal((r.inputs as Record<string, unknown>).planId, UNKNOWN);
    });

    it("still reports a bad known field next to an unknown one", async () => {
        const r = await resource("FrontendDomain").check!({}, inputsFor("FrontendDomain", { serviceId: UNKNOWN, domain: "https://x.example.com" }));
        assert.deepEqual(r.failures?.map((f) => f.property), ["domain"]);
    });
});
