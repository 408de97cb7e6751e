import type { ProviderContext } from "../context";
import { remember } from "../context";

/**
 * Fleio's product catalogue and staff plans, read once per provider process.
 *
 * Fleio 2019.12 ignores `filtering` on products, product cycles and plans (fleio-api.md,
 * Observed): every list comes back whole, so every choice here is made on the objects'
 * own fields, never on what the server was asked to filter.
 */

export interface ApiProduct {
    id: number;
    name: string;
    product_type: string;
}
export interface ApiCycle {
    id: number;
    product: number;
    cycle: string;
    cycle_multiplier: number;
    currency: string;
    status?: string;
}

export const products = (ctx: ProviderContext) => remember(ctx, "billing/products", () => ctx.api.list<ApiProduct>("billing/products"));
export const productCycles = (ctx: ProviderContext) => remember(ctx, "billing/productcycles", () => ctx.api.list<ApiCycle>("billing/productcycles"));

const describe = (p: ApiProduct) => `${p.name} (id ${p.id}, type ${p.product_type})`;

/**
 * The reseller product, by id or name. Fleio's create_reseller_service accepts any
 * product and then makes no reseller resources for a non-reseller one, so the type is
 * checked here, before anything is ordered.
 */
export async function resellerProduct(ctx: ProviderContext, by: { productId?: string; productName?: string }): Promise<ApiProduct> {
    const all = await products(ctx);
    const resellers = all.filter((p) => p.product_type === "reseller");
    const known = resellers.map(describe).join(", ") || 'none: create a product of type "reseller" with a cycle in Fleio first';
    if (by.productId) {
        const hit = all.find((p) => String(p.id) === by.productId);
        if (!hit) throw new Error(`there is no product ${by.productId} in Fleio; reseller products: ${known}`);
        if (hit.product_type !== "reseller")
            throw new Error(`product ${describe(hit)} is not a reseller product, and Fleio would order it without reseller resources; reseller products: ${known}`);
        return hit;
    }
    const name = (by.productName ?? "").toLowerCase();
    const hits = resellers.filter((p) => p.name.toLowerCase() === name);
    if (hits.length === 1) return hits[0];
    if (hits.length > 1) throw new Error(`several reseller products are named "${by.productName}" (${hits.map(describe).join(", ")}); set productId`);
    const other = all.find((p) => p.name.toLowerCase() === name);
    if (other) throw new Error(`product ${describe(other)} is not a reseller product; reseller products: ${known}`);
    throw new Error(`no reseller product named "${by.productName}"; reseller products: ${known}`);
}

export interface CycleWanted {
    productCycleId?: string;
    cycle?: string;
    cycleMultiplier?: number;
    cycleCurrency?: string;
}

/** One cycle of that product: by id, or by period, multiplier and (where needed) currency. */
export async function productCycle(ctx: ProviderContext, product: ApiProduct, want: CycleWanted): Promise<ApiCycle> {
    const own = (await productCycles(ctx)).filter((c) => c.product === product.id);
    const list = own.map((c) => `${c.cycle_multiplier} ${c.cycle} ${c.currency} (id ${c.id})`).join(", ") || "none";
    if (want.productCycleId) {
        const hit = own.find((c) => String(c.id) === want.productCycleId);
        if (!hit) throw new Error(`product ${describe(product)} has no cycle ${want.productCycleId}; its cycles: ${list}`);
        return hit;
    }
    const period = want.cycle ?? "month";
    const multiplier = want.cycleMultiplier ?? 1;
    const hits = own.filter((c) => c.cycle === period && c.cycle_multiplier === multiplier && (!want.cycleCurrency || c.currency === want.cycleCurrency));
    const asked = `${multiplier} ${period}${want.cycleCurrency ? ` ${want.cycleCurrency}` : ""}`;
    if (hits.length === 1) return hits[0];
    if (hits.length > 1) throw new Error(`several cycles of product ${describe(product)} match ${asked}: ${list}; set cycleCurrency or productCycleId`);
    throw new Error(`no cycle of product ${describe(product)} matches ${asked}; its cycles: ${list}`);
}
