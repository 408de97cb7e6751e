import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import { ApiKind, authorize, Scope } from "../auth";
import { EmulatorContext } from "../context";
import { ApiError, detail, DJANGO_404_HTML, DJANGO_500_HTML, HTML } from "../errors";
import { Query } from "../query";
import { routes } from "../domain/versions";

/**
 * Registers Fleio API routes under their URL prefixes, with DRF's request cycle:
 * authenticate and check permissions first, then the handler, then persist what
 * changed before answering (so a dropped response never loses a committed change).
 */

export interface ApiRequest {
    scope: Scope;
    params: Record<string, string>;
    query: Query;
    body: unknown;
    /** the absolute URL of this request, for pagination links */
    url: string;
}

export interface ApiResponse {
    status?: number;
    body?: unknown;
    headers?: Record<string, string>;
}

export type Handler = (req: ApiRequest, ctx: EmulatorContext) => ApiResponse | Promise<ApiResponse>;

export type Method = "GET" | "POST" | "PUT" | "PATCH" | "DELETE";
const ALL_METHODS: Method[] = ["GET", "POST", "PUT", "PATCH", "DELETE"];

export const PREFIX: Record<ApiKind, string> = {
    staff: "/backend/staffapi",
    reseller: "/backend/resellerapi",
    enduser: "/backend/api",
};

/** `clients/:id` → `clients/{id}`, the form the stats endpoint reports. */
export const routeKey = (method: string, url: string): string => `${method} ${url.replace(/:(\w+)/g, "{$1}")}`;

export const ok = (body: unknown, status = 200): ApiResponse => ({ status, body });

export class ApiRouter {
    private readonly paths = new Map<string, { api: ApiKind; path: string; methods: Set<Method> }>();

    constructor(
        private readonly app: FastifyInstance,
        private readonly ctx: EmulatorContext,
    ) {}

    /** Serves `handler` at `path` (relative, e.g. "clients/:id") under each API in `apis`. */
    add(apis: ApiKind[], method: Method, path: string, handler: Handler): this {
        for (const api of apis) {
            const url = `${PREFIX[api]}/${path}`;
            const entry = this.paths.get(url) ?? { api, path, methods: new Set<Method>() };
            entry.methods.add(method);
            this.paths.set(url, entry);
            // A Fleio without a feature has no URL for it: Django's HTML 404, before authentication.
            this.app.route({ method, url, handler: (req, reply) => (routes(this.ctx.version, api, path) ? this.run(api, handler, req, reply) : reply.code(404).headers(HTML).send(DJANGO_404_HTML)) });
        }
        return this;
    }

    /** DRF answers a known path with an unsupported method with 405, after authentication. */
    finish(): void {
        for (const [url, { api, path, methods }] of this.paths) {
            const others = ALL_METHODS.filter((m) => !methods.has(m));
            if (!others.length || !routes(this.ctx.version, api, path)) continue;
            this.app.route({
                method: others,
                url,
                handler: (req, reply) =>
                    this.run(
                        api,
                        () => {
                            throw detail(405, `Method "${req.method}" not allowed.`);
                        },
                        req,
                        reply,
                    ),
            });
        }
    }

    private async run(api: ApiKind, handler: Handler, req: FastifyRequest, reply: FastifyReply): Promise<FastifyReply> {
        const { store } = this.ctx;
        // `clients/` would match `clients/:id` with an empty id; Django's resolver has no such URL (HTML 404, before DRF).
        if (Object.values((req.params ?? {}) as Record<string, string>).some((v) => v === "")) return reply.code(404).headers(HTML).send(DJANGO_404_HTML);
        try {
            await this.ctx.purge();
            const scope = authorize(store.db, api, req.headers.authorization);
            const query = Query.fromUrl(req.url);
            const host = req.headers.host ?? `127.0.0.1`;
            const res = await handler(
                {
                    scope,
                    params: (req.params ?? {}) as Record<string, string>,
                    query,
                    body: req.body === undefined || req.body === null ? {} : req.body,
                    url: `http://${host}${req.url}`,
                },
                this.ctx,
            );
            await store.flush();
            reply.code(res.status ?? 200);
            for (const [k, v] of Object.entries(res.headers ?? {})) reply.header(k, v);
            return res.body === undefined ? reply.send() : reply.send(res.body);
        } catch (e) {
            await store.flush();
            if (e instanceof ApiError) {
                if (e.note) this.ctx.notes.set(req.raw, e.note);
                reply.code(e.status);
                for (const [k, v] of Object.entries(e.headers)) reply.header(k, v);
                return reply.send(e.body);
            }
            req.log.error({ err: e }, "emulator handler failed");
            this.ctx.notes.set(req.raw, `emulator bug: ${e instanceof Error ? e.message : String(e)}`);
            return reply.code(500).headers(HTML).send(DJANGO_500_HTML);
        }
    }
}
