import { z } from "zod";
import { COUNTRY_CODES, CURRENCY_CODES } from "./iso-codes";

/**
 * Field validators shared by the resource schemas. Every message says what is
 * expected, so a check() failure reads as "<field>: <how to fix it>".
 */

export const requiredText = (max: number) =>
    z
        .string({ error: "is required: give a non-empty string" })
        .trim()
        .min(1, "must not be empty")
        .max(max, `must be at most ${max} characters`);

/** Optional text: "" and absence mean the same thing, so they never diff against each other. */
export const optionalText = (max: number) =>
    z
        .string({ error: "must be a string" })
        .trim()
        .max(max, `must be at most ${max} characters`)
        .optional()
        .transform((v) => (v === "" ? undefined : v));

export const currencyCode = z
    .string({ error: 'is required: give a 3-letter ISO 4217 code such as "EUR"' })
    .trim()
    .toUpperCase()
    .refine((v) => CURRENCY_CODES.has(v), { error: (i) => `must be a 3-letter ISO 4217 currency code such as "EUR" or "USD" (got ${JSON.stringify(i.input)})` });

export const countryCode = z
    .string({ error: 'is required: give an ISO 3166-1 alpha-2 code such as "DE"' })
    .trim()
    .toUpperCase()
    .refine((v) => COUNTRY_CODES.has(v), { error: (i) => `must be an ISO 3166-1 alpha-2 country code such as "DE" or "US" (got ${JSON.stringify(i.input)})` });

export const email = z
    .string({ error: "is required: give an email address" })
    .trim()
    .max(127, "must be at most 127 characters")
    .pipe(z.email({ error: 'must be an email address such as "billing@example.com"' }));

/** A Fleio object id: ids come back from other resources as numbers or strings. */
export const objectId = z
    .union([z.string(), z.number()], { error: "is required: give the Fleio id (a whole number)" })
    .transform((v) => String(v).trim())
    .refine((v) => /^[1-9]\d{0,18}$/.test(v), { error: "must be a Fleio id: a positive whole number" });

const LABEL = /^(?!-)[a-z0-9-]{1,63}(?<!-)$/;

/** A bare fully qualified domain name: lower-cased, no trailing dot, no scheme, port or path. */
export const fqdn = z
    .string({ error: 'is required: give a domain such as "cloud.reseller.example"' })
    .trim()
    .superRefine((v, ctx) => {
        const problem = fqdnProblem(v);
        if (problem) ctx.addIssue({ code: "custom", message: problem });
    })
    .transform((v) => v.toLowerCase().replace(/\.$/, ""));

export function fqdnProblem(value: string): string | undefined {
    if (/^[a-z][a-z0-9+.-]*:\/\//i.test(value))
        return `must be a bare domain such as "cloud.reseller.example", without "${value.split("://")[0]}://" (the scheme is the separate "scheme" input)`;
    if (/[/?#]/.test(value)) return `must be a bare domain such as "cloud.reseller.example", without a path, query or fragment`;
    if (/:\d*$/.test(value)) return "must be a bare domain without a port";
    const host = value.toLowerCase().replace(/\.$/, "");
    if (host.length === 0) return "must not be empty";
    if (host.length > 253) return "must be at most 253 characters";
    const labels = host.split(".");
    if (labels.length < 2) return `must be fully qualified, with at least one dot, such as "${host || "panel"}.example.com"`;
    if (!labels.every((l) => LABEL.test(l)))
        return "must consist of labels of letters, digits and inner hyphens (1-63 characters each), separated by dots";
    const tld = labels[labels.length - 1];
    if (!/^([a-z]{2,63}|xn--[a-z0-9-]{1,59})$/.test(tld)) return `must end in a real top-level domain (got ".${tld}")`;
    return undefined;
}

/**
 * A non-negative decimal as Fleio stores it (decimal places ≤ 4), in one canonical
 * text form, so 1.5, "1.50" and "1.5000" never show up as a change.
 */
export const decimal = (what: string) =>
    z
        .union([z.number(), z.string()], { error: `is required: give ${what} as a number or numeric string` })
        .transform((v, ctx) => {
            const text = typeof v === "number" ? numberToText(v) : v.trim();
            if (!/^\d+(\.\d+)?$/.test(text)) {
                ctx.addIssue({ code: "custom", message: `must be a number ≥ 0 (got ${JSON.stringify(v)})` });
                return z.NEVER;
            }
            const canonical = canonicalDecimal(text);
            if ((canonical.split(".")[1] ?? "").length > 4) {
                ctx.addIssue({ code: "custom", message: `must have at most 4 decimal places, as Fleio stores it (got ${JSON.stringify(v)})` });
                return z.NEVER;
            }
            return canonical;
        });

function numberToText(n: number): string {
    if (!Number.isFinite(n)) return String(n);
    // toFixed avoids exponent notation for tiny prices such as 1e-7.
    return n < 0 ? "-" : n.toFixed(10);
}

export function canonicalDecimal(text: string): string {
    let [int, frac = ""] = String(text).trim().split(".");
    int = int.replace(/^0+(?=\d)/, "");
    frac = frac.replace(/0+$/, "");
    return frac ? `${int}.${frac}` : int;
}
