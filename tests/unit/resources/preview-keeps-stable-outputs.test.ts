import * as assert from "node:assert/strict";
import { resources } from "../../../provider/registry";
import { UNKNOWN } from "../../../provider/resources/define";

// What a preview of an update may promise (core.planned, served by the native plugin's
// Update with preview): the new inputs, the outputs an update cannot change as they are,
// every other output unknown. An id left unknown makes everything keyed on it show
// replaced (issue 19); an output promised that the update then changes would make the
// preview say something `up` does not do.

const stable: Record<string, string[]> = {
    Reseller: ["clientId", "dateCreated"],
    OpenstackPlan: ["planId", "resellerResourcesId"],
    PricingRule: ["ruleId", "resolvedResourceId"],
    ResellerService: ["serviceId", "resellerResourcesId", "resolvedProductId", "resolvedProductCycleId"],
    FrontendDomain: [],
    Configuration: ["configurationId", "resellerResourcesId"],
};

describe("a preview of an update keeps the outputs an update cannot change", () => {
    for (const [kind, keys] of Object.entries(stable)) {
        it(`${kind}: ${keys.join(", ") || "no output"} known, the others unknown, the inputs as planned`, async () => {
            const core = resources[kind as keyof typeof resources].core;
            const outputs = Object.keys(core.spec.outputs!.shape);
            const olds = Object.fromEntries(outputs.map((k) => [k, `old-${k}`]));
            const planned = core.planned({ someInput: "new" }, olds);
            assert.equal(planned.someInput, "new");
            for (const k of outputs) assert.equal(planned[k], keys.includes(k) ? `old-${k}` : UNKNOWN, k);
            // A create knows none of them.
            const created = core.planned({ someInput: "new" });
            for (const k of outputs) assert.equal(created[k], UNKNOWN, `${k} at create`);
            // The engine is told the same (Diff stables), with the inputs that would replace.
            const d = await core.diff(olds, olds);
            assert.deepEqual(d.stables.filter((k) => outputs.includes(k)).sort(), [...keys].sort());
            for (const k of core.spec.replaceOnChange) assert.ok(d.stables.includes(k), `${k}: changing it replaces, so an update leaves it`);
        });
    }
});
