import { randomBytes } from "node:crypto";
import type { FastifyInstance, FastifyReply } from "fastify";
import { z } from "zod";
import { drfDateTime } from "../clock";
import { EmulatorContext } from "../context";
import { liveResellerResourcesOf, purgeDeletedClients } from "../domain/reseller";
import { faultConfigSchema, resellerTokenSchema } from "../schemas/admin";
import { nextId } from "./lookup";

/**
 * /__emulator/*: the emulator's own control surface for tests and demos. No auth,
 * never counted in the stats and never faulted (the request hooks skip this prefix).
 */

export const ADMIN_PREFIX = "/__emulator";

const bad = (reply: FastifyReply, error: z.ZodError) =>
    reply.code(400).send({ detail: error.issues.map((i) => `${i.path.join(".") || "body"}: ${i.message}`).join("; ") });

/** A token for the reseller's own login, creating that login (an is_reseller user of the client) if needed. */
async function resellerToken(ctx: EmulatorContext, clientId: number): Promise<{ status: number; body: unknown }> {
    const db = ctx.store.db;
    const client = db.clients.find((c) => c.id === clientId);
    if (!client) return { status: 404, body: { detail: "Not found." } };
    if (!liveResellerResourcesOf(db, client.id)) return { status: 400, body: { detail: `Client ${clientId} has no reseller service` } };
    let user = db.users.find((u) => u.is_reseller && client.users.includes(u.id));
    ctx.store.touch();
    if (!user) {
        const id = nextId(db, "users");
        const address = `reseller-${client.id}@reseller.emulator.invalid`;
        user = {
            id,
            username: address,
            email: address,
            first_name: client.first_name,
            last_name: client.last_name,
            password_hash: null,
            date_joined: drfDateTime(),
            last_login: null,
            is_active: true,
            is_staff: false,
            is_superuser: false,
            is_reseller: true,
            reseller_resources: null,
            language: "en",
            email_verified: true,
            external_billing_id: null,
        };
        db.users.push(user);
        client.users.push(id);
    }
    const uid = user.id;
    let token = db.tokens.find((t) => t.user === uid);
    if (!token) {
        token = { key: randomBytes(20).toString("hex"), user: uid };
        db.tokens.push(token);
    }
    await ctx.store.flush();
    return { status: 200, body: { token: token.key, user_id: uid } };
}

export function adminRoutes(app: FastifyInstance, ctx: EmulatorContext, onReset: () => void): void {
    const p = ADMIN_PREFIX;
    app.get(`${p}/stats`, async () => ctx.stats.toJSON());
    app.post(`${p}/stats/reset`, async () => {
        ctx.stats.reset();
        return ctx.stats.toJSON();
    });
    app.get(`${p}/requests`, async () => ctx.requests.list());

    app.get(`${p}/faults`, async () => ctx.faults.get());
    app.post(`${p}/faults`, async (req, reply) => {
        const r = faultConfigSchema.safeParse(req.body ?? {});
        if (!r.success) return bad(reply, r.error);
        ctx.faults.set(r.data);
        return ctx.faults.get();
    });
    app.delete(`${p}/faults`, async () => {
        ctx.faults.clear();
        return ctx.faults.get();
    });

    app.post(`${p}/reseller-token`, async (req, reply) => {
        const r = resellerTokenSchema.safeParse(req.body ?? {});
        if (!r.success) return bad(reply, r.error);
        const out = await resellerToken(ctx, Number(r.data.client_id));
        return reply.code(out.status).send(out.body);
    });

    app.get(`${p}/state`, async () => {
        if (purgeDeletedClients(ctx.store.db)) {
            ctx.store.touch();
            await ctx.store.flush();
        }
        return ctx.store.db;
    });
    app.post(`${p}/reset`, async () => {
        ctx.store.reset();
        onReset();
        await ctx.store.flush();
        return { detail: "Emulator reset to its seed" };
    });
}
