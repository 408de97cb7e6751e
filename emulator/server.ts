import Fastify, { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import type { IncomingMessage } from "node:http";
import { EmulatorContext } from "./context";
import { DJANGO_404_HTML, DJANGO_500_HTML, HTML } from "./errors";
import { faultBody } from "./faults";
import { Query } from "./query";
import { adminRefusal, adminRoutes, ADMIN_PREFIX } from "./routes/admin";
import { billingRoutes } from "./routes/billing";
import { clientRoutes } from "./routes/clients";
import { configurationRoutes } from "./routes/configurations";
import { planRoutes } from "./routes/plans";
import { priceRuleRoutes } from "./routes/pricerules";
import { ApiRouter, routeKey } from "./routes/registry";
import { resellerServiceRoutes } from "./routes/reseller-services";
import { userRoutes } from "./routes/users";
import { LoggedRequest, redact } from "./stats";

/**
 * The HTTP server: Fleio's routes plus the request cycle around them — counting,
 * logging and fault injection for API requests, none of it for /__emulator.
 */

interface InFlight {
    entry: LoggedRequest;
    dropAfter: boolean;
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

export function buildServer(ctx: EmulatorContext, opts: { log: boolean; onReset: () => void; adminToken?: string; keepAliveTimeoutMs?: number }): FastifyInstance {
    const app = Fastify({
        // Fastify's own request log lines carry method, url and status only: no headers, so no token.
        logger: opts.log ? { level: "info", stream: process.stderr } : false,
        bodyLimit: 5 * 1024 * 1024,
        // Idle keep-alive connections are closed by the client only (0 = no server timeout).
        // When the server closes one, a client may already be sending on it: the request
        // fails with "other side closed" / ECONNRESET. Tests hit that when their event loop,
        // which the emulator shares, was blocked (execFileSync of a long `pulumi up` on a
        // busy machine) past Fastify's 72 s: on waking, the test sent on the pooled
        // connection while the server's overdue timer closed it. `close()` still ends idle
        // connections (Fastify's forceCloseConnections "idle").
        // Fastify reads a keepAliveTimeout of 0 as "its default, 72 s": 0 is set on the server below.
        keepAliveTimeout: opts.keepAliveTimeoutMs || undefined,
    });
    if (!opts.keepAliveTimeoutMs) app.server.keepAliveTimeout = 0;
    const inFlight = new WeakMap<IncomingMessage, InFlight>();

    // DRF reads an empty JSON body as {} and answers a malformed one with a 400 detail.
    app.addContentTypeParser("application/json", { parseAs: "string" }, (_req, text, done) => {
        const body = typeof text === "string" ? text : text.toString("utf8");
        if (!body.trim()) return done(null, {});
        try {
            done(null, JSON.parse(body));
        } catch (e) {
            const err = new Error(`JSON parse error - ${e instanceof Error ? e.message : String(e)}`) as Error & { statusCode: number };
            err.statusCode = 400;
            done(err, undefined);
        }
    });

    app.addHook("onRequest", async (req: FastifyRequest, reply: FastifyReply) => {
        const path = req.url.split("?")[0];
        if (path.startsWith(ADMIN_PREFIX)) {
            const why = adminRefusal(req, opts.adminToken);
            return why ? reply.code(403).send({ detail: why }) : undefined;
        }
        ctx.stats.count(req.routeOptions.url ? routeKey(req.method, req.routeOptions.url) : `${req.method} (no route)`);
        const entry = ctx.requests.push({ method: req.method, path, query: Query.fromUrl(req.url).toObject(), status: 0 });
        const action = ctx.faults.decide(req.method, path);
        if (action.latencyMs > 0) await sleep(action.latencyMs);
        if (action.kind === "drop" && action.when === "before") {
            entry.dropped = "before";
            reply.hijack();
            req.raw.socket.destroy();
            return reply;
        }
        if (action.kind === "status") {
            entry.injected = true;
            entry.status = action.status;
            if (action.retryAfter !== undefined) reply.header("Retry-After", String(action.retryAfter));
            return reply.code(action.status).send(faultBody(action.status, action.retryAfter));
        }
        inFlight.set(req.raw, { entry, dropAfter: action.kind === "drop" });
        return undefined;
    });

    app.addHook("preHandler", async (req: FastifyRequest) => {
        const f = inFlight.get(req.raw);
        if (f && req.body !== undefined && req.method !== "GET") f.entry.body = redact(req.body);
    });

    app.addHook("onSend", async (req: FastifyRequest, reply: FastifyReply, payload: unknown) => {
        const f = inFlight.get(req.raw);
        if (f) {
            f.entry.status = reply.statusCode;
            const note = ctx.notes.get(req.raw);
            if (note) f.entry.note = note;
            if (f.dropAfter) {
                // The handler has run and the store is flushed: the change is committed, the answer is lost.
                f.entry.dropped = "after";
                req.raw.socket.destroy();
            }
        }
        return payload;
    });

    // Django's URL resolver answers before DRF: an unknown path (or a trailing slash) is its HTML 404 page.
    app.setNotFoundHandler((_req, reply) => reply.code(404).headers(HTML).send(DJANGO_404_HTML));

    app.setErrorHandler((err: Error & { statusCode?: number; code?: string }, req, reply) => {
        if (req.url.startsWith(ADMIN_PREFIX)) return reply.code(err.statusCode && err.statusCode < 500 ? err.statusCode : 500).send({ detail: err.message });
        if (err.code === "FST_ERR_CTP_INVALID_MEDIA_TYPE")
            return reply.code(415).send({ detail: `Unsupported media type "${req.headers["content-type"] ?? ""}" in request.` });
        if (err.statusCode && err.statusCode < 500) return reply.code(err.statusCode).send({ detail: err.message });
        req.log.error({ err }, "emulator error");
        return reply.code(500).headers(HTML).send(DJANGO_500_HTML);
    });

    const api = new ApiRouter(app, ctx);
    clientRoutes(api);
    resellerServiceRoutes(api);
    billingRoutes(api);
    planRoutes(api);
    priceRuleRoutes(api);
    configurationRoutes(api);
    userRoutes(api);
    api.finish();
    adminRoutes(app, ctx, opts.onReset, opts.adminToken);
    return app;
}
