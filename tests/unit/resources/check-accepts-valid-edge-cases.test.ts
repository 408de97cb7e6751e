import * as assert from "node:assert/strict";
import { resource } from "../../../provider";
import { useCreateOptions } from "../support/check-harness";

// Values Fleio accepts must pass check(), in the form that will be sent. Each row is
// a change to a valid base input, the field to look at, and what check() makes of it.

const valid: Record<string, Record<string, unknown>> = {
    Reseller: { firstName: "Ada", lastName: "Op", email: "ada@example.com", phone: "+49 1", address1: "1 St", city: "Berlin", zipCode: "10115", country: "DE", currency: "EUR" },
    OpenstackPlan: { name: "Plan", currency: "EUR" },
    PricingRule: { planId: "1", displayName: "Rule", resourceName: "instance", prices: [{ from: 0, price: "0.01" }] },
    ResellerService: { clientId: "5", productName: "Reseller", cycle: "month", planId: "2" },
    FrontendDomain: { clientId: "5", serviceId: "9", domain: "cloud.example.com" },
    Configuration: { name: "cfg" },
};

type Row = [kind: string, change: Record<string, unknown>, field: string, becomes: unknown, why: string];
const rows: Row[] = [
    ["PricingRule", { prices: [{ from: 0, price: "0.000001" }] }, "prices", [{ from: "0", price: "0.000001" }], "a tier price with 6 decimal places"],
    ["PricingRule", { prices: [{ from: 0, price: 0.000001 }] }, "prices", [{ from: "0", price: "0.000001" }], "the number 1e-6"],
    ["PricingRule", { prices: [{ from: 0, price: 1e-5 }] }, "prices", [{ from: "0", price: "0.00001" }], "the number 1e-5"],
    ["PricingRule", { prices: [{ from: 0, price: "1.5e-3" }] }, "prices", [{ from: "0", price: "0.0015" }], "a string in exponent form"],
    ["PricingRule", { prices: [{ from: 0, price: "9999999999.999999" }] }, "prices", [{ from: "0", price: "9999999999.999999" }], "the largest tier price decimal(16,6) holds"],
    ["PricingRule", { prices: [{ from: 0, price: "0.1000000" }] }, "prices", [{ from: "0", price: "0.1" }], "trailing zeros beyond 6 places"],
    ["PricingRule", { attribute: "size", prices: [{ from: "9999999999.999999", price: 1 }, { from: "9999999999.999998", price: 2 }] }, "prices", [{ from: "9999999999.999998", price: "2" }, { from: "9999999999.999999", price: "1" }], "tiers that tie as floats sorted and kept apart"],
    ["PricingRule", { modifiers: [{ attribute: "vcpus", value: 2, price: "99999999.9999", timeUnit: "h" }] }, "modifiers", [{ name: "modifier", attribute: "vcpus", operator: "eq", value: 2, price: "99999999.9999", timeUnit: "h", pricePercent: false }], "the largest modifier price decimal(12,4) holds"],
    ["PricingRule", { timeUnit: "billing cycle" }, "timeUnit", "bc", "billing cycle spelled out"],
    ["PricingRule", { timeUnit: "billingCycle" }, "timeUnit", "bc", "billingCycle"],
    ["PricingRule", { timeUnit: "Minute" }, "timeUnit", "m", "minute"],
    ["PricingRule", { planId: "2147483647" }, "planId", "2147483647", "the largest 32-bit plan id"],
    ["PricingRule", { planId: 7 }, "planId", "7", "an id given as a number"],
    ["FrontendDomain", { clientId: "9223372036854775807", serviceId: "9007199254740993" }, "serviceId", "9007199254740993", "ids beyond 2^53 given as strings"],
    ["FrontendDomain", { clientId: "9223372036854775807" }, "clientId", "9223372036854775807", "the largest client id (2^63-1)"],
    ["Reseller", { email: "joerg@bücher.example" }, "email", "joerg@bücher.example", "an internationalised (IDN) domain"],
    ["Reseller", { email: "ada@xn--bcher-kva.example" }, "email", "ada@xn--bcher-kva.example", "an IDN domain in punycode"],
    ["Reseller", { email: "ada@例え.テスト" }, "email", "ada@例え.テスト", "a Japanese IDN domain"],
    ["Reseller", { email: '"ada..op"@example.com' }, "email", '"ada..op"@example.com', "a quoted local part (two dots only pass quoted)"],
    ["Reseller", { email: "o'brien+billing@example.com" }, "email", "o'brien+billing@example.com", "an apostrophe and a plus"],
    ["Reseller", { email: "ada@localhost" }, "email", "ada@localhost", "localhost, which Django allows"],
    ["Reseller", { email: "ada@[192.0.2.1]" }, "email", "ada@[192.0.2.1]", "an IP address literal"],
    ["Reseller", { email: "  ada@example.com " }, "email", "ada@example.com", "surrounding spaces trimmed"],
    ["Reseller", { firstName: "Zoë 🚀" }, "firstName", "Zoë 🚀", "emoji and accents in a name"],
    ["Reseller", { zipCode: "€".repeat(10) }, "zipCode", "€".repeat(10), "10 characters of zip code"],
    ["Configuration", { name: "😀".repeat(24) }, "name", "😀".repeat(24), "24 emoji in a configuration name (48 UTF-16 units)"],
    ["Configuration", { description: "line one\nline two\ttabbed" }, "description", "line one\nline two\ttabbed", "line breaks and tabs in a description"],
    ["ResellerService", { cycleCurrency: "usd" }, "cycleCurrency", "USD", "a cycle currency in lower case"],
];

describe("check() accepts what Fleio accepts", () => {
    useCreateOptions();

    for (const [kind, change, field, becomes, why] of rows) {
        it(`${kind}: ${why}`, async () => {
            const r = await resource(kind).check!({}, { ...valid[kind], ...change });
            assert.deepEqual(r.failures ?? [], []);
            assert.deepEqual((r.inputs as Record<string, unknown>)[field], becomes);
        });
    }
});
