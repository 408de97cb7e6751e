import { Scope } from "../auth";
import { EmulatorContext } from "../context";
import { deletePlan, updatePlan } from "../domain/plans";
import { validation } from "../errors";
import { ListSpec, applyList } from "../listing";
import { Db, PricingPlan } from "../model";
import { paginate } from "../pagination";
import { MISSING, validate } from "../schemas/drf";
import { planCreateSchema, planUpdateSchema } from "../schemas/plan";
import { planOut } from "../serializers/plans";
import { findOr404, idParam, nextId, scopeRr, visibleIn } from "./lookup";
import { ApiRequest, ApiRouter, ok } from "./registry";

/** OpenStack pricing plans: /openstack/billing/plan on the staff and reseller APIs. */

const planList: ListSpec<PricingPlan> = {
    fields: {
        id: { kind: "int", get: (p) => p.id },
        name: { kind: "str", get: (p) => p.name },
        currency: { kind: "str", get: (p) => p.currency },
        currency__code: { kind: "str", get: (p) => p.currency },
        is_default: { kind: "bool", get: (p) => p.is_default },
        reseller_resources: { kind: "fk", get: (p) => p.reseller_resources },
    },
    search: [(p) => p.name, (p) => p.currency],
    ordering: { name: (p) => p.name, currency: (p) => p.currency },
    filters: {
        id: { kind: "int", test: (p, v) => p.id === v },
        is_default: { kind: "bool", test: (p, v) => p.is_default === v },
    },
    // AdminPricingPlanViewSet: Ordering, Search and DjangoFilter backends, no CustomFilter.
    ignoreFiltering: true,
};

const visiblePlans = (db: Db, scope: Scope) => db.plans.filter((p) => visibleIn(scope, p.reseller_resources));

/** PricingPlan.save(): a default plan takes the flag from the others of its reseller scope. */
function saveDefault(db: Db, plan: PricingPlan): void {
    if (plan.is_default) for (const p of db.plans) if (p !== plan && p.reseller_resources === plan.reseller_resources) p.is_default = false;
}

function create(req: ApiRequest, ctx: EmulatorContext) {
    const db = ctx.store.db;
    const data = validate(planCreateSchema(db, req.scope.api === "staff"), req.body);
    let owner = scopeRr(req.scope);
    if (req.scope.api === "staff" && typeof data.reseller_resources === "number") {
        if (!db.reseller_resources.some((r) => r.id === data.reseller_resources))
            throw validation({ reseller_resources: [`Invalid pk "${data.reseller_resources}" - object does not exist.`] });
        owner = data.reseller_resources;
    }
    ctx.store.touch();
    const plan: PricingPlan = {
        id: nextId(db, "plans"),
        name: data.name as string,
        currency: typeof data.currency === "string" ? data.currency : null,
        is_default: data.is_default === true,
        reseller_resources: owner,
    };
    db.plans.push(plan);
    saveDefault(db, plan);
    return ok(planOut(db, plan, req.scope), 201);
}

/** AdminPricingPlanViewSet.update, used for PUT and PATCH alike (it ignores `partial`). */
function update(req: ApiRequest, ctx: EmulatorContext) {
    const db = ctx.store.db;
    const data = validate(planUpdateSchema(db), req.body);
    const plan = findOr404(db.plans, idParam(req.params.id), (p) => visibleIn(req.scope, p.reseller_resources));
    let otherDefault: PricingPlan | undefined;
    if (typeof data.other_default === "number") {
        otherDefault = db.plans.find((p) => p.id === data.other_default);
        if (!otherDefault) throw validation({ other_default: [`Invalid pk "${data.other_default}" - object does not exist.`] });
        if (req.scope.api === "reseller" && otherDefault.reseller_resources !== req.scope.rr.id) throw validation({ other_default: ["Invalid reseller for other default plan."] });
    }
    const isDefault = data.is_default === MISSING ? undefined : (data.is_default as boolean | null);
    const currency = data.currency === MISSING ? undefined : (data.currency as string | null);
    updatePlan(db, plan, { name: data.name as string, currency, isDefault, otherDefault });
    ctx.store.touch();
    return ok({ plan: planOut(db, plan, req.scope) });
}

/** DELETE needs ?plan_to_migrate=<id>; a plan reseller resources still use cannot go (see domain/plans). */
function destroy(req: ApiRequest, ctx: EmulatorContext) {
    const db = ctx.store.db;
    const plan = findOr404(db.plans, idParam(req.params.id), (p) => visibleIn(req.scope, p.reseller_resources));
    const raw = req.query.get("plan_to_migrate");
    const fail = (msg: string) => validation({ plan_to_migrate: [msg] });
    if (raw === undefined) throw fail("This field is required.");
    if (raw === "") throw fail("This field may not be null.");
    if (!/^\d+$/.test(raw)) throw fail("Incorrect type. Expected pk value, received str.");
    const target = db.plans.find((p) => p.id === Number(raw));
    if (!target) throw fail(`Invalid pk "${raw}" - object does not exist.`);
    if (target.id === plan.id) throw fail("Can't migrate to selected plan");
    if (req.scope.api === "reseller" && target.reseller_resources !== plan.reseller_resources) throw fail("Can't migrate to another reseller plan");
    const moved = deletePlan(db, plan, target);
    ctx.store.touch();
    return ok({ detail: `Plan ${plan.name} deleted and ${moved} services migrated to plan ${target.name}` });
}

export function planRoutes(r: ApiRouter): void {
    const both = ["staff", "reseller"] as const;
    const path = "openstack/billing/plan";
    r.add([...both], "GET", path, (req, ctx) => {
        const db = ctx.store.db;
        return ok(paginate(applyList(visiblePlans(db, req.scope), req.query, planList).map((p) => planOut(db, p, req.scope)), req.query, req.url));
    });
    r.add([...both], "POST", path, create);
    r.add([...both], "GET", `${path}/create_options`, (req, ctx) => {
        const db = ctx.store.db;
        return ok({
            currencies: db.currencies.map((c) => ({ ...c })),
            non_default_plans: visiblePlans(db, req.scope)
                .filter((p) => !p.is_default)
                .map((p) => ({ id: p.id, name: p.name })),
        });
    });
    r.add([...both], "GET", `${path}/:id`, (req, ctx) => {
        const db = ctx.store.db;
        return ok(planOut(db, findOr404(db.plans, idParam(req.params.id), (p) => visibleIn(req.scope, p.reseller_resources)), req.scope));
    });
    r.add([...both], "PUT", `${path}/:id`, update);
    r.add([...both], "PATCH", `${path}/:id`, update);
    r.add([...both], "DELETE", `${path}/:id`, destroy);
}
