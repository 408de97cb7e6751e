import { randomBytes, timingSafeEqual } from "node:crypto";
import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import { z } from "zod";
import { drfDateTime } from "../clock";
import { EmulatorContext } from "../context";
import { liveResellerResourcesOf, purgeDeletedClients } from "../domain/reseller";
import { faultConfigSchema, resellerTokenSchema, tokenSchema } from "../schemas/admin";
import { issueToken, revokeToken, tokenOwner } from "../domain/tokens";
import { Db } from "../model";
import { nextId } from "./lookup";

/**
 * /__emulator/*: the emulator's own control surface for tests and demos, never
 * counted in the stats and never faulted (the request hooks skip this prefix).
 *
 * It has no login, so it guards itself against the browser: a page on another site
 * could otherwise reset or read the emulator through the user's browser (a form
 * post, or DNS rebinding). Every call needs a loopback Host and no foreign Origin;
 * a state-changing call also needs a JSON content type, which an HTML form cannot
 * send and a cross-site fetch cannot send without a CORS preflight (never granted).
 * An admin token, when configured, passes instead.
 */

export const ADMIN_PREFIX = "/__emulator";
export const ADMIN_TOKEN_HEADER = "x-emulator-admin-token";

const LOOPBACK = /^(127\.0\.0\.1|localhost|\[::1\])(:\d+)?$/i;
const LOOPBACK_ORIGIN = /^https?:\/\/(127\.0\.0\.1|localhost|\[::1\])(:\d+)?$/i;

/** Why an admin request is refused, or undefined when it may go on. */
export function adminRefusal(req: FastifyRequest, adminToken: string | undefined): string | undefined {
    const given = req.headers[ADMIN_TOKEN_HEADER];
    if (adminToken && typeof given === "string" && safeEqual(given, adminToken)) return undefined;
    if (!LOOPBACK.test(req.headers.host ?? "")) return "admin endpoints answer only to a loopback Host (127.0.0.1, localhost, [::1])";
    const origin = req.headers.origin;
    if (origin !== undefined && origin !== "null" && !LOOPBACK_ORIGIN.test(origin)) return "admin endpoints refuse cross-origin requests";
    if (origin === "null") return "admin endpoints refuse cross-origin requests";
    if (req.method !== "GET" && req.method !== "HEAD") {
        const type = (req.headers["content-type"] ?? "").split(";")[0].trim().toLowerCase();
        if (type !== "application/json") return "state-changing admin requests need Content-Type: application/json";
    }
    return undefined;
}

function safeEqual(a: string, b: string): boolean {
    const x = Buffer.from(a);
    const y = Buffer.from(b);
    return x.length === y.length && timingSafeEqual(x, y);
}

/** The store for `state`: tokens and password hashes masked unless the caller holds the admin token. */
function visibleState(db: Db, reveal: boolean): unknown {
    if (reveal) return db;
    return {
        ...db,
        tokens: db.tokens.map((t) => ({ ...t, key: "<redacted>" })),
        users: db.users.map((u) => ({ ...u, password_hash: u.password_hash === null ? null : "<redacted>" })),
    };
}

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

export function adminRoutes(app: FastifyInstance, ctx: EmulatorContext, onReset: () => void, adminToken?: string): void {
    const p = ADMIN_PREFIX;
    const holdsToken = (req: FastifyRequest) => {
        const given = req.headers[ADMIN_TOKEN_HEADER];
        return !!adminToken && typeof given === "string" && safeEqual(given, adminToken);
    };
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

    // Token rotation as an operator does it in Fleio: a second token for the same user,
    // then the old one revoked (domain/tokens.ts).
    app.post(`${p}/tokens`, async (req, reply) => {
        const r = tokenSchema.safeParse(req.body ?? {});
        if (!r.success) return bad(reply, r.error);
        const owner = tokenOwner(ctx.store.db, r.data.token);
        const issued = owner === undefined ? undefined : issueToken(ctx.store.db, owner);
        if (!issued) return reply.code(404).send({ detail: "No such token." });
        ctx.store.touch();
        await ctx.store.flush();
        return { token: issued.key, user_id: issued.user };
    });
    app.post(`${p}/tokens/revoke`, async (req, reply) => {
        const r = tokenSchema.safeParse(req.body ?? {});
        if (!r.success) return bad(reply, r.error);
        if (!revokeToken(ctx.store.db, r.data.token)) return reply.code(404).send({ detail: "No such token." });
        ctx.store.touch();
        await ctx.store.flush();
        return { detail: "Token revoked" };
    });

    app.get(`${p}/state`, async (req) => {
        if (purgeDeletedClients(ctx.store.db)) {
            ctx.store.touch();
            await ctx.store.flush();
        }
        return visibleState(ctx.store.db, holdsToken(req));
    });
    app.post(`${p}/reset`, async () => {
        ctx.store.reset();
        onReset();
        await ctx.store.flush();
        return { detail: "Emulator reset to its seed" };
    });
}
