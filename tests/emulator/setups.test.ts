import * as assert from "node:assert/strict";
import { DEFAULT_SETUP, SEED_IDS, SETUPS, startEmulator } from "../../emulator";
import { admin, Http, useEmulator } from "./helpers";

/** What a new emulator holds: a fresh Fleio ("factory"), or that plus the demo operator's setup ("demo", the default). */
describe("emulator: setups (factory and demo)", () => {
    it("exports the setup names; demo is the default", () => {
        assert.deepEqual([...SETUPS], ["factory", "demo"]);
        assert.equal(DEFAULT_SETUP, "demo");
    });

    describe("factory: a Fleio right after its migrations", () => {
        const ctx = useEmulator({ setup: "factory" });

        it("has EUR only (default), the 'default' configuration, no plan, no reseller product", async () => {
            const currencies = (await ctx.http.ok("GET", "openstack/billing/plan/create_options")).currencies;
            assert.deepEqual(
                currencies.map((c: { code: string; is_default: boolean }) => [c.code, c.is_default]),
                [["EUR", true]],
            );
            const configs = await ctx.http.ok("GET", "configurations");
            assert.deepEqual(
                configs.objects.map((c: { id: number; name: string; is_default: boolean; reseller_resources: null }) => [c.id, c.name, c.is_default, c.reseller_resources]),
                [[SEED_IDS.defaultConfiguration, "default", true, null]],
            );
            assert.equal((await ctx.http.ok("GET", "openstack/billing/plan")).count, 0);
            const c = await ctx.http.ok("POST", "clients", { first_name: "A", last_name: "B", address1: "x", city: "y", country: "RO", zip_code: "1", phone: "1", email: "a@b.example" });
            assert.deepEqual((await ctx.http.ok("GET", `clients/${c.id}/new_reseller_service_data`)).products, []);
        });

        it("has only 'Default Openstack Product' with private EUR cycles 1 month, 3 months, 1 year", async () => {
            const products = await ctx.http.ok("GET", "billing/products");
            assert.equal(products.count, 1);
            const p = products.objects[0];
            assert.deepEqual([p.id, p.name, p.product_type, p.code, p.status], [SEED_IDS.openstackProduct, "Default Openstack Product", "openstack", "default_openstack", "private"]);
            const cycles = await ctx.http.ok("GET", "billing/productcycles");
            assert.deepEqual(
                cycles.objects.map((c: { id: number; cycle: string; cycle_multiplier: number; currency: string; status: string; product: number }) => [c.id, c.cycle, c.cycle_multiplier, c.currency, c.status, c.product]),
                [
                    [SEED_IDS.openstackMonthlyCycle, "month", 1, "EUR", "private", SEED_IDS.openstackProduct],
                    [SEED_IDS.openstackQuarterlyCycle, "month", 3, "EUR", "private", SEED_IDS.openstackProduct],
                    [SEED_IDS.openstackYearlyCycle, "year", 1, "EUR", "private", SEED_IDS.openstackProduct],
                ],
            );
        });

        it("a reset keeps the setup the emulator was started with", async () => {
            await ctx.http.ok("POST", "configurations", { name: "extra" });
            assert.equal((await admin(ctx.em, "POST", "reset")).status, 200);
            assert.equal((await ctx.http.ok("GET", "billing/products")).count, 1);
            assert.equal((await ctx.http.ok("GET", "configurations")).count, 1);
        });
    });

    describe("demo: factory plus the operator's Reseller product and currencies", () => {
        const ctx = useEmulator();

        it("adds product 'Reseller' (type reseller) with a monthly and a yearly EUR cycle, and USD, GBP, RON", async () => {
            const products = await ctx.http.ok("GET", "billing/products");
            const byCode = Object.fromEntries(products.objects.map((p: { code: string }) => [p.code, p]));
            assert.deepEqual(Object.keys(byCode).sort(), ["default_openstack", "reseller"]);
            const reseller = byCode.reseller;
            assert.deepEqual([reseller.id, reseller.name, reseller.product_type], [SEED_IDS.resellerProduct, "Reseller", "reseller"]);
            assert.deepEqual(
                reseller.cycles.map((c: { id: number; cycle: string; cycle_multiplier: number; currency: string }) => [c.id, c.cycle, c.cycle_multiplier, c.currency]),
                [
                    [SEED_IDS.resellerMonthlyCycle, "month", 1, "EUR"],
                    [SEED_IDS.resellerYearlyCycle, "year", 1, "EUR"],
                ],
            );
            const currencies = (await ctx.http.ok("GET", "openstack/billing/plan/create_options")).currencies.map((c: { code: string }) => c.code);
            assert.deepEqual(currencies.sort(), ["EUR", "GBP", "RON", "USD"]);
        });

        it("billing/products and billing/productcycles ignore `filtering`: every object comes back", async () => {
            const all = await ctx.http.ok("GET", "billing/products");
            for (const q of ["filtering=product_type:reseller", "filtering=bogus:1", "product_type=reseller"]) {
                const r = await ctx.http.get(`billing/products?${q}`);
                assert.equal(r.status, 200, q);
                assert.equal(r.body.count, all.count, q);
            }
            const cycles = await ctx.http.ok("GET", "billing/productcycles");
            const filtered = await ctx.http.get(`billing/productcycles?filtering=product:${SEED_IDS.resellerProduct}`);
            assert.deepEqual([filtered.status, filtered.body.count], [200, cycles.count]);
            assert.equal(cycles.count, 5);
        });
    });

    it("refuses an unknown setup name", async () => {
        await assert.rejects(startEmulator({ setup: "custom" as never }), /setup must be one of factory, demo/);
    });

    it("clients?external_billing_id= and search on clients work", async () => {
        const em = await startEmulator({ setup: "factory" });
        try {
            const http = new Http(em);
            const body = { first_name: "Zora", last_name: "Q", address1: "x", city: "y", country: "RO", zip_code: "1", phone: "1", email: "z@q.example" };
            const a = await http.ok("POST", "clients", { ...body, external_billing_id: "ext-a" });
            await http.ok("POST", "clients", { ...body, first_name: "Other", external_billing_id: "ext-b" });
            assert.deepEqual((await http.ok("GET", "clients?external_billing_id=ext-a")).objects.map((o: { id: number }) => o.id), [a.id]);
            assert.deepEqual((await http.ok("GET", "clients?search=zora")).objects.map((o: { id: number }) => o.id), [a.id]);
        } finally {
            await em.close();
        }
    });
});
