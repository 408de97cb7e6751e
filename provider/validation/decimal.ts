import { z } from "zod";
import { got } from "./echo";

/**
 * Decimals as Fleio stores them, kept as exact text end to end: never through a
 * float, so "0.000001" is sent as written and 1e-05 read back equals "0.00001".
 */

/** A decimal's parts, exponent already applied: int without leading zeros, frac without trailing ones. */
export interface DecimalParts {
    negative: boolean;
    int: string;
    frac: string;
}

// Exponents beyond 4 digits are no price anyone means, and would build huge strings.
const NUMERIC = /^([+-]?)(\d*)(?:\.(\d*))?(?:[eE]([+-]?\d{1,4}))?$/;

/** Parses "12.50", "1e-05", "1.5E+3", "-0" exactly; undefined for anything else. */
export function parseDecimal(text: string): DecimalParts | undefined {
    const m = NUMERIC.exec(text.trim());
    if (!m || (!m[2] && !m[3])) return undefined;
    const [, sign, whole = "", fraction = "", exp = "0"] = m;
    const digits = whole + fraction;
    const point = whole.length + parseInt(exp, 10);
    let int: string;
    let frac: string;
    if (point <= 0) {
        int = "";
        frac = "0".repeat(-point) + digits;
    } else if (point >= digits.length) {
        int = digits + "0".repeat(point - digits.length);
        frac = "";
    } else {
        int = digits.slice(0, point);
        frac = digits.slice(point);
    }
    int = int.replace(/^0+/, "") || "0";
    frac = frac.replace(/0+$/, "");
    return { negative: sign === "-" && (int !== "0" || frac !== ""), int, frac };
}

const format = (p: DecimalParts) => `${p.negative ? "-" : ""}${p.int}${p.frac ? `.${p.frac}` : ""}`;

/**
 * One text form per value, so 1.5, "1.50", "1.5000" and 1.5e0 never show up as a
 * change. Numbers are read through String(), whose digits are the shortest that give
 * the number back: what Fleio wrote (1e-05) and what a program wrote (0.00001) alike.
 */
export function canonicalDecimal(value: string | number): string {
    const parts = parseDecimal(String(value));
    return parts ? format(parts) : String(value).trim();
}

/** Orders canonical decimals exactly (Number() would tie 16-digit values). */
export function compareDecimal(a: string, b: string): number {
    const pa = parseDecimal(a);
    const pb = parseDecimal(b);
    if (!pa || !pb) return a < b ? -1 : a > b ? 1 : 0;
    const places = Math.max(pa.frac.length, pb.frac.length);
    const scaled = (p: DecimalParts) => BigInt(`${p.negative ? "-" : ""}${p.int}${p.frac.padEnd(places, "0")}`);
    const d = scaled(pa) - scaled(pb);
    return d < 0n ? -1 : d > 0n ? 1 : 0;
}

/** What Fleio's DecimalField(max_digits, decimal_places) holds, and what it is called in messages. */
export interface DecimalLimit {
    maxDigits: number;
    places: number;
    /** e.g. "tier prices" in "Fleio stores tier prices as decimal(16,6)" */
    stores: string;
}

/** PricingSerializer's tier fields `f` and `p`: DecimalField(max_digits=16, decimal_places=6). */
export const TIER_DECIMAL: DecimalLimit = { maxDigits: 16, places: 6, stores: "tier starts and prices" };
/** PriceRuleModifierSerializer.price and PricingRuleModifier.price: decimal(12,4). */
export const MODIFIER_DECIMAL: DecimalLimit = { maxDigits: 12, places: 4, stores: "modifier prices" };

/**
 * A decimal within `limit`, as canonical text. Non-negative unless `signed`: Fleio's
 * DecimalFields have no lower bound, so where Fleio may hold a negative value (a price
 * rule's tiers and modifiers) the provider takes it too, and warns where it is odd.
 */
export const decimal = (what: string, limit: DecimalLimit, signed = false) =>
    z
        .union([z.number(), z.string()], { error: `is required: give ${what} as a number or a numeric string such as "0.05"` })
        .transform((v, ctx) => {
            const fail = (message: string) => {
                ctx.addIssue({ code: "custom", message });
                return z.NEVER;
            };
            // String(1e-11) is "1e-11": the number the program wrote, not a rounded 0.
            const parts = typeof v === "number" && !Number.isFinite(v) ? undefined : parseDecimal(String(v));
            if (!parts) return fail(`must be a number${signed ? "" : " ≥ 0"} such as "0.05"${got(v)}`);
            if (parts.negative && !signed) return fail(`must be 0 or more${got(v)}`);
            const stored = `Fleio stores ${limit.stores} as decimal(${limit.maxDigits},${limit.places})`;
            if (parts.frac.length > limit.places) {
                const hint = typeof v === "number" ? "; write it as a string to keep exact digits" : "";
                return fail(`must have at most ${limit.places} decimal places: ${stored}${hint}${got(v)}`);
            }
            const wholeDigits = limit.maxDigits - limit.places;
            if (parts.int !== "0" && parts.int.length > wholeDigits) return fail(`must have at most ${wholeDigits} digits before the decimal point: ${stored}${got(v)}`);
            return format(parts);
        });
