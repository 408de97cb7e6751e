import { EmulatorContext } from "../context";
import { createResellerService, liveResellerResourcesOf } from "../domain/reseller";
import { newService } from "../domain/services";
import { forbidden, notFound, serverError } from "../errors";
import { Db } from "../model";
import { integer, object, validate } from "../schemas/drf";
import { productForOrder, resellerResources, serviceBrief } from "../serializers/billing";
import { findOr404, idParam, nextId } from "./lookup";
import { ApiRequest, ApiRouter, ok } from "./registry";

/**
 * The reseller-service actions of StaffClientViewSet. These views read
 * `request.data[...]` directly and do not check that the service belongs to the
 * client in the URL; both quirks are Fleio's and are kept.
 */

const createServiceSchema = object({ product_id: integer(), product_cycle_id: integer() });

/** `request.data['key']`: a KeyError (HTTP 500) when the key is missing. */
function requiredKey(body: unknown, key: string): unknown {
    if (typeof body !== "object" || body === null || Array.isArray(body) || !(key in body)) throw serverError(`KeyError: '${key}'`);
    return (body as Record<string, unknown>)[key];
}

/** `Model.objects.get(id=value)`: None finds nothing, a non-number is a ValueError (500). */
function lookupId(value: unknown, what: string): number | undefined {
    if (value === null) return undefined;
    if (typeof value === "number" && Number.isInteger(value)) return value;
    if (typeof value === "string" && /^\s*\d+\s*$/.test(value)) return parseInt(value, 10);
    throw serverError(`ValueError: invalid ${what} id ${JSON.stringify(value)}`);
}

function resellerServices(req: ApiRequest, ctx: EmulatorContext) {
    const db = ctx.store.db;
    const client = findOr404(db.clients, idParam(req.params.id));
    const services = db.services.filter(
        (s) => s.client === client.id && db.products.find((p) => p.id === s.product)?.product_type === "reseller" && db.reseller_resources.some((rr) => rr.service === s.id),
    );
    const resources: Record<string, ReturnType<typeof resellerResources>> = {};
    for (const s of services) resources[String(s.id)] = resellerResources(db, db.reseller_resources.find((rr) => rr.service === s.id)!);
    return ok({ services: services.map((s) => serviceBrief(db, s)), resources });
}

function createResellerServiceAction(req: ApiRequest, ctx: EmulatorContext) {
    const db = ctx.store.db;
    const data = validate(createServiceSchema, req.body);
    const client = findOr404(db.clients, idParam(req.params.id));
    if (liveResellerResourcesOf(db, client.id)) throw forbidden("Client already has a reseller service");
    const product = db.products.find((p) => p.id === data.product_id);
    if (!product) throw serverError(`Product.DoesNotExist: no product ${String(data.product_id)}`);
    const cycle = db.cycles.find((c) => c.id === data.product_cycle_id && c.product === product.id);
    if (!cycle) throw serverError(`IndexError: product ${product.id} has no cycle ${String(data.product_cycle_id)}`);
    ctx.store.touch();
    createResellerService(db, client, product, cycle, () => newService(db, nextId(db, "services"), client.id, product.id, cycle.id, "Reseller service").id);
    return ok({ detail: "Ok" });
}

/** The reseller resources of a service, or Fleio's RelatedObjectDoesNotExist (500). */
function resourcesOfService(db: Db, serviceId: number) {
    const rr = db.reseller_resources.find((r) => r.service === serviceId);
    if (!rr) throw serverError(`RelatedObjectDoesNotExist: Service ${serviceId} has no reseller_resources`);
    return rr;
}

function updateBillingPlan(req: ApiRequest, ctx: EmulatorContext) {
    const db = ctx.store.db;
    findOr404(db.clients, idParam(req.params.id));
    const planId = lookupId(requiredKey(req.body, "plan"), "plan");
    const serviceId = lookupId(requiredKey(req.body, "service"), "service");
    const plan = db.plans.find((p) => p.id === planId);
    if (!plan) throw notFound("Plan not found");
    const service = db.services.find((s) => s.id === serviceId);
    if (!service) throw notFound("Service not found");
    const rr = resourcesOfService(db, service.id);
    ctx.store.touch();
    rr.plan = plan.id;
    return ok({ detail: "Plan updated" });
}

function updateEnduserPanelUrl(req: ApiRequest, ctx: EmulatorContext) {
    const db = ctx.store.db;
    findOr404(db.clients, idParam(req.params.id));
    const url = requiredKey(req.body, "enduser_panel_url");
    const serviceId = lookupId(requiredKey(req.body, "service"), "service");
    const service = db.services.find((s) => s.id === serviceId);
    if (!service) throw notFound("Service not found");
    const rr = resourcesOfService(db, service.id);
    ctx.store.touch();
    // Assigned and saved without model validation: whatever was sent is stored (as text).
    rr.enduser_panel_url = url === null ? null : typeof url === "string" ? url : JSON.stringify(url);
    return ok({ detail: "Enduser panel url updated" });
}

export function resellerServiceRoutes(r: ApiRouter): void {
    r.add(["staff"], "GET", "clients/:id/reseller_services", resellerServices);
    r.add(["staff"], "POST", "clients/:id/create_reseller_service", createResellerServiceAction);
    r.add(["staff"], "GET", "clients/:id/new_reseller_service_data", (req, ctx) => {
        const db = ctx.store.db;
        findOr404(db.clients, idParam(req.params.id));
        return ok({ products: db.products.filter((p) => p.product_type === "reseller").map((p) => productForOrder(db, p)) });
    });
    r.add(["staff"], "POST", "clients/:id/update_reseller_billing_plan", updateBillingPlan);
    r.add(["staff"], "POST", "clients/:id/update_reseller_enduser_panel_url", updateEnduserPanelUrl);
}

