/**
 * Exact decimal arithmetic for prices. Fleio answers prices as JSON numbers (0.05,
 * 1e-05) or strings ("0.0200"); a markup computed in binary floating point can be
 * off by one in the last place (0.07 × 1.1 = 0.07700000000000001), which would show
 * as a price change on every preview. Values are scaled BigInts instead.
 */

import { parseDecimal } from "../provider/validation/decimal";

/** Decimal places Fleio keeps for a modifier's price (DecimalField(12, 4)). */
export const FLEIO_PRICE_PLACES = 4;
/** Decimal places Fleio keeps for a tier's price (DecimalField(16, 6)). */
export const FLEIO_TIER_PRICE_PLACES = 6;

interface Scaled {
    /** the value × 10^places */
    units: bigint;
    places: number;
}

/** A price as an exact decimal, read by the provider's one decimal parser (1e-05 is exactly 0.00001). */
function parse(value: string | number, what: string): Scaled {
    const parts = typeof value === "number" && !Number.isFinite(value) ? undefined : parseDecimal(String(value));
    if (!parts) throw new Error(`${what} must be a decimal number such as "0.05", got ${JSON.stringify(value)}`);
    const units = BigInt(parts.int + parts.frac);
    return { units: parts.negative ? -units : units, places: parts.frac.length };
}

/** Divides rounding half away from zero, as Python's ROUND_HALF_UP does for Decimal. */
function divRound(n: bigint, d: bigint): bigint {
    const q = n / d;
    const r = n % d;
    if (r === 0n) return q;
    const up = 2n * (r < 0n ? -r : r) >= d;
    if (!up) return q;
    return n < 0n ? q - 1n : q + 1n;
}

function format(units: bigint, places: number): string {
    const negative = units < 0n;
    const digits = (negative ? -units : units).toString().padStart(places + 1, "0");
    const int = digits.slice(0, digits.length - places);
    const frac = digits.slice(digits.length - places).replace(/0+$/, "");
    const text = frac ? `${int}.${frac}` : int;
    return negative && text !== "0" ? `-${text}` : text;
}

/**
 * `price` raised by `percent` (25 → ×1.25; 12.5 and -10 work too), rounded half up to
 * `places` decimals, in canonical form (no trailing zeros: "0.025", "10").
 */
export function raiseByPercent(price: string | number, percent: string | number, places = FLEIO_PRICE_PLACES): string {
    const p = parse(price, "price");
    const m = parse(percent, "markupPercent");
    // price × (100 + percent) / 100, all as integers scaled by their own places.
    const factor = m.units + 100n * 10n ** BigInt(m.places);
    const product = p.units * factor;
    const scale = p.places + m.places + 2;
    const target = scale > places ? divRound(product, 10n ** BigInt(scale - places)) : product * 10n ** BigInt(places - scale);
    return format(target, places);
}

/** A price in canonical decimal text, exactly (1e-05 → "0.00001", "0.0200" → "0.02"). */
export function exactDecimal(value: string | number): string {
    const p = parse(value, "price");
    return format(p.units, p.places);
}
