import { PricingRule } from "../model";

/** PriceRuleSerializer: the rule with its pricing JSON and nested conditions and modifiers. */
export function ruleOut(rule: PricingRule) {
    return {
        id: rule.id,
        conditions: rule.conditions.map((c) => ({ ...c })),
        modifiers: rule.modifiers.map((m) => ({ ...m })),
        pricing: { ...rule.pricing, prices: rule.pricing.prices.map((t) => ({ ...t })) },
        display_name: rule.display_name,
        priority: rule.priority,
        plan: rule.plan,
        resource: rule.resource,
    };
}
