import { badRequest, serverError } from "./errors";

/**
 * Fleio's CustomFilter (`?filtering=key:value+key2__ne:value2`) over in-memory rows.
 * Keys are Django lookups: a field path from the resource's field map, optionally
 * followed by a lookup such as `__icontains`; `__ne` excludes; the same key repeated
 * is ORed; `null`/`true`/`false` (any case) become None/True/False.
 */

export type FieldKind = "int" | "fk" | "str" | "bool" | "decimal" | "datetime";

export interface FieldSpec<T> {
    kind: FieldKind;
    get: (row: T) => unknown;
}

export type FieldMap<T> = Record<string, FieldSpec<T>>;

type Mapped = string | null | boolean;

const LOOKUPS = ["exact", "iexact", "contains", "icontains", "startswith", "istartswith", "endswith", "iendswith", "gt", "gte", "lt", "lte", "isnull"] as const;
type Lookup = (typeof LOOKUPS)[number];

interface Term {
    path: string;
    lookup: Lookup;
    value: Mapped;
}

const mapValue = (v: string): Mapped => {
    const lower = v.toLowerCase();
    return lower === "null" ? null : lower === "true" ? true : lower === "false" ? false : v;
};

function resolve<T>(key: string, fields: FieldMap<T>): { path: string; lookup: Lookup } {
    if (fields[key]) return { path: key, lookup: "exact" };
    const i = key.lastIndexOf("__");
    if (i > 0) {
        const path = key.slice(0, i);
        const lookup = key.slice(i + 2);
        if (fields[path]) {
            if ((LOOKUPS as readonly string[]).includes(lookup)) return { path, lookup: lookup as Lookup };
            throw badRequest(`Unsupported lookup '${lookup}' for ${djangoFieldClass(fields[path].kind)} or join on the field not permitted.`);
        }
    }
    // Django names the first path segment it could not resolve, with the model's own fields.
    const first = key.split("__")[0];
    const choices = [...new Set(Object.keys(fields).map((k) => k.split("__")[0]))].sort().join(", ");
    throw badRequest(`Cannot resolve keyword '${first}' into field. Choices are: ${choices}`);
}

const djangoFieldClass = (kind: FieldKind): string =>
    ({ int: "IntegerField", fk: "ForeignKey", str: "CharField", bool: "BooleanField", decimal: "DecimalField", datetime: "DateTimeField" })[kind];

/** Django's get_prep_value: what the database would compare against, or a 500 as Django raises. */
function prep(kind: FieldKind, path: string, value: Mapped): string | number | boolean | null {
    if (value === null) return null;
    switch (kind) {
        case "int":
        case "fk": {
            const s = String(value);
            if (typeof value === "boolean") return value ? 1 : 0;
            if (!/^\s*[+-]?\d+\s*$/.test(s)) throw serverError(`ValueError: invalid literal for int() with base 10: '${s}' (filtering on ${path})`);
            return parseInt(s, 10);
        }
        case "bool": {
            if (typeof value === "boolean") return value;
            if (["t", "1", "True"].includes(value)) return true;
            if (["f", "0", "False"].includes(value)) return false;
            throw serverError(`ValidationError: '${value}' value must be either True or False (filtering on ${path})`);
        }
        case "decimal": {
            const n = Number(value);
            if (typeof value === "boolean" || Number.isNaN(n)) throw serverError(`ValidationError: '${String(value)}' value must be a decimal number (filtering on ${path})`);
            return n;
        }
        default:
            return typeof value === "boolean" ? (value ? "True" : "False") : value;
    }
}

function matches<T>(row: T, spec: FieldSpec<T>, term: Term): boolean {
    const actual = spec.get(row);
    if (term.lookup === "isnull") return (actual === null || actual === undefined) === (term.value === true || term.value === "1" || term.value === "True");
    const expected = prep(spec.kind, term.path, term.value);
    if (expected === null) return (actual === null || actual === undefined) && term.lookup === "exact";
    if (actual === null || actual === undefined) return false;
    const a = spec.kind === "decimal" ? Number(actual) : actual;
    const as = String(a);
    const es = String(expected);
    switch (term.lookup) {
        case "exact":
            return a === expected || (typeof a !== "boolean" && as === es);
        case "iexact":
            return as.toLowerCase() === es.toLowerCase();
        case "contains":
            return as.includes(es);
        case "icontains":
            return as.toLowerCase().includes(es.toLowerCase());
        case "startswith":
            return as.startsWith(es);
        case "istartswith":
            return as.toLowerCase().startsWith(es.toLowerCase());
        case "endswith":
            return as.endsWith(es);
        case "iendswith":
            return as.toLowerCase().endsWith(es.toLowerCase());
        default: {
            const cmp = typeof a === "number" && typeof expected === "number" ? a - expected : as < es ? -1 : as > es ? 1 : 0;
            return term.lookup === "gt" ? cmp > 0 : term.lookup === "gte" ? cmp >= 0 : term.lookup === "lt" ? cmp < 0 : cmp <= 0;
        }
    }
}

/** Applies `?filtering=` to rows; an absent or empty parameter leaves them as they are. */
export function applyFiltering<T>(rows: T[], filtering: string | undefined, fields: FieldMap<T>): T[] {
    if (!filtering) return rows;
    const includes = new Map<string, Term[]>();
    const excludes: Term[] = [];
    for (const item of filtering.split("+")) {
        const parts = item.split(":");
        // Fleio indexes item[1] without a check: a term without ':' is an IndexError.
        if (parts.length < 2) throw serverError(`IndexError: list index out of range (filtering term '${item}' has no ':')`);
        let key = parts[0];
        const exclude = key.endsWith("__ne");
        if (exclude) key = key.slice(0, -4);
        const { path, lookup } = resolve(key, fields);
        const term: Term = { path, lookup, value: mapValue(parts[1]) };
        prep(fields[path].kind, path, term.value); // Django raises while building the query, before any row is read
        if (exclude) excludes.push(term);
        else includes.set(key, [...(includes.get(key) ?? []), term]);
    }
    return rows.filter(
        (row) =>
            [...includes.values()].every((terms) => terms.some((t) => matches(row, fields[t.path], t))) &&
            excludes.every((t) => !matches(row, fields[t.path], t)),
    );
}
