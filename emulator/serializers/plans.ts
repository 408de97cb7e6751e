import { Scope } from "../auth";
import { Db, PricingPlan, PricingRule } from "../model";
import { clientBrief } from "./clients";
import { resellerClientOf } from "../domain/reseller";

/** PricingPlanSerializer (staff) / ResellerPricingPlanSerializer, and PriceRuleMinSerializer inside them. */

const VALUE_UNIT: Record<string, string> = { b: "B", k: "KB", m: "MB", g: "GB", t: "TB", p: "PB" };
const TIME_UNIT: Record<string, string> = { s: "s", m: "min", h: "h", d: "day", bc: "bc" };

/** fleio.osbilling.models.get_display_unit: e.g. "GBh", or just "H" without a value unit. */
export function displayUnit(valueUnit: string | null | undefined, timeUnit: string | null | undefined): string {
    const time = (timeUnit && TIME_UNIT[timeUnit]) || "Time";
    const value = valueUnit ? VALUE_UNIT[valueUnit] : undefined;
    return value ? `${value}${time}` : time.charAt(0).toUpperCase() + time.slice(1);
}

/** PricingRule.get_pricing_def(): tiers sorted by `f`, each with its upper bound `t` (0 = no bound). */
export function tieredPrice(rule: PricingRule) {
    const tiers = [...rule.pricing.prices].sort((a, b) => Number(a.f) - Number(b.f));
    return tiers.map((t, i) => ({ f: Number(t.f), p: Number(t.p), t: i + 1 < tiers.length ? Number(tiers[i + 1].f) : 0 }));
}

export function ruleMin(db: Db, rule: PricingRule) {
    const resource = db.billing_resources.find((r) => r.id === rule.resource);
    const prices = rule.pricing.prices;
    return {
        id: rule.id,
        display_name: rule.display_name,
        resource_type: resource?.type ?? null,
        priority: rule.priority,
        resource_name: resource?.display_name ?? null,
        // PricingRule.price: the price of a single tier, 0 without tiers, None with several.
        price: prices.length === 1 ? Number(prices[0].p) : prices.length === 0 ? 0 : null,
        pricing_attribute: rule.pricing.attribute ?? null,
        display_unit: displayUnit(rule.pricing.attribute_unit ?? resource?.display_name, rule.pricing.time_unit ?? "bc"),
        modifiers_count: rule.modifiers.length,
        tiered_price: tieredPrice(rule),
    };
}

/** services_count: reseller services whose reseller resources use the plan. [our inference: Fleio counts usage records] */
const servicesCount = (db: Db, plan: PricingPlan): number => db.reseller_resources.filter((rr) => rr.plan === plan.id).length;

export function planOut(db: Db, plan: PricingPlan, scope: Scope) {
    const base = {
        id: plan.id,
        pricing_rules: db.rules.filter((r) => r.plan === plan.id).map((r) => ruleMin(db, r)),
        services_count: servicesCount(db, plan),
    };
    // The reseller serializer hides reseller_resources (HiddenField) and has no reseller_client.
    if (scope.api === "reseller") return { ...base, name: plan.name, currency: plan.currency, is_default: plan.is_default };
    const owner = resellerClientOf(db, plan.reseller_resources);
    return {
        ...base,
        reseller_client: owner ? clientBrief(db, owner) : null,
        name: plan.name,
        currency: plan.currency,
        is_default: plan.is_default,
        reseller_resources: plan.reseller_resources,
    };
}
