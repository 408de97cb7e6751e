import type { z } from "zod";

/**
 * Whether an object as Fleio holds it (read into the resource's outputs) already has
 * every input in `keys`, compared as the provider's diff compares: each read value
 * normalised by its input schema, key order and absent-versus-undefined ignored. An
 * adopt that finds nothing to change sends no write (taking over hand-made objects
 * must not touch them).
 */
export function alreadyHolds(schema: z.ZodObject<z.ZodRawShape>, current: Record<string, unknown>, inputs: Record<string, unknown>, keys: readonly string[]): boolean {
    return keys.every((k) => {
        const field = schema.shape[k] as z.ZodType | undefined;
        const parsed = field?.safeParse(current[k]);
        const read = parsed?.success ? parsed.data : current[k];
        return JSON.stringify(canonical(read)) === JSON.stringify(canonical(inputs[k]));
    });
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
