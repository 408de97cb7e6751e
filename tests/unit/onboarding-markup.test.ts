import * as assert from "node:assert/strict";
import { withMarkup } from "../../sdk/onboarding";
import type { ApiRule } from "../../provider/resources/pricing-rule";

// A reseller plan derived from a template: every absolute price raised by the markup,
// percentages and everything else kept, ready to be a new plan's rule.
describe("withMarkup: a template rule as a new plan's rule", () => {
    const template: ApiRule = {
        id: 4,
        display_name: "m1.small per hour",
        plan: 1,
        resource: 2,
        priority: 3,
        pricing: { prices: [{ f: "0.0000", p: "0.0200" }, { f: "100.0000", p: "0.0150" }], attribute: "vcpus", attribute_unit: null, time_unit: "h" },
        conditions: [{ name: "condition", attribute: "flavor", attribute_unit: null, operator: "eq", value: "m1.small" }],
        modifiers: [
            { name: "windows", attribute: "os_type", attribute_unit: null, operator: "eq", value: "windows", price: "0.0100", time_unit: "h", price_is_percent: false },
            { name: "premium", attribute: "region", attribute_unit: null, operator: "eq", value: "fra", price: "10.0000", time_unit: "h", price_is_percent: true },
        ],
    };

    it("raises tier prices (Fleio keeps 6 places) and absolute modifier prices (4 places) by the markup", () => {
        const r = withMarkup(template, 25);
        assert.deepEqual(r.prices, [{ from: "0", price: "0.025" }, { from: "100", price: "0.01875" }]);
        assert.equal(r.modifiers?.[0].price, "0.0125");
        assert.equal(withMarkup({ ...template, modifiers: [{ ...template.modifiers![0], price: "0.0015" }] }, 25).modifiers?.[0].price, "0.0019", "0.001875 rounded half up to 4 places");
    });

    it("keeps percentage modifiers, conditions, units and the resource as they are", () => {
        const r = withMarkup(template, 25);
        assert.equal(r.modifiers?.[1].price, "10");
        assert.deepEqual(JSON.parse(JSON.stringify(r.conditions)), [{ name: "condition", attribute: "flavor", operator: "eq", value: "m1.small" }]);
        assert.equal(r.timeUnit, "h");
        assert.equal(r.attribute, "vcpus");
        assert.equal(r.resourceId, "2");
        assert.equal(r.priority, 3);
        assert.equal("planId" in r, false, "the new plan's id is filled in by the component");
    });
});
