import * as http from "node:http";
import * as https from "node:https";
import type * as net from "node:net";

/**
 * Keep-alive agents whose connection attempts end after `connectTimeoutMs`.
 *
 * The request timeout (fleio:timeoutSeconds, 30 s) is for Fleio's answer; a host that
 * drops the SYN would hold each try that long. A socket that has not connected in time
 * is destroyed with code ECONNECT_TIMEOUT, which the retry policy counts as "never
 * reached" (retry-policy.ts), so an unreachable Fleio fails within the connect budget.
 */
export function connectTimeoutAgents(o: { maxSockets: number; connectTimeoutMs: number; rejectUnauthorized: boolean }): { httpAgent: http.Agent; httpsAgent: https.Agent } {
    const httpAgent = new http.Agent({ keepAlive: true, maxSockets: o.maxSockets });
    const httpsAgent = new https.Agent({ keepAlive: true, maxSockets: o.maxSockets, rejectUnauthorized: o.rejectUnauthorized });
    for (const agent of [httpAgent, httpsAgent]) {
        type Create = (options: { host?: string; port?: number }, ...rest: unknown[]) => net.Socket;
        const target = agent as unknown as { createConnection: Create };
        const create = target.createConnection.bind(agent);
        target.createConnection = (options, ...rest) => {
            const socket = create(options, ...rest);
            const timer = setTimeout(() => {
                const err = Object.assign(new Error(`connect timed out after ${o.connectTimeoutMs} ms (${options.host ?? ""}:${options.port ?? ""})`), { code: "ECONNECT_TIMEOUT" });
                socket.destroy(err);
            }, o.connectTimeoutMs);
            timer.unref();
            const done = () => clearTimeout(timer);
            socket.once("connect", done);
            socket.once("close", done);
            return socket;
        };
    }
    return { httpAgent, httpsAgent };
}
