import { PricingRule } from "../model";

/**
 * PriceRuleSerializer: the rule with its pricing JSON and nested conditions and
 * modifiers. Fleio stores `pricing` as JSON and renders decimals as JSON numbers
 * (0.05, 1e-05), so do we; the store keeps the exact decimal text.
 */
export function ruleOut(rule: PricingRule) {
    return {
        id: rule.id,
        conditions: rule.conditions.map((c) => ({ ...c })),
        modifiers: rule.modifiers.map((m) => ({ ...m, price: Number(m.price) })),
        pricing: { ...rule.pricing, prices: rule.pricing.prices.map((t) => ({ f: Number(t.f), p: Number(t.p) })) },
        display_name: rule.display_name,
        priority: rule.priority,
        plan: rule.plan,
        resource: rule.resource,
    };
}
