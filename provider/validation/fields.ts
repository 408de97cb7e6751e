import { z } from "zod";
import { COUNTRY_CODES, CURRENCY_CODES } from "./iso-codes";
import { cut, got } from "./echo";
import { emailProblem } from "./email";
import { fleioId } from "./ids";

export { canonicalDecimal, compareDecimal, decimal, MODIFIER_DECIMAL, TIER_DECIMAL } from "./decimal";
export { apiId, fleioId } from "./ids";

/** The earlier, size-blind id check, kept so code written against it still builds; prefer fleioId(what, size). */
export const objectId = fleioId("object", "bigint");

/**
 * Field validators shared by the resource schemas. Every message says what is
 * expected, so a check() failure reads as "<field>: <how to fix it>", and repeats a
 * value only through echo.ts (bounded, never a secret; free text never).
 */

/** Lengths as Fleio counts them: Django's max_length counts characters (code points), not UTF-16 units. */
export const charLength = (s: string) => Array.from(s).length;

// C0 and C1 control characters and DEL; a multi-line field may hold tab and line breaks.
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u001f\u007f-\u009f]/u;
// eslint-disable-next-line no-control-regex
const CONTROL_EXCEPT_LINES = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f]/u;

export interface TextOptions {
    /** Tab and line breaks are allowed (a description); other control characters never are. */
    multiline?: boolean;
}

function textIssue(max: number, o: TextOptions, v: string): string | undefined {
    const bad = (o.multiline ? CONTROL_EXCEPT_LINES : CONTROL).exec(v);
    if (bad) {
        const code = bad[0].codePointAt(0)!.toString(16).toUpperCase().padStart(4, "0");
        const where = charLength(v.slice(0, bad.index)) + 1;
        return `must not contain control characters such as NUL${o.multiline ? "" : ", tab or line breaks"} (found U+${code} at character ${where}): remove it`;
    }
    const n = charLength(v);
    if (n > max) return `must be at most ${max} characters (got ${n})`;
    return undefined;
}

const textRules = (max: number, o: TextOptions) => (v: string, ctx: z.RefinementCtx) => {
    const problem = textIssue(max, o, v);
    if (problem) ctx.addIssue({ code: "custom", message: problem });
};

export const requiredText = (max: number, o: TextOptions = {}) =>
    z
        .string({ error: "is required: give a non-empty string" })
        .trim()
        .min(1, "must not be empty")
        .superRefine(textRules(max, o))
        // For the schema and docs: the check itself is textRules (it counts code points).
        .meta({ maxLength: max });

/** Optional text: "" and absence mean the same thing, so they never diff against each other. */
export const optionalText = (max: number, o: TextOptions = {}) =>
    z
        .string({ error: "must be a string" })
        .trim()
        .superRefine(textRules(max, o))
        .meta({ maxLength: max })
        .optional()
        .transform((v) => (v === "" ? undefined : v));

/** Text where "" is a value of its own (Fleio's default for the field). */
export const textWithDefault = (max: number, fallback: string, o: TextOptions = {}) =>
    z.string({ error: "must be a string" }).trim().superRefine(textRules(max, o)).meta({ maxLength: max }).default(fallback);

/** A code from a closed list, upper-cased; the message repeats what the user wrote, not the upper-cased form. */
const codeFrom = (codes: ReadonlySet<string>, missing: string, expected: string) =>
    z.string({ error: missing }).transform((v, ctx) => {
        const code = v.trim().toUpperCase();
        if (!codes.has(code)) {
            ctx.addIssue({ code: "custom", message: `${expected}${got(v)}` });
            return z.NEVER;
        }
        return code;
    });

export const currencyCode = codeFrom(
    CURRENCY_CODES,
    'is required: give a 3-letter ISO 4217 code such as "EUR"',
    'must be a 3-letter ISO 4217 currency code such as "EUR" or "USD"',
);

export const countryCode = codeFrom(
    COUNTRY_CODES,
    'is required: give an ISO 3166-1 alpha-2 code such as "DE"',
    'must be an ISO 3166-1 alpha-2 country code such as "DE" or "US"',
);

/** Fleio's Client.email: EmailField(max_length=127), checked the way Django 2.2 checks it (see email.ts). */
export const email = z
    .string({ error: "is required: give an e-mail address" })
    .trim()
    .superRefine((v, ctx) => {
        const problem = textIssue(127, {}, v) ?? emailProblem(v);
        if (problem) ctx.addIssue({ code: "custom", message: problem });
    });

const LABEL = /^(?!-)[a-z0-9-]{1,63}(?<!-)$/;

/** A bare fully qualified domain name: lower-cased, no trailing dot, no scheme, port or path. */
export const fqdn = z
    .string({ error: 'is required: give a domain such as "cloud.reseller.example"' })
    .trim()
    .superRefine((v, ctx) => {
        const problem = fqdnProblem(v);
        if (problem) ctx.addIssue({ code: "custom", message: problem });
    })
    .transform(domainKey);

/** A domain as compared everywhere: case and a final root dot do not make another domain. */
export function domainKey(domain: string): string {
    return domain.trim().toLowerCase().replace(/\.$/, "");
}

export function fqdnProblem(value: string): string | undefined {
    const scheme = /^([a-z][a-z0-9+.-]*):\/\//i.exec(value);
    if (scheme)
        return `must be a bare domain such as "cloud.reseller.example", without "${cut(scheme[1], 16)}://" (the scheme is the separate "scheme" input)`;
    if (/[/?#]/.test(value)) return `must be a bare domain such as "cloud.reseller.example", without a path, query or fragment`;
    if (/:\d*$/.test(value)) return "must be a bare domain without a port";
    const host = domainKey(value);
    if (host.length === 0) return "must not be empty";
    if (host.length > 253) return `must be at most 253 characters (got ${host.length})`;
    const labels = host.split(".");
    if (labels.length < 2) return `must be fully qualified, with at least one dot, such as "${LABEL.test(host) ? cut(host, 32) : "panel"}.example.com"`;
    if (!labels.every((l) => LABEL.test(l)))
        return "must consist of labels of letters, digits and inner hyphens (1-63 characters each), separated by dots";
    const tld = labels[labels.length - 1];
    if (!/^([a-z]{2,63}|xn--[a-z0-9-]{1,59})$/.test(tld)) return `must end in a real top-level domain (got ".${cut(tld, 16)}")`;
    return undefined;
}
