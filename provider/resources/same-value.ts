/**
 * How the provider compares an input with what it had before or what Fleio holds:
 * key order and absent-versus-undefined never count as differences.
 */
export function sameValue(a: unknown, b: unknown): boolean {
    return JSON.stringify(canonical(a)) === JSON.stringify(canonical(b));
}

function canonical(v: unknown): unknown {
    if (Array.isArray(v)) return v.map(canonical);
    if (v && typeof v === "object") {
        return Object.fromEntries(
            Object.keys(v as object)
                .filter((k) => (v as Record<string, unknown>)[k] !== undefined)
                .sort()
                .map((k) => [k, canonical((v as Record<string, unknown>)[k])]),
        );
    }
    return v === undefined ? null : v;
}
