/**
 * DRF's DecimalField for money: accepts a JSON number or a numeric string, checks
 * digits the way DRF's validate_precision does, and keeps the value as a string
 * with a fixed number of places — Fleio renders decimals as strings such as "0.0100".
 */

export type DecimalResult = { ok: true; value: string } | { ok: false; error: string };

const NUMERIC = /^([+-]?)(\d*)(?:\.(\d*))?(?:[eE]([+-]?\d+))?$/;

export function parseDecimal(input: unknown, maxDigits: number, places: number): DecimalResult {
    if (typeof input !== "number" && typeof input !== "string") return { ok: false, error: "A valid number is required." };
    const text = String(input).trim();
    const m = NUMERIC.exec(text);
    if (!m || (!m[2] && !m[3])) return { ok: false, error: "A valid number is required." };
    const [, sign, whole = "", frac = "", exp = "0"] = m;
    // Decimal.as_tuple(): digits without leading zeros, exponent of the last digit.
    let digits = (whole + frac).replace(/^0+/, "");
    const exponent = parseInt(exp, 10) - frac.length;
    if (!digits) digits = "0";
    let total: number;
    let decimals: number;
    if (exponent >= 0) {
        total = digits.length + exponent;
        decimals = 0;
    } else if (digits.length > -exponent) {
        total = digits.length;
        decimals = -exponent;
    } else {
        total = -exponent;
        decimals = total;
    }
    const wholeDigits = total - decimals;
    if (total > maxDigits) return { ok: false, error: `Ensure that there are no more than ${maxDigits} digits in total.` };
    if (decimals > places) return { ok: false, error: `Ensure that there are no more than ${places} decimal places.` };
    if (wholeDigits > maxDigits - places) return { ok: false, error: `Ensure that there are no more than ${maxDigits - places} digits before the decimal point.` };
    // Exact rescale to `places` decimals with BigInt, so no float rounding creeps in.
    const scaled = BigInt(digits) * 10n ** BigInt(exponent + places);
    return { ok: true, value: formatScaled(sign === "-" ? -scaled : scaled, places) };
}

function formatScaled(n: bigint, places: number): string {
    const neg = n < 0n;
    const s = (neg ? -n : n).toString().padStart(places + 1, "0");
    const out = places ? `${s.slice(0, -places)}.${s.slice(-places)}` : s;
    return neg && /[1-9]/.test(out) ? `-${out}` : out;
}

/** "0.010000" → "0.0100": drops trailing zeros, but keeps at least `min` places. */
export function trimPlaces(value: string, min: number): string {
    const [whole, frac = ""] = value.split(".");
    let f = frac;
    while (f.length > min && f.endsWith("0")) f = f.slice(0, -1);
    return f ? `${whole}.${f}` : whole;
}
