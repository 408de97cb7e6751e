import { z } from "zod";
import { got } from "./echo";

/**
 * Fleio ids. Client, product and service ids are random BigIntegerField primary keys
 * (fleio/core/models/models.py Client, fleio/billing/models/{product,service}.py:
 * `BigIntegerField(default=RandomId(...), primary_key=True)`), so 1 .. 2^63-1; plans,
 * pricing rules, billing resources, product cycles and configurations use Django's
 * default AutoField, a 32-bit integer: 1 .. 2^31-1. Ids stay strings end to end: a
 * JavaScript number loses digits above 2^53.
 */
export type IdSize = "int" | "bigint";
const MAX: Record<IdSize, bigint> = { int: 2n ** 31n - 1n, bigint: 2n ** 63n - 1n };

/** The id of a Fleio `what` (e.g. "plan"), as its canonical digits. */
export const fleioId = (what: string, size: IdSize) => {
    const range = `a whole number from 1 to ${MAX[size]}`;
    return z.union([z.string(), z.number()], { error: `is required: give the Fleio ${what} id (${range})` }).transform((v, ctx) => {
        const fail = (message: string) => {
            ctx.addIssue({ code: "custom", message });
            return z.NEVER;
        };
        if (typeof v === "number") {
            if (Number.isInteger(v) && v > Number.MAX_SAFE_INTEGER)
                return fail(`is a number above 2^53, which JavaScript cannot hold exactly; give the Fleio ${what} id as a string of digits${got(v)}`);
            if (!Number.isInteger(v) || v < 1) return fail(`must be a Fleio ${what} id: ${range}${got(v)}`);
            if (BigInt(v) > MAX[size]) return fail(`must be a Fleio ${what} id: ${range}${got(v)}`);
            return String(v);
        }
        const text = v.trim();
        if (!/^[1-9]\d*$/.test(text) || text.length > 19 || BigInt(text) > MAX[size]) return fail(`must be a Fleio ${what} id: ${range}${got(v)}`);
        return text;
    });
};

/**
 * An id as a request body carries it: a JSON number while that is exact, otherwise
 * the digits as a string (DRF's IntegerField and PrimaryKeyRelatedField accept both).
 */
export function apiId(id: string): number | string {
    const n = Number(id);
    return Number.isSafeInteger(n) ? n : id;
}
