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

    it("create_options lists Fleio's migrated billing resources: display names, types, attributes, choices", async () => {
        const o = await ctx.http.ok("GET", `${PATH}/create_options`);
        assert.deepEqual(
            o.resources.map((r: { name: string; type: string }) => [r.name, r.type]),
            [
                ["Instance", "service"],
                ["Image", "service"],
                ["Volume", "service"],
                ["Network", "metric"],
                ["Object storage", "metric"],
                ["Instance traffic", "internal"],
                ["Ceph object storage", "metric"],
            ],
        );
        const instance = o.resources[0];
        assert.deepEqual(
            instance.attributes.map((a: { name: string }) => a.name),
            ["availability_zone", "instance_type", "display_name", "cell_name", "launched_at", "state", "vcpus", "root_gb", "memory_mb", "os_type", "os_version", "instance_id", "tenant_id", "host", "ephemeral_gb", "region"],
        );
        const attr = (name: string) => instance.attributes.find((a: { name: string }) => a.name === name);
        assert.equal(attr("flavor"), undefined, "no flavor attribute: the flavor is instance_type");
        assert.equal(attr("root_gb").value_size, "g");
        assert.equal(attr("memory_mb").value_size, "m");
        assert.ok(attr("os_type").choices.includes("ubuntu"));
        assert.equal(o.resources[5].metric_display, true);
        assert.ok(o.resources[3].metrics.some((m: { name: string; display_name: string }) => m.name === "bandwidth" && m.display_name === "Project traffic"));
        assert.deepEqual(Object.keys(o.time_units), ["s", "m", "h", "bc", "d"]);
        assert.deepEqual(Object.keys(o.attribute_units), ["u", "b", "k", "m", "g", "t", "p"]);
        assert.deepEqual(Object.keys(o.string_operators), ["eq", "ne", "in", "ni"]);
    });

    it("reads prices back as JSON numbers, whether sent as numbers or strings", async () => {
        const r = await ctx.http.post(PATH, rule({ pricing: { prices: [{ f: 0, p: 0.05 }, { f: "100", p: "0.04" }], attribute: "root_gb", attribute_unit: "g", time_unit: "h" } }));
        assert.equal(r.status, 201);
        assert.deepEqual(r.body.pricing, {
            prices: [
                { f: 0, p: 0.05 },
                { f: 100, p: 0.04 },
            ],
            attribute: "root_gb",
            attribute_unit: "g",
            time_unit: "h",
        });
        const again = await ctx.http.ok("GET", `${PATH}/${r.body.id}`);
        assert.deepEqual(again.pricing, r.body.pricing);
        assert.deepEqual([again.plan, again.resource, again.priority, again.display_name], [planId, 1, 5, "Instances per hour"]);
        const tiny = await ctx.http.ok("POST", PATH, rule({ pricing: { prices: [{ f: "0", p: "0.00001" }] } }));
        assert.equal(tiny.pricing.prices[0].p, 1e-5);
        assert.equal(typeof tiny.pricing.prices[0].p, "number");
    });

    it("keeps conditions and modifiers, with the modifier price a number", async () => {
        const r = await ctx.http.ok(
            "POST",
            PATH,
            rule({
                conditions: [{ attribute: "instance_type", operator: "eq", value: "m1.small" }],
                modifiers: [{ attribute: "vcpus", operator: "gt", value: 4, price: "0.5", time_unit: "h" }],
            }),
        );
        assert.deepEqual(
            r.conditions.map((c: Record<string, unknown>) => ({ ...c, id: 0 })),
            [{ id: 0, name: "condition", attribute: "instance_type", attribute_unit: null, operator: "eq", value: "m1.small" }],
        );
        assert.equal(r.modifiers[0].price, 0.5);
        assert.equal(r.modifiers[0].price_is_percent, false);
        const plan = await ctx.http.ok("GET", `openstack/billing/plan/${planId}`);
        const min = plan.pricing_rules.find((x: { id: number }) => x.id === r.id);
        assert.deepEqual([min.resource_type, min.resource_name, min.price, min.modifiers_count, min.display_unit], ["service", "Instance", 0.02, 1, "H"]);
    });

    it("PUT replaces conditions and modifiers; omitting them removes them", async () => {
        const r = await ctx.http.ok("POST", PATH, rule({ conditions: [{ attribute: "instance_type", value: "m1.small" }] }));
        const put = await ctx.http.ok("PUT", `${PATH}/${r.id}`, rule({ display_name: "renamed" }));
        assert.equal(put.display_name, "renamed");
        assert.deepEqual(put.conditions, []);
    });

    // fleio-api.md: "update deletes and recreates all conditions/modifiers". So a PUT of
    // the very same rule is not harmless: the parts get new ids (the provider sends none
    // when Fleio already holds the declared rule).
    it("a PUT of an unchanged rule recreates its conditions and modifiers under new ids", async () => {
        const parts = { conditions: [{ attribute: "instance_type", value: "m1.small" }], modifiers: [{ attribute: "region", value: "r1", price: 1, time_unit: "h" }] };
        const r = await ctx.http.ok("POST", PATH, rule(parts));
        const put = await ctx.http.ok("PUT", `${PATH}/${r.id}`, rule(parts));
        const shape = (x: { conditions: { id: number }[]; modifiers: { id: number }[] }) => [x.conditions.map(({ id: _, ...c }) => c), x.modifiers.map(({ id: _, ...m }) => m)];
        assert.deepEqual(shape(put), shape(r), "the same conditions and modifiers");
        assert.notEqual(put.conditions[0].id, r.conditions[0].id, "the condition was recreated");
        assert.notEqual(put.modifiers[0].id, r.modifiers[0].id, "the modifier was recreated");
        const read = await ctx.http.ok("GET", `${PATH}/${r.id}`);
        assert.deepEqual(read.conditions.map((c: { id: number }) => c.id), put.conditions.map((c: { id: number }) => c.id));
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
                conditions: [{ attribute: "instance_type", operator: "like", value: "x" }],
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

    it("ignores filtering (and plain filters): every rule comes back; DELETE answers 204", async () => {
        const other = await ctx.http.ok("POST", "openstack/billing/plan", { name: "Other", currency: "EUR" });
        const mine = await ctx.http.ok("POST", PATH, rule({ plan: other.id }));
        const all = await ctx.http.ok("GET", `${PATH}?page_size=1000`);
        assert.ok(all.count > 1);
        for (const q of [`filtering=plan:${other.id}`, `plan=${other.id}`, "filtering=bogus:1"]) {
            const listed = await ctx.http.get(`${PATH}?page_size=1000&${q}`);
            assert.equal(listed.status, 200, q);
            assert.equal(listed.body.count, all.count, q);
        }
        const del = await ctx.http.del(`${PATH}/${mine.id}`);
        assert.equal(del.status, 204);
        assert.equal((await ctx.http.get(`${PATH}/${mine.id}`)).status, 404);
    });
});
