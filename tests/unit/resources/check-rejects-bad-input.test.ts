import * as assert from "node:assert/strict";
import nock from "nock";
import { resource } from "../../../provider";
import { UNKNOWN } from "../../../provider/resources/define";
import { cut } from "../../../provider/validation/echo";
import { configureForCheck, secret, serveCreateOptions } from "../support/check-harness";

// Bad input is refused by check(), before anything reaches Fleio, with a failure that
// names the field, says what is expected, stays short whatever the value, and never
// repeats a secret. Adding a case is adding a row.

const valid: Record<string, Record<string, unknown>> = {
    Reseller: { firstName: "Ada", lastName: "Op", email: "ada@example.com", phone: "+49 1", address1: "1 St", city: "Berlin", zipCode: "10115", country: "DE", currency: "EUR" },
    OpenstackPlan: { name: "Plan", currency: "EUR" },
    PricingRule: { planId: "1", displayName: "Rule", resourceName: "instance", prices: [{ from: 0, price: "0.01" }] },
    ResellerService: { clientId: "5", productName: "Reseller", cycle: "month", planId: "2" },
    FrontendDomain: { clientId: "5", serviceId: "9", domain: "cloud.example.com" },
    Configuration: { name: "cfg" },
};

/** A bound every reason stays under, whatever the value (the engine adds the resource name). */
const MAX_REASON = 300;
const HUGE = 100_000;

type Expect = {
    /** The reason must match this (e.g. the limit it names, the accepted values). */
    says?: RegExp;
    /** Text the reason must never contain (a secret, a normalised form the user did not write). */
    never?: string[];
};
type Row = [kind: string, change: Record<string, unknown>, property: string, why: string, expect?: Expect];
const drop = Symbol("drop");
const big = (c: string) => c.repeat(HUGE);
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
    ["PricingRule", { prices: [{ from: 0, price: "abc" }] }, "prices[0].price", "price not a number"],
    ["PricingRule", { prices: [{ from: 0, price: 1 }, { from: "0.0", price: 2 }], attribute: "size" }, "prices[1].from", "duplicate tier start"],
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
    // Messages stay bounded and never repeat a secret; codes are echoed as written.
    ["Reseller", { currency: big("X") }, "currency", "a 100 KB currency", { says: /100000 characters/ }],
    ["Reseller", { country: big("Q") }, "country", "a 100 KB country"],
    ["Reseller", { firstName: big("n") }, "firstName", "a 100 KB name", { says: /at most 127 characters \(got 100000\)/ }],
    ["Reseller", { email: big("a") + "@example.com" }, "email", "a 100 KB e-mail"],
    ["Reseller", { currency: "eurx" }, "currency", "an unknown code echoed as written", { says: /"eurx"/, never: ["EURX"] }],
    ["Reseller", { country: "xx" }, "country", "an unknown country echoed as written", { says: /"xx"/, never: ['"XX"'] }],
    ["Reseller", { currency: secret("SECRETCUR") }, "currency", "a secret currency", { says: /secret value not shown/, never: ["SECRETCUR"] }],
    ["Reseller", { vatId: secret("TOPSECRET-VAT-0123456789-0123456789") }, "vatId", "a secret VAT id over 32 characters", { never: ["TOPSECRET"] }],
    ["OpenstackPlan", { currency: secret("S3CRET") }, "currency", "a secret plan currency", { says: /secret value not shown/, never: ["S3CRET"] }],
    ["PricingRule", { prices: secret([{ from: 0, price: "-77777.5.5" }]) }, "prices[0].price", "a malformed price inside a secret", { says: /secret value not shown/, never: ["77777"] }],
    ["PricingRule", { prices: [{ from: 0, price: big("9") }] }, "prices[0].price", "a 100 KB price"],
    ["PricingRule", { timeUnit: big("z") }, "timeUnit", "a 100 KB time unit"],
    ["PricingRule", { conditions: [{ attribute: "flavor", operator: big("~"), value: "m1" }] }, "conditions[0].operator", "a 100 KB operator"],
    ["FrontendDomain", { domain: big("a") }, "domain", "a 100 KB domain"],
    ["FrontendDomain", { domain: big("x") + "://host.example.com" }, "domain", "a 100 KB scheme"],
    ["ResellerService", { cycleCurrency: big("c") }, "cycleCurrency", "a 100 KB cycle currency"],
    ["Configuration", { [big("k")]: 1 }, cut(big("k"), 64), "a 100 KB unknown input name"],
    // Ids: Fleio's integer keys, kept exact.
    ["PricingRule", { planId: "9223372036854775807" }, "planId", "a plan id beyond Fleio's 32-bit plan ids", { says: /2147483647/ }],
    ["PricingRule", { planId: "2147483648" }, "planId", "a plan id one past 2^31-1"],
    ["PricingRule", { resourceName: drop, resourceId: "1e3" }, "resourceId", "a resource id in exponent form"],
    ["FrontendDomain", { clientId: "9223372036854775808" }, "clientId", "a client id one past 2^63-1", { says: /9223372036854775807/ }],
    ["FrontendDomain", { serviceId: 9007199254740993 }, "serviceId", "a service id above 2^53 given as a number", { says: /as a string/ }],
    ["FrontendDomain", { adopt: true }, "adopt", "adopt as a boolean"],
    ["ResellerService", { clientId: 1.5 }, "clientId", "a fractional client id"],
    ["ResellerService", { productId: "007", productName: drop }, "productId", "an id with leading zeros"],
    ["Reseller", { adopt: "0" }, "adopt", "adopt id zero"],
    ["OpenstackPlan", { migrateServicesTo: "3000000000" }, "migrateServicesTo", "a plan id beyond 2^31-1"],
    ["Configuration", { adopt: "-1" }, "adopt", "a negative configuration id"],
    ["Configuration", { resellerClientId: "12345678901234567890" }, "resellerClientId", "a 20-digit client id"],
    // Decimals: what Fleio stores, exactly.
    ["PricingRule", { prices: [{ from: 0, price: 1e-11 }] }, "prices[0].price", "the number 1e-11 (not silently 0)", { says: /at most 6 decimal places.*decimal\(16,6\)/ }],
    ["PricingRule", { prices: [{ from: 0, price: "0.0000001" }] }, "prices[0].price", "7 decimal places", { says: /decimal\(16,6\)/ }],
    ["PricingRule", { prices: [{ from: 0, price: "12345678901" }] }, "prices[0].price", "11 digits before the point", { says: /at most 10 digits before/ }],
    ["PricingRule", { prices: [{ from: "1e-7", price: 1 }] }, "prices[0].from", "a tier start with 7 places in exponent form"],
    ["PricingRule", { prices: [{ from: 0, price: "Infinity" }] }, "prices[0].price", "Infinity"],
    ["PricingRule", { prices: [{ from: 0, price: Number.NaN }] }, "prices[0].price", "NaN"],
    ["PricingRule", { prices: [{ from: 0, price: "1,5" }] }, "prices[0].price", "a decimal comma"],
    ["PricingRule", { prices: [{ from: 0, price: "0x10" }] }, "prices[0].price", "hexadecimal"],
    ["PricingRule", { prices: [{ from: 0, price: "" }] }, "prices[0].price", "an empty price"],
    ["PricingRule", { prices: [{ from: 0, price: 0.1 + 0.2 }] }, "prices[0].price", "a float sum with 17 places", { says: /as a string/ }],
    ["PricingRule", { modifiers: [{ attribute: "vcpus", value: 2, price: "0.00001", timeUnit: "h" }] }, "modifiers[0].price", "a modifier price with 5 places", { says: /decimal\(12,4\)/ }],
    ["PricingRule", { modifiers: [{ attribute: "vcpus", value: 2, price: "123456789", timeUnit: "h" }] }, "modifiers[0].price", "a modifier price with 9 whole digits", { says: /at most 8 digits/ }],
    // Time units: no guessing what "month" means.
    ["PricingRule", { timeUnit: "month" }, "timeUnit", "month (a billing cycle may be a year)", { says: /second, minute, hour, day or billingCycle.*s, m, h, d or bc/ }],
    ["PricingRule", { timeUnit: "cycle" }, "timeUnit", "cycle"],
    ["PricingRule", { timeUnit: "hours" }, "timeUnit", "a plural unit"],
    ["PricingRule", { modifiers: [{ attribute: "vcpus", value: 2, price: "1", timeUnit: "month" }] }, "modifiers[0].timeUnit", "a modifier priced per month", { says: /billingCycle/ }],
    // Control characters.
    ["Reseller", { firstName: "Ada\u0000" }, "firstName", "NUL in a name", { says: /control characters.*U\+0000 at character 4/ }],
    ["Reseller", { city: "Ber\nlin" }, "city", "a line break in a city"],
    ["Reseller", { company: "Acme\u001b[31m" }, "company", "an escape sequence in a company"],
    ["Reseller", { address1: "\u007f1 St" }, "address1", "DEL in an address"],
    ["OpenstackPlan", { name: "Plan\u0000" }, "name", "NUL in a plan name"],
    ["PricingRule", { displayName: "Rule\t1" }, "displayName", "a tab in a display name"],
    ["PricingRule", { conditions: [{ attribute: "fla\u0000vor", value: "m1" }] }, "conditions[0].attribute", "NUL in a condition attribute"],
    ["PricingRule", { attribute: "si\u0000ze" }, "attribute", "NUL in the pricing attribute"],
    ["ResellerService", { productName: "Res\u0085eller" }, "productName", "a C1 control (NEL) in a product name"],
    ["Configuration", { name: "cfg\u0007" }, "name", "BEL in a configuration name"],
    ["Configuration", { description: "d\u0000" }, "description", "NUL in a description"],
    // Lengths in characters, as Fleio counts them.
    ["Configuration", { name: "😀".repeat(25) }, "name", "25 emoji in a configuration name", { says: /at most 24 characters \(got 25\)/ }],
    ["Reseller", { zipCode: "€".repeat(11) }, "zipCode", "11 characters of zip code"],
    // E-mail as Django 2.2 checks it.
    ["Reseller", { email: "jörg@example.com" }, "email", "a Unicode local part", { says: /ASCII/ }],
    ["Reseller", { email: "ada@b" }, "email", "a domain without a dot"],
    ["Reseller", { email: "ada@-example.com" }, "email", "a label starting with a hyphen"],
    ["Reseller", { email: "a..b@example.com" }, "email", "two dots in a row"],
    ["Reseller", { email: "ada@exa mple.com" }, "email", "a space in the domain"],
    ["Reseller", { email: "ada@example.c" }, "email", "a one-letter top-level domain"],
    ["Reseller", { email: "@example.com" }, "email", "no local part"],
    ["Reseller", { email: "ada@[300.1.1.1]" }, "email", "an address literal that is no IP"],
    ["Reseller", { email: '"ada op"@example.com' }, "email", "an unescaped space in a quoted local part (Django refuses it)"],
    // Other fields now checked the way Fleio does.
    ["ResellerService", { cycleCurrency: "XYZ" }, "cycleCurrency", "an unknown cycle currency"],
    ["PricingRule", { resourceName: "" }, "resourceName", "an empty resource name"],
    ["PricingRule", { resourceType: "t".repeat(129) }, "resourceType", "a resource type over 128 characters"],
];

function inputsFor(kind: string, change: Record<string, unknown>): Record<string, unknown> {
    const merged: Record<string, unknown> = { ...valid[kind], ...change };
    for (const [k, v] of Object.entries(change)) if (v === drop) delete merged[k];
    return merged;
}

/** Every long string in a change: none may come back whole in a message. */
function longStrings(v: unknown): string[] {
    if (typeof v === "string") return v.length > 40 ? [v] : [];
    if (Array.isArray(v)) return v.flatMap(longStrings);
    if (v && typeof v === "object") return Object.values(v).flatMap(longStrings);
    return [];
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
        nock.cleanAll();
        nock.enableNetConnect();
    });
    beforeEach(async () => {
        attempted = 0;
        await configureForCheck();
    });
    afterEach(() => {
        nock.cleanAll();
        assert.equal(attempted, 0, "no HTTP request was attempted");
    });

    it(`the table has at least 100 rows across all six resources (${rows.length})`, () => {
        assert.ok(rows.length >= 100);
        assert.deepEqual([...new Set(rows.map((r) => r[0]))].sort(), Object.keys(valid).sort());
    });

    for (const kind of Object.keys(valid)) {
        it(`${kind}: the valid base input passes`, async () => {
            // A new resource may ask Fleio once about its billing resource or currency.
            serveCreateOptions();
            const r = await resource(kind).check!({}, valid[kind]);
            assert.deepEqual(r.failures, []);
        });
    }

    for (const [kind, change, property, why, expect = {}] of rows) {
        it(`${kind}: ${why} → ${cut(property, 24)}`, async () => {
            const r = await resource(kind).check!({}, inputsFor(kind, change));
            const failures = r.failures ?? [];
            // A nested path travels in the reason (forEngine): the engine would print its value as <nil>.
            const hit = failures.find((f) => f.property === property || (f.property === "" && f.reason.startsWith(`${property} `)));
            assert.ok(hit, `expected a failure on ${cut(property, 24)}, got ${cut(JSON.stringify(failures), 400)}`);
            assert.ok(hit.reason.length > 12, "the reason explains itself");
            assert.doesNotMatch(hit.reason, /^Invalid input\.?$/, "not a bare generic message");
            for (const f of failures) assert.ok(f.reason.length < MAX_REASON && f.property.length < 100, `bounded: ${f.reason.length} characters`);
            if (expect.says) assert.match(hit.reason, expect.says);
            for (const text of [...(expect.never ?? []), ...longStrings(change)]) assert.ok(!failures.some((f) => f.reason.includes(text)), `the reason does not repeat ${cut(text, 20)}`);
        });
    }
});

describe("check() normalises good input", () => {
    beforeEach(async () => {
        nock.disableNetConnect();
        await configureForCheck();
        serveCreateOptions(1);
    });
    afterEach(() => {
        nock.cleanAll();
        nock.enableNetConnect();
    });
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
