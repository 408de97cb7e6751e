import * as http from "node:http";
import type { AddressInfo } from "node:net";

/** A request as the proxy saw it, once Fleio had answered it. */
export interface HeldRequest {
    method: string;
    path: string;
    status: number;
}

export interface HoldingProxy {
    /** Where the provider should send its requests instead of Fleio. */
    url: string;
    /**
     * Holds back Fleio's answer to the next request that `match` accepts: Fleio has
     * applied it, the caller never hears of it. Resolves once such an answer is held.
     */
    holdNext(match: (method: string, path: string) => boolean): Promise<HeldRequest>;
    /**
     * Never forwards the next request that `match` accepts (Fleio does not see it): the
     * caller waits on it. Resolves once such a request arrived. `andAfter`: every later
     * request that `match` accepts is stalled too (nothing of that kind reaches Fleio).
     */
    stallNext(match: (method: string, path: string) => boolean, opts?: { andAfter?: boolean }): Promise<{ method: string; path: string }>;
    /** Requests forwarded so far that `match` accepts. */
    count(match: (method: string, path: string) => boolean): number;
    close(): Promise<void>;
}

/**
 * An HTTP proxy in front of the emulator that can swallow one answer. A run killed
 * while an answer is held has created something in Fleio that its state never
 * recorded: the exact moment an interrupted `pulumi up` leaves behind, every time.
 */
export async function holdingProxy(upstream: string): Promise<HoldingProxy> {
    const target = new URL(upstream);
    let rule: { match: (m: string, p: string) => boolean; resolve: (h: HeldRequest) => void } | undefined;
    const held = new Set<http.ServerResponse>();
    let stall: { match: (m: string, p: string) => boolean; resolve: (r: { method: string; path: string }) => void; andAfter?: boolean } | undefined;
    const forwarded: { method: string; path: string }[] = [];

    const server = http.createServer((req, res) => {
        const method = req.method ?? "GET";
        const path = (req.url ?? "/").split("?")[0];
        const s = stall;
        if (s && s.match(method, path)) {
            if (!s.andAfter) stall = undefined;
            held.add(res);
            req.resume();
            s.resolve({ method, path });
            return;
        }
        forwarded.push({ method, path });
        const fwd = http.request(
            { host: target.hostname, port: target.port, method, path: req.url, headers: { ...req.headers, host: target.host } },
            (up) => {
                const r = rule;
                if (r && r.match(method, path)) {
                    rule = undefined;
                    held.add(res);
                    up.resume();
                    up.on("end", () => r.resolve({ method, path, status: up.statusCode ?? 0 }));
                    return;
                }
                res.writeHead(up.statusCode ?? 502, up.headers);
                up.pipe(res);
            },
        );
        fwd.on("error", () => res.destroy());
        req.pipe(fwd);
    });
    // Idle connections are closed by the client only, as the emulator's (emulator/server.ts).
    server.keepAliveTimeout = 0;
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const { port } = server.address() as AddressInfo;
    return {
        url: `http://127.0.0.1:${port}`,
        holdNext: (match) => new Promise<HeldRequest>((resolve) => (rule = { match, resolve })),
        stallNext: (match, opts) => new Promise((resolve) => (stall = { match, resolve, andAfter: opts?.andAfter })),
        count: (match) => forwarded.filter((r) => match(r.method, r.path)).length,
        close: async () => {
            for (const res of held) res.destroy();
            server.closeAllConnections();
            await new Promise<void>((resolve) => server.close(() => resolve()));
        },
    };
}
