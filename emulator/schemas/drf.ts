import { z } from "zod";
import { parseDecimal } from "../decimal";
import { FieldErrors, FieldErrorValue, validation } from "../errors";
import { djangoAcceptsEmail } from "./email";

/**
 * DRF serializer fields as zod schemas. Each field checks "required", "null",
 * "blank", type and length in DRF's order and with DRF's messages, so a request
 * the emulator rejects gets the same 400 body Fleio would send.
 *
 * Fields are `z.unknown()` transforms because DRF decides on absence and null
 * itself (a missing key and an explicit null are different errors); `MISSING`
 * marks "not sent", which is not the same as null.
 */

export const MISSING: unique symbol = Symbol("missing");
export type Missing = typeof MISSING;

type Ctx = z.RefinementCtx;

const fail = (ctx: Ctx, message: string): typeof z.NEVER => {
    ctx.addIssue({ code: "custom", message });
    return z.NEVER;
};

interface Common<D> {
    /** DRF `required`; false means a missing key yields `default` (or MISSING) */
    required?: boolean;
    allowNull?: boolean;
    default?: D;
}

/** Handles absence and null the DRF way; returns undefined when the value itself should be checked. */
function preamble<D>(v: unknown, ctx: Ctx, o: Common<D>): { done: true; value: D | null | Missing } | { done: false } {
    if (v === undefined) {
        if (o.required ?? o.default === undefined) return { done: true, value: fail(ctx, "This field is required.") };
        return { done: true, value: o.default === undefined ? MISSING : o.default };
    }
    if (v === null) {
        if (!o.allowNull) return { done: true, value: fail(ctx, "This field may not be null.") };
        return { done: true, value: null };
    }
    return { done: false };
}

export interface CharOpts extends Common<string> {
    maxLength?: number;
    allowBlank?: boolean;
    /** a check after the generic ones, returning an error message or undefined */
    check?: (v: string) => string | undefined;
}

export function char(o: CharOpts = {}) {
    return z.unknown().transform((v, ctx): string | null | Missing => {
        const p = preamble(v, ctx, o);
        if (p.done) return p.value;
        // DRF's CharField turns numbers into strings but refuses booleans and containers.
        if (typeof v !== "string" && typeof v !== "number") return fail(ctx, "Not a valid string.");
        const s = String(v).trim();
        if (s === "") {
            if (!o.allowBlank) return fail(ctx, "This field may not be blank.");
            return "";
        }
        // Django counts code points (Python's len), not UTF-16 units: an emoji is one character.
        if (o.maxLength !== undefined && [...s].length > o.maxLength) return fail(ctx, `Ensure this field has no more than ${o.maxLength} characters.`);
        const custom = o.check?.(s);
        if (custom) return fail(ctx, custom);
        return s;
    });
}

/** DRF's EmailField: Django's EmailValidator (schemas/email.ts), after CharField's checks. */
export const email = (o: CharOpts = {}) => char({ ...o, check: (s) => (djangoAcceptsEmail(s) ? o.check?.(s) : "Enter a valid email address.") });

export function integer(o: Common<number> & { min?: number; max?: number } = {}) {
    return z.unknown().transform((v, ctx): number | null | Missing => {
        const p = preamble(v, ctx, o);
        if (p.done) return p.value;
        if (typeof v === "boolean" || (typeof v !== "number" && typeof v !== "string")) return fail(ctx, "A valid integer is required.");
        const s = String(v).trim();
        // DRF accepts "5" and 5.0 but not 5.5 or "abc".
        if (!/^[+-]?\d+(\.0*)?$/.test(s)) return fail(ctx, "A valid integer is required.");
        const n = parseInt(s, 10);
        if (o.min !== undefined && n < o.min) return fail(ctx, `Ensure this value is greater than or equal to ${o.min}.`);
        if (o.max !== undefined && n > o.max) return fail(ctx, `Ensure this value is less than or equal to ${o.max}.`);
        return n;
    });
}

const TRUE = new Set<unknown>(["t", "T", "y", "Y", "yes", "YES", "true", "True", "TRUE", "on", "On", "ON", "1", 1, true]);
const FALSE = new Set<unknown>(["f", "F", "n", "N", "no", "NO", "false", "False", "FALSE", "off", "Off", "OFF", "0", 0, false]);

export function bool(o: Common<boolean> = {}) {
    return z.unknown().transform((v, ctx): boolean | null | Missing => {
        const p = preamble(v, ctx, o);
        if (p.done) return p.value;
        if (TRUE.has(v)) return true;
        if (FALSE.has(v)) return false;
        return fail(ctx, "Must be a valid boolean.");
    });
}

export function choice(choices: readonly string[], o: Common<string> & { allowBlank?: boolean } = {}) {
    return z.unknown().transform((v, ctx): string | null | Missing => {
        const p = preamble(v, ctx, o);
        if (p.done) return p.value;
        if (v === "" && o.allowBlank) return "";
        if ((typeof v !== "string" && typeof v !== "number") || !choices.includes(String(v))) return fail(ctx, `"${String(v)}" is not a valid choice.`);
        return String(v);
    });
}

/** A DecimalField kept as a fixed-places string. */
export function decimal(maxDigits: number, places: number, o: Common<string> = {}) {
    return z.unknown().transform((v, ctx): string | null | Missing => {
        const p = preamble(v, ctx, o);
        if (p.done) return p.value;
        const r = parseDecimal(v, maxDigits, places);
        return r.ok ? r.value : fail(ctx, r.error);
    });
}

/** A JSONField: anything JSON. */
export function json(o: Common<unknown> = {}) {
    return z.unknown().transform((v, ctx): unknown => {
        const p = preamble(v, ctx, o);
        return p.done ? p.value : v;
    });
}

/** A PrimaryKeyRelatedField: the id as sent, checked for type here and for existence by the caller. */
export function pk(o: Common<number> = {}) {
    return z.unknown().transform((v, ctx): number | null | Missing => {
        const p = preamble(v, ctx, o);
        if (p.done) return p.value;
        if (typeof v === "boolean" || (typeof v !== "number" && typeof v !== "string") || !/^\s*\d+\s*$/.test(String(v)))
            return fail(ctx, `Incorrect type. Expected pk value, received ${pythonType(v)}.`);
        return parseInt(String(v), 10);
    });
}

/** A list of nested serializers (`many=True`): errors come back per item, `{}` for good ones. */
export function list<S extends z.ZodType>(item: S, o: Common<z.output<S>[]> & { allowEmpty?: boolean } = {}) {
    return z.unknown().transform((v, ctx): z.output<S>[] | null | Missing => {
        const p = preamble(v, ctx, o);
        if (p.done) return p.value;
        if (!Array.isArray(v)) return fail(ctx, `Expected a list of items but got type "${pythonType(v)}".`);
        if (!v.length && o.allowEmpty === false) return fail(ctx, "This list may not be empty.");
        const out: z.output<S>[] = [];
        let bad = false;
        v.forEach((raw, i) => {
            const r = item.safeParse(raw);
            if (r.success) out.push(r.data);
            else {
                bad = true;
                for (const issue of r.error.issues) ctx.addIssue({ code: "custom", message: issue.message, path: [i, ...issue.path.map((k) => (typeof k === "symbol" ? String(k) : k))] });
            }
        });
        return bad ? z.NEVER : out;
    });
}

/** Python's name for a JSON value's type, as DRF puts it in messages. */
export function pythonType(v: unknown): string {
    if (v === null) return "NoneType";
    if (Array.isArray(v)) return "list";
    switch (typeof v) {
        case "string":
            return "str";
        case "number":
            return Number.isInteger(v) ? "int" : "float";
        case "boolean":
            return "bool";
        default:
            return "dict";
    }
}

/** A nested serializer object: a non-object is DRF's "Invalid data" error. */
export function object<S extends z.ZodRawShape>(shape: S) {
    return z
        .unknown()
        .transform((v, ctx) => {
            if (typeof v !== "object" || v === null || Array.isArray(v)) {
                ctx.addIssue({ code: "custom", message: `Invalid data. Expected a dictionary, but got ${pythonType(v)}.`, path: ["non_field_errors"] });
                return z.NEVER;
            }
            // zod skips absent keys; present-but-undefined ones reach the field, which decides "required" itself.
            const filled: Record<string, unknown> = { ...(v as Record<string, unknown>) };
            for (const key of Object.keys(shape)) if (!(key in filled)) filled[key] = undefined;
            return filled;
        })
        .pipe(z.object(shape));
}

/** zod issues → DRF's error body: `{"field": ["msg"]}`, nested objects and lists as DRF nests them. */
export function toFieldErrors(issues: readonly z.core.$ZodIssue[]): FieldErrors {
    const root: FieldErrors = {};
    for (const issue of issues) {
        const path = issue.path.map((k) => (typeof k === "symbol" ? String(k) : k));
        if (!path.length) path.push("non_field_errors");
        let node: FieldErrors | FieldErrorValue[] = root;
        for (let i = 0; i < path.length - 1; i++) {
            const key = path[i];
            const nextIsIndex = typeof path[i + 1] === "number";
            const container = node as Record<string | number, FieldErrorValue>;
            if (container[key] === undefined || typeof container[key] === "string") container[key] = nextIsIndex ? [] : {};
            node = container[key] as FieldErrors | FieldErrorValue[];
        }
        const last = path[path.length - 1];
        const container = node as Record<string | number, FieldErrorValue>;
        const existing = container[last];
        container[last] = Array.isArray(existing) ? [...(existing as string[]), issue.message] : [issue.message];
    }
    fillListHoles(root);
    return root;
}

/** DRF lists an error per item of a nested list, `{}` for items without errors. */
function fillListHoles(node: FieldErrorValue): void {
    if (Array.isArray(node)) {
        for (let i = 0; i < node.length; i++) {
            if (node[i] === undefined) node[i] = {};
            else fillListHoles(node[i]);
        }
    } else if (typeof node === "object") for (const v of Object.values(node)) fillListHoles(v);
}

/** Parses a request body against a serializer schema, or throws DRF's 400. */
export function validate<S extends z.ZodType>(schema: S, body: unknown): z.output<S> {
    const r = schema.safeParse(body);
    if (!r.success) throw validation(toFieldErrors(r.error.issues));
    return r.data;
}

/**
 * A field whose value is validated by another serializer (Fleio's validate_pricing
 * runs PricingSerializer on the JSON): that serializer's errors nest under the field,
 * and `after` may add the field's own error once the value is valid.
 */
export function nested<S extends z.ZodType>(schema: S, o: Common<z.output<S>> & { after?: (v: z.output<S>) => string | undefined } = {}) {
    return z.unknown().transform((v, ctx): z.output<S> | null | Missing => {
        const p = preamble(v, ctx, o);
        if (p.done) return p.value;
        const r = schema.safeParse(v);
        if (!r.success) {
            for (const issue of r.error.issues) ctx.addIssue({ code: "custom", message: issue.message, path: issue.path.map((k) => (typeof k === "symbol" ? String(k) : k)) });
            return z.NEVER;
        }
        const msg = o.after?.(r.data);
        return msg ? fail(ctx, msg) : r.data;
    });
}
