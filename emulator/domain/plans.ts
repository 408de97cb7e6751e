import { badRequest, serverError } from "../errors";
import { Db, PricingPlan } from "../model";

/**
 * Deleting a pricing plan. ResellerResources.plan protects the plan (on_delete
 * PROTECT): while any reseller resources point at it — live or suspended — Django
 * raises ProtectedError and Fleio answers its HTML 500. Otherwise usage records move
 * to the target (none exist here, so the count is 0) and the plan goes with its rules.
 */
export function deletePlan(db: Db, plan: PricingPlan, target: PricingPlan): number {
    const users = db.reseller_resources.filter((rr) => rr.plan === plan.id);
    if (users.length) throw serverError(`ProtectedError: plan ${plan.id} is referenced by reseller resources ${users.map((r) => r.id).join(", ")}`);
    if (plan.is_default && target.reseller_resources === plan.reseller_resources) {
        for (const p of db.plans) if (p.reseller_resources === target.reseller_resources) p.is_default = p === target;
    }
    db.rules = db.rules.filter((r) => r.plan !== plan.id);
    db.plans = db.plans.filter((p) => p.id !== plan.id);
    return 0;
}

/** What a plan update asks for, validated (AdminPricingPlanUpdateSerializer). */
export interface PlanChange {
    name: string;
    /** undefined: not sent. */
    currency: string | null | undefined;
    /** undefined or null: not sent. */
    isDefault: boolean | null | undefined;
    otherDefault?: PricingPlan;
}

/**
 * AdminPricingPlanViewSet.update (S1, fleio 2019.12; shared/fleio-api.md): a plan that
 * becomes the default takes the flag from the others of its scope. Otherwise, when no
 * *other* plan of the scope is default, Fleio refuses with 400 "There must be a default
 * billing plan" unless `other_default` names a plan to become the default. A fresh Fleio
 * has no default staff plan, so there every staff plan update that does not make the
 * plan the default is refused. Then is_default and currency are read unchecked (a
 * missing one is Fleio's 500).
 */
export function updatePlan(db: Db, plan: PricingPlan, change: PlanChange): void {
    const othersDefault = db.plans.filter((p) => p.is_default && p.reseller_resources === plan.reseller_resources && p.id !== plan.id);
    const wantsDefault = change.isDefault === true;
    if (!wantsDefault && !othersDefault.length && !change.otherDefault) throw badRequest("There must be a default billing plan");
    if (change.isDefault === undefined || change.isDefault === null) throw serverError('IntegrityError: null value in column "is_default" (PUT without is_default)');
    // validated_data['currency'] is read unchecked.
    if (change.currency === undefined) throw serverError("KeyError: 'currency'");
    if (!plan.is_default && wantsDefault) for (const p of othersDefault) p.is_default = false;
    else if (!othersDefault.length && !wantsDefault && change.otherDefault) change.otherDefault.is_default = true;
    plan.is_default = change.isDefault;
    plan.name = change.name;
    plan.currency = change.currency;
    // PricingPlan.save(): a default plan takes the flag from the others of its scope.
    if (plan.is_default) for (const p of db.plans) if (p !== plan && p.reseller_resources === plan.reseller_resources) p.is_default = false;
}
