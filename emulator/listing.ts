import { validation } from "./errors";
import { applyFiltering, FieldMap } from "./filtering";
import { Query } from "./query";

/**
 * The filter backends of a Fleio list view, in one place: DjangoFilterBackend's plain
 * parameters, CustomFilter's `filtering`, DRF's SearchFilter and OrderingFilter.
 */

/** A django-filter parameter such as `?external_billing_id=` or `?has_reseller_service=`. */
export interface PlainFilter<T> {
    kind: "int" | "str" | "bool";
    test: (row: T, value: string | number | boolean) => boolean;
}

export interface ListSpec<T> {
    /** fields (and related paths) `filtering` may name */
    fields: FieldMap<T>;
    search?: ((row: T) => unknown)[];
    ordering?: Record<string, (row: T) => unknown>;
    /** applied when `ordering` names nothing valid; `-` prefix for descending */
    defaultOrdering?: string[];
    filters?: Record<string, PlainFilter<T>>;
    /** the view has no CustomFilter: `?filtering=` is ignored, whatever it says */
    ignoreFiltering?: boolean;
    /** the view has no SearchFilter: `?search=` is ignored */
    ignoreSearch?: boolean;
}

/** django-filter's BooleanFilter (NullBooleanSelect): unknown values mean "no filter". */
function boolParam(v: string): boolean | undefined {
    if (["true", "True", "2", "1"].includes(v)) return true;
    if (["false", "False", "3", "0"].includes(v)) return false;
    return undefined;
}

function applyPlainFilters<T>(rows: T[], query: Query, filters: Record<string, PlainFilter<T>>): T[] {
    const errors: Record<string, string[]> = {};
    let out = rows;
    for (const [name, f] of Object.entries(filters)) {
        const raw = query.get(name);
        if (raw === undefined || raw === "") continue;
        if (f.kind === "int") {
            if (!/^\s*[+-]?\d+\s*$/.test(raw)) {
                errors[name] = ["Enter a number."];
                continue;
            }
            const n = parseInt(raw, 10);
            out = out.filter((r) => f.test(r, n));
        } else if (f.kind === "bool") {
            const b = boolParam(raw);
            if (b !== undefined) out = out.filter((r) => f.test(r, b));
        } else out = out.filter((r) => f.test(r, raw));
    }
    if (Object.keys(errors).length) throw validation(errors);
    return out;
}

/** DRF SearchFilter: every term (split on whitespace and commas) must be in some field, case-insensitively. */
function applySearch<T>(rows: T[], search: string | undefined, fields: ((row: T) => unknown)[]): T[] {
    const terms = (search ?? "").replace(/\0/g, "").replace(/,/g, " ").split(/\s+/).filter(Boolean);
    if (!terms.length || !fields.length) return rows;
    return rows.filter((row) =>
        terms.every((term) =>
            fields.some((get) => {
                const v = get(row);
                return v !== null && v !== undefined && String(v).toLowerCase().includes(term.toLowerCase());
            }),
        ),
    );
}

function compare(a: unknown, b: unknown): number {
    // Postgres puts NULLs last when ascending.
    const an = a === null || a === undefined;
    const bn = b === null || b === undefined;
    if (an || bn) return an === bn ? 0 : an ? 1 : -1;
    if (typeof a === "number" && typeof b === "number") return a - b;
    if (typeof a === "boolean" && typeof b === "boolean") return Number(a) - Number(b);
    const as = String(a);
    const bs = String(b);
    return as < bs ? -1 : as > bs ? 1 : 0;
}

/** DRF OrderingFilter: unknown fields are dropped silently; nothing valid means the view's default. */
function applyOrdering<T>(rows: T[], ordering: string | undefined, fields: Record<string, (row: T) => unknown>, fallback: string[]): T[] {
    const valid = (ordering ?? "")
        .split(",")
        .map((s) => s.trim())
        .filter((s) => s && fields[s.replace(/^-/, "")]);
    // id last, so rows that tie keep a stable order between pages.
    const keys = [...(valid.length ? valid : fallback), "id"].filter((s) => fields[s.replace(/^-/, "")]);
    return [...rows].sort((x, y) => {
        for (const k of keys) {
            const desc = k.startsWith("-");
            const get = fields[k.replace(/^-/, "")];
            const c = compare(get(x), get(y));
            if (c !== 0) return desc ? -c : c;
        }
        return 0;
    });
}

export function applyList<T extends { id: number }>(rows: T[], query: Query, spec: ListSpec<T>): T[] {
    let out = applyPlainFilters(rows, query, spec.filters ?? {});
    if (!spec.ignoreFiltering) out = applyFiltering(out, query.get("filtering"), spec.fields);
    if (!spec.ignoreSearch) out = applySearch(out, query.get("search"), spec.search ?? []);
    const ordering = { id: (r: T) => r.id, ...(spec.ordering ?? {}) };
    return applyOrdering(out, query.get("ordering"), ordering, spec.defaultOrdering ?? []);
}
