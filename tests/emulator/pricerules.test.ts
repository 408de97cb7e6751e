import * as assert from "node:assert/strict";
import { useEmulator } from "./helpers";

describe("emulator: pricing rules (/openstack/billing/pricerule)", () => {
    const ctx = useEmulator();
    const PATH = "openstack/billing/pricerule";
    let planId = 0;
    const rule = (extra: Record<string, unknown> = {}) => ({
        display_name: "Instances per hour",
        plan: planId,
        resource: 1,
        priority: 5,
        pricing: { prices: [{ f: 0, p: 0.02 }], time_unit: "h" },
        ...extra,
    });

    before(async () => {
        planId = (await ctx.http.ok("POST", "openstack/billing/plan", { name: "Rules plan", currency: "EUR" })).id;
    });

    it("create_options lists the billing resources with their attributes", async () => {
        const o = await ctx.http.ok("GET", `${PATH}/create_options`);
        // create_options names resources by display name; Fleio types them "service" / "metric".
        const byType = Object.fromEntries(o.resources.map((r: { name: string; type: string }) => [r.name.toLowerCase().replace(/\s+/g, "_"), r]));
        for (const t of ["instance", "volume", "image", "instance_traffic"]) assert.ok(byType[t], `resource ${t}`);
        assert.equal(byType.instance.type, "service");
        assert.equal(byType.instance_traffic.type, "metric");
        const attrs = (t: string) => byType[t].attributes.map((a: { name: string }) => a.name);
        for (const a of ["flavor", "vcpus", "ram"]) assert.ok(attrs("instance").includes(a), `instance attribute ${a}`);
        for (const a of ["size", "type"]) assert.ok(attrs("volume").includes(a), `volume attribute ${a}`);
        assert.deepEqual(Object.keys(o.time_units), ["s", "m", "h", "bc", "d"]);
        assert.deepEqual(Object.keys(o.attribute_units), ["u", "b", "k", "m", "g", "t", "p"]);
        assert.deepEqual(Object.keys(o.string_operators), ["eq", "ne", "in", "ni"]);
    });

    it("renders decimals as strings with 4 places, whether sent as numbers or strings", async () => {
        const r = await ctx.http.post(PATH, rule({ pricing: { prices: [{ f: 0, p: 0.01 }, { f: "100", p: "0.005" }], attribute: "size", attribute_unit: "g", time_unit: "h" } }));
        assert.equal(r.status, 201);
        assert.deepEqual(r.body.pricing, {
            prices: [
                { f: "0.0000", p: "0.0100" },
                { f: "100.0000", p: "0.0050" },
            ],
            attribute: "size",
            attribute_unit: "g",
            time_unit: "h",
        });
        const again = await ctx.http.ok("GET", `${PATH}/${r.body.id}`);
        assert.deepEqual(again.pricing, r.body.pricing);
        assert.deepEqual([again.plan, again.resource, again.priority, again.display_name], [planId, 1, 5, "Instances per hour"]);
    });

    it("keeps conditions and modifiers, with modifier prices as 4-place strings", async () => {
        const r = await ctx.http.ok(
            "POST",
            PATH,
            rule({
                conditions: [{ attribute: "flavor", operator: "eq", value: "m1.small" }],
                modifiers: [{ attribute: "vcpus", operator: "gt", value: 4, price: 0.5, time_unit: "h" }],
            }),
        );
        assert.deepEqual(
            r.conditions.map((c: Record<string, unknown>) => ({ ...c, id: 0 })),
            [{ id: 0, name: "condition", attribute: "flavor", attribute_unit: null, operator: "eq", value: "m1.small" }],
        );
        assert.equal(r.modifiers[0].price, "0.5000");
        assert.equal(r.modifiers[0].price_is_percent, false);
        const plan = await ctx.http.ok("GET", `openstack/billing/plan/${planId}`);
        const min = plan.pricing_rules.find((x: { id: number }) => x.id === r.id);
        assert.deepEqual([min.resource_type, min.resource_name, min.price, min.modifiers_count, min.display_unit], ["service", "Instance", "0.0200", 1, "H"]);
    });

    it("PUT replaces conditions and modifiers; omitting them removes them", async () => {
        const r = await ctx.http.ok("POST", PATH, rule({ conditions: [{ attribute: "flavor", value: "m1.small" }] }));
        const put = await ctx.http.ok("PUT", `${PATH}/${r.id}`, rule({ display_name: "renamed" }));
        assert.equal(put.display_name, "renamed");
        assert.deepEqual(put.conditions, []);
    });

    it("rejects tiers with the same from value", async () => {
        const r = await ctx.http.post(PATH, rule({ pricing: { prices: [{ f: 0, p: 1 }, { f: "0.0", p: 2 }] } }));
        assert.deepEqual([r.status, r.body], [400, { pricing: ["Multiple From values"] }]);
    });

    it("rejects units and operators outside Fleio's choices, with nested field errors", async () => {
        const r = await ctx.http.post(
            PATH,
            rule({
                pricing: { prices: [{ f: 0, p: "abc" }], attribute_unit: "gb", time_unit: "hour" },
                conditions: [{ attribute: "flavor", operator: "like", value: "x" }],
                modifiers: [{ attribute: "vcpus", value: 1, price: 1, time_unit: "week" }],
            }),
        );
        assert.equal(r.status, 400);
        assert.deepEqual(r.body, {
            pricing: { prices: [{ p: ["A valid number is required."] }], attribute_unit: ['"gb" is not a valid choice.'], time_unit: ['"hour" is not a valid choice.'] },
            conditions: [{ operator: ['"like" is not a valid choice.'] }],
            modifiers: [{ time_unit: ['"week" is not a valid choice.'] }],
        });
    });

    it("rejects the same attribute in both conditions and modifiers", async () => {
        const r = await ctx.http.post(
            PATH,
            rule({ conditions: [{ attribute: "vcpus", operator: "ge", value: 2 }], modifiers: [{ attribute: "vcpus", value: 4, price: 1, time_unit: "h" }] }),
        );
        assert.deepEqual([r.status, r.body], [400, { non_field_errors: ["Same attribute not allowed in modifiers and conditions: vcpus"] }]);
    });

    it("requires display_name, plan, resource and pricing; plan and resource must exist", async () => {
        const missing = await ctx.http.post(PATH, {});
        assert.deepEqual(Object.keys(missing.body).sort(), ["display_name", "plan", "pricing", "resource"]);
        const unknown = await ctx.http.post(PATH, rule({ plan: 9999, resource: 9999 }));
        assert.deepEqual(unknown.body, { plan: ['Invalid pk "9999" - object does not exist.'], resource: ['Invalid pk "9999" - object does not exist.'] });
        const tooPrecise = await ctx.http.post(PATH, rule({ modifiers: [{ attribute: "ram", value: 1, price: "0.00001", time_unit: "h" }] }));
        assert.deepEqual(tooPrecise.body, { modifiers: [{ price: ["Ensure that there are no more than 4 decimal places."] }] });
    });

    it("a percent modifier takes the rule's time unit", async () => {
        const r = await ctx.http.ok("POST", PATH, rule({ modifiers: [{ attribute: "ram", value: 1, price: 10, time_unit: "d", price_is_percent: true }] }));
        assert.equal(r.modifiers[0].time_unit, "h");
    });

    it("lists by plan with filtering=plan:<id>, and DELETE answers 204", async () => {
        const other = await ctx.http.ok("POST", "openstack/billing/plan", { name: "Other", currency: "EUR" });
        const mine = await ctx.http.ok("POST", PATH, rule({ plan: other.id }));
        const listed = await ctx.http.ok("GET", `${PATH}?filtering=plan:${other.id}`);
        assert.deepEqual(
            listed.objects.map((x: { id: number }) => x.id),
            [mine.id],
        );
        const del = await ctx.http.del(`${PATH}/${mine.id}`);
        assert.equal(del.status, 204);
        assert.equal((await ctx.http.get(`${PATH}/${mine.id}`)).status, 404);
    });
});
