import { EmulatorContext } from "../context";
import { requestTerminate, resumeService } from "../domain/services";
import { forbidden } from "../errors";
import { ListSpec, applyList } from "../listing";
import { Db, Product, ProductCycle, Service } from "../model";
import { paginate } from "../pagination";
import { cycleFull, productFull, serviceDetail } from "../serializers/billing";
import { findOr404, idParam } from "./lookup";
import { ApiRequest, ApiRouter, ok } from "./registry";

/** Staff billing: products, product cycles and services (with the terminate action). */

const productList: ListSpec<Product> = {
    fields: {
        id: { kind: "int", get: (p) => p.id },
        name: { kind: "str", get: (p) => p.name },
        code: { kind: "str", get: (p) => p.code },
        description: { kind: "str", get: (p) => p.description },
        product_type: { kind: "str", get: (p) => p.product_type },
        status: { kind: "str", get: (p) => p.status },
        price_model: { kind: "str", get: (p) => p.price_model },
    },
    search: [(p) => p.name, (p) => p.description, (p) => p.code, (p) => p.status, (p) => p.price_model],
    ordering: { name: (p) => p.name, description: (p) => p.description, code: (p) => p.code, status: (p) => p.status, price_model: (p) => p.price_model },
    defaultOrdering: ["name"],
    // AdminProductViewSet's filter_fields: there is no product_type filter, and no CustomFilter (`filtering` is ignored).
    filters: {
        name: { kind: "str", test: (p, v) => p.name === v },
        description: { kind: "str", test: (p, v) => p.description === v },
        code: { kind: "str", test: (p, v) => p.code === v },
        status: { kind: "str", test: (p, v) => p.status === v },
        price_model: { kind: "str", test: (p, v) => p.price_model === v },
    },
    ignoreFiltering: true,
};

const cycleList: ListSpec<ProductCycle> = {
    fields: {
        id: { kind: "int", get: (c) => c.id },
        product: { kind: "fk", get: (c) => c.product },
        cycle: { kind: "str", get: (c) => c.cycle },
        cycle_multiplier: { kind: "int", get: (c) => c.cycle_multiplier },
        currency: { kind: "str", get: (c) => c.currency },
        status: { kind: "str", get: (c) => c.status },
        fixed_price: { kind: "decimal", get: (c) => c.fixed_price },
    },
    // StaffProductCycleViewSet has no filter backend at all: every cycle comes back, ordered by id.
    ignoreFiltering: true,
    ignoreSearch: true,
};

const serviceList = (db: Db): ListSpec<Service> => ({
    fields: {
        id: { kind: "int", get: (s) => s.id },
        client: { kind: "fk", get: (s) => s.client },
        client__external_billing_id: { kind: "str", get: (s) => db.clients.find((c) => c.id === s.client)?.external_billing_id ?? null },
        product: { kind: "fk", get: (s) => s.product },
        product__product_type: { kind: "str", get: (s) => db.products.find((p) => p.id === s.product)?.product_type ?? null },
        cycle: { kind: "fk", get: (s) => s.cycle },
        status: { kind: "str", get: (s) => s.status },
        display_name: { kind: "str", get: (s) => s.display_name },
    },
    search: [(s) => s.display_name, (s) => s.id],
    ordering: { created_at: (s) => s.created_at, status: (s) => s.status, display_name: (s) => s.display_name },
    filters: { client: { kind: "int", test: (s, v) => s.client === v } },
});

/** The staff terminate action; its task's effect happens at once (Fleio runs it in the background). */
function terminate(req: ApiRequest, ctx: EmulatorContext) {
    const db = ctx.store.db;
    const service = findOr404(db.services, idParam(req.params.id));
    const out = requestTerminate(db, service);
    if (out.status === 403) throw forbidden(out.detail);
    ctx.store.touch();
    return ok({ detail: out.detail }, out.status);
}

function resume(req: ApiRequest, ctx: EmulatorContext) {
    const db = ctx.store.db;
    const service = findOr404(db.services, idParam(req.params.id));
    const out = resumeService(db, service);
    if (out.status === 403) throw forbidden(out.detail);
    ctx.store.touch();
    return ok({ detail: out.detail });
}

export function billingRoutes(r: ApiRouter): void {
    r.add(["staff"], "GET", "billing/products", (req, ctx) => {
        const db = ctx.store.db;
        return ok(paginate(applyList(db.products, req.query, productList).map((p) => productFull(db, p)), req.query, req.url));
    });
    r.add(["staff"], "GET", "billing/products/:id", (req, ctx) => ok(productFull(ctx.store.db, findOr404(ctx.store.db.products, idParam(req.params.id)))));
    r.add(["staff"], "GET", "billing/productcycles", (req, ctx) => ok(paginate(applyList(ctx.store.db.cycles, req.query, cycleList).map(cycleFull), req.query, req.url)));
    r.add(["staff"], "GET", "billing/productcycles/:id", (req, ctx) => ok(cycleFull(findOr404(ctx.store.db.cycles, idParam(req.params.id)))));
    r.add(["staff"], "GET", "billing/services", (req, ctx) => {
        const db = ctx.store.db;
        return ok(paginate(applyList(db.services, req.query, serviceList(db)).map((s) => serviceDetail(db, s)), req.query, req.url));
    });
    r.add(["staff"], "GET", "billing/services/:id", (req, ctx) => ok(serviceDetail(ctx.store.db, findOr404(ctx.store.db.services, idParam(req.params.id)))));
    r.add(["staff"], "POST", "billing/services/:id/terminate", terminate);
    r.add(["staff"], "POST", "billing/services/:id/resume", resume);
}
