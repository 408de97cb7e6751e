import { z } from "zod";

/** Bodies of the /__emulator admin endpoints (the emulator's own API, not Fleio's). */

const rate = z.number().min(0).max(1);

const pattern = z.string().refine(
    (p) => {
        try {
            new RegExp(p);
            return true;
        } catch {
            return false;
        }
    },
    { message: "must be a regular expression" },
);

const matchSchema = z.object({ method: z.string().optional(), pathPrefix: z.string().optional(), pathPattern: pattern.optional() }).strict();

const match = { match: matchSchema.optional() };

export const faultSchema = z.union([
    z.object({ status: z.literal(429), retryAfter: z.number().int().min(0).optional(), ...match }).strict(),
    z.object({ status: z.union([z.literal(500), z.literal(501), z.literal(502), z.literal(503)]), ...match }).strict(),
    z.object({ drop: z.enum(["before", "after"]), ...match }).strict(),
    z.object({ latencyMs: z.number().int().min(0), ...match }).strict(),
]);

export const faultConfigSchema = z
    .object({
        latencyMs: z.number().int().min(0).optional(),
        rate429: rate.optional(),
        rate5xx: rate.optional(),
        rateDrop: rate.optional(),
        retryAfterSeconds: z.number().int().min(0).optional(),
        seed: z.number().int().optional(),
        match: matchSchema.optional(),
        script: z.array(faultSchema).optional(),
    })
    .strict()
    .refine((c) => (c.rate429 ?? 0) + (c.rate5xx ?? 0) + (c.rateDrop ?? 0) <= 1, { message: "rate429 + rate5xx + rateDrop must not exceed 1" });

export const resellerTokenSchema = z.object({ client_id: z.union([z.number().int(), z.string().regex(/^\d+$/)]) });
