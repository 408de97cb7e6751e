import { z } from "zod";
import { trimPlaces } from "../decimal";
import { bool, char, choice, decimal, integer, json, list, nested, object, pk } from "./drf";

/**
 * PriceRuleSerializer with its nested PricingSerializer, PriceRuleConditionSerializer
 * and PriceRuleModifierSerializer (fleiostaff/osbilling/serializers.py).
 */

export const TIME_UNITS = ["s", "m", "h", "bc", "d"] as const;
export const ATTRIBUTE_UNITS = ["u", "b", "k", "m", "g", "t", "p"] as const;
export const NUMBER_OPERATORS = ["lt", "le", "gt", "ge"] as const;
export const STRING_OPERATORS = ["eq", "ne", "in", "ni"] as const;
const OPERATORS = [...NUMBER_OPERATORS, ...STRING_OPERATORS];

/**
 * Tier bounds and prices are DecimalField(16, 6). They are kept with at least 4
 * places ("0.0100"), more only when the value needs them.
 */
const tierDecimal = () => decimal(16, 6).transform((v) => (typeof v === "string" ? trimPlaces(v, 4) : v));

export const pricingSchema = object({
    prices: list(object({ f: tierDecimal(), p: tierDecimal() })),
    attribute: char({ required: false, allowNull: true, allowBlank: true, maxLength: 255 }),
    attribute_unit: choice(ATTRIBUTE_UNITS, { required: false, allowNull: true, allowBlank: true }),
    time_unit: choice(TIME_UNITS, { required: false, allowNull: true, allowBlank: true }),
});

const conditionShape = {
    name: char({ required: false, maxLength: 128 }),
    attribute: char({ maxLength: 128 }),
    attribute_unit: choice(ATTRIBUTE_UNITS, { required: false, allowNull: true, allowBlank: true }),
    operator: choice(OPERATORS, { required: false }),
    value: json(),
};

export const conditionSchema = object(conditionShape);

export const modifierSchema = object({
    ...conditionShape,
    price: decimal(12, 4),
    time_unit: choice(TIME_UNITS),
    price_is_percent: bool({ required: false }),
});

/** `partial` for PATCH: nothing is required. */
export const ruleSchema = (partial: boolean) =>
    object({
        display_name: char({ maxLength: 255, required: !partial }),
        plan: pk({ required: !partial }),
        resource: pk({ required: !partial }),
        priority: integer({ required: false, min: -2147483648, max: 2147483647 }),
        pricing: nested(pricingSchema, {
            required: !partial,
            after: (v) => {
                const prices = Array.isArray(v.prices) ? v.prices : [];
                return new Set(prices.map((t) => t.f)).size < prices.length ? "Multiple From values" : undefined;
            },
        }),
        conditions: list(conditionSchema, { required: false }),
        modifiers: list(modifierSchema, { required: false }),
    });

export type RuleInput = z.output<ReturnType<typeof ruleSchema>>;
