import type { z } from "zod";
import type { Check } from "./check";
import { attempt, conformingItems } from "../probe";
import { product, productCycle } from "../shapes";

type Product = z.output<typeof product>;
type Cycle = z.output<typeof productCycle>;

const FIX = "create a product of type reseller with a cycle in Fleio before onboarding (Billing → Products → Create, type Reseller, then add a cycle, e.g. 1 month in your currency)";

/**
 * Products and cycles parse as the provider reads them, and a reseller product with
 * at least one cycle exists: a ResellerService cannot be ordered without one.
 */
export const products: Check = {
    name: "products",
    staffOnly: true,
    async run(p) {
        const all = await attempt(p, "shape:products", async () => conformingItems<Product>(p, "shape:products", "billing/products", product, await p.list("billing/products")));
        const cycles = await attempt(p, "shape:productcycles", async () => conformingItems<Cycle>(p, "shape:productcycles", "billing/productcycles", productCycle, await p.list("billing/productcycles")));
        if (!all || !cycles) return;
        if (!p.results.some((r) => r.check === "shape:products" && r.status === "FAIL"))
            p.pass("shape:products", `${all.length} ${all.length === 1 ? "product parses" : "products parse"} (id, name, product_type); types: ${[...new Set(all.map((x) => x.product_type))].join(", ") || "none"}`);
        if (!p.results.some((r) => r.check === "shape:productcycles" && r.status === "FAIL"))
            p.pass("shape:productcycles", `${cycles.length} ${cycles.length === 1 ? "cycle parses" : "cycles parse"} (product, cycle, cycle_multiplier, currency)`);

        // The product's own type decides, never a server-side filter (Fleio 2019.12 ignores `filtering` here).
        const resellers = all.filter((x) => x.product_type === "reseller");
        if (!resellers.length) {
            p.warn("reseller-product", `no product of type "reseller" in Fleio: ${FIX}`);
            return;
        }
        const described = resellers.map((r) => {
            const own = cycles.filter((c) => c.product === r.id);
            return { r, own, text: `"${r.name}" (id ${r.id}): ${own.map((c) => `${c.cycle_multiplier} ${c.cycle} ${c.currency} (cycle ${c.id})`).join(", ") || "no cycle"}` };
        });
        const usable = described.find((d) => d.own.length > 0);
        if (!usable) {
            p.warn("reseller-product", `reseller products without any cycle: ${described.map((d) => d.text).join("; ")}; ${FIX}`);
            return;
        }
        p.facts.resellerProduct = { id: usable.r.id, name: usable.r.name, cycles: usable.own };
        p.pass("reseller-product", described.map((d) => d.text).join("; "));
    },
};
