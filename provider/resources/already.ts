import type { z } from "zod";
import { sameValue } from "./same-value";

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
        return sameValue(read, inputs[k]);
    });
}
