import * as assert from "node:assert/strict";
import { raiseByPercent, exactDecimal } from "../../sdk/decimal";
import { withMarkup } from "../../sdk/onboarding";
import type { ApiRule } from "../../provider/resources/pricing-rule";

// Fleio answers prices as JSON numbers (0.05, 1e-05) or strings; a markup must not pick
// up binary floating-point error, or every preview would show a price change.
describe("markup in exact decimal arithmetic", () => {
    const table: [string | number, number, string][] = [
        [0.07, 10, "0.077"], // 0.07 * 1.1 = 0.07700000000000001 in floating point
        ["0.0200", 25, "0.025"],
        [0.015, 25, "0.0188"], // 0.01875: half rounds up
        [1e-5, 0, "0"], // 0.00001 has more places than Fleio keeps: 0.0000 after rounding
        [1e-5, 5000, "0.0005"], // 0.00051 → 4 places
        ["0.0001", 10, "0.0001"], // 0.00011 → rounds down
        [0.00015, 0, "0.0002"], // half up, exactly (0.00015 is not exact in binary)
        [100, 12.5, "112.5"],
        [0.1, -10, "0.09"],
        [3, 33.3333, "4"], // 3.999999 → 4 places
        ["1.2345", 100, "2.469"],
    ];
    for (const [price, percent, want] of table) {
        it(`${price} raised by ${percent}% is ${want}`, () => assert.equal(raiseByPercent(price, percent), want));
    }

    it("reads Fleio's numbers exactly", () => {
        assert.equal(exactDecimal(1e-5), "0.00001");
        assert.equal(exactDecimal(0.05), "0.05");
        assert.equal(exactDecimal("100.0000"), "100");
        assert.throws(() => exactDecimal("0.1.2"), /price must be a decimal number/);
    });

    it("a template rule with number prices becomes the same inputs as with string prices", () => {
        const rule = (p: string | number, m: string | number): ApiRule => ({
            id: 1,
            display_name: "m1.small per hour",
            plan: 3,
            resource: 2,
            priority: 1,
            pricing: { prices: [{ f: 0, p }], attribute: null, attribute_unit: null, time_unit: "h" },
            conditions: [],
            modifiers: [{ name: "windows", attribute: "os_type", operator: "eq", value: "windows", price: m, time_unit: "h", price_is_percent: false }],
        });
        const fromNumbers = withMarkup(rule(0.07, 0.01), 10);
        assert.deepEqual(fromNumbers, withMarkup(rule("0.0700", "0.0100"), 10));
        assert.deepEqual(fromNumbers.prices, [{ from: "0", price: "0.077" }]);
        assert.equal(fromNumbers.modifiers?.[0].price, "0.011");
    });
});
