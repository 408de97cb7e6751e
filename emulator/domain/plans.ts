import { serverError } from "../errors";
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
