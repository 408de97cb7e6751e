import { FleioApiError } from "../../provider/client/errors";
import type { Check } from "./check";

/**
 * The first request: is fleio:url the Fleio site, and does Fleio accept the token
 * for this API? Any failure here ends the run, with the fix.
 */
export const connection: Check = {
    name: "connection",
    async run(p) {
        const where = `${p.settings.apiRoot}/clients`;
        let body: unknown;
        try {
            body = await p.api.get<unknown>("clients", { page_size: 1 });
        } catch (e) {
            p.fail(e instanceof FleioApiError && (e.status === 401 || e.status === 403) ? "auth" : "url", explain(e, p.settings.apiScope, p.settings.siteUrl));
            return "stop";
        }
        if (typeof body === "string" || body === undefined || body === null) {
            const html = typeof body === "string" && /<(!doctype|html|head|body)/i.test(body);
            p.fail(
                "url",
                `GET ${where} answered 200 with ${html ? "an HTML page" : "no JSON"}: fleio:url points at a frontend (a panel or a proxy), not at the Fleio site whose API is under /backend/; set --url to the site root, e.g. https://billing.example.com`,
            );
            return "stop";
        }
        p.pass("url", `${where} answers JSON (the Fleio ${p.settings.apiScope} API)`);
        p.pass("auth", `the token is accepted by the ${p.settings.apiScope} API`);
        return undefined;
    },
};

function explain(e: unknown, scope: string, site: string): string {
    if (!(e instanceof FleioApiError)) return e instanceof Error ? e.message : String(e);
    const why = e.fields.detail?.join(" ");
    if (e.status === 401)
        return `Fleio refused the token (HTTP 401${why ? `: ${why}` : ""}): the token is wrong or revoked; set FLEIO_TOKEN to the API token of an active ${scope === "staff" ? "staff" : "reseller"} user (Fleio: Token.objects.create(user=…) in "fleio shell")`;
    if (e.status === 403)
        return scope === "staff"
            ? `Fleio accepted the token but refused the staff API (HTTP 403${why ? `: ${why}` : ""}): the token's user is not staff; use a staff user's token, or --api-scope reseller for a reseller's own token`
            : `Fleio accepted the token but refused the reseller API (HTTP 403${why ? `: ${why}` : ""}): the token's user is not a reseller with a live reseller service, or the reseller feature is off; use the reseller's own token, or --api-scope staff`;
    if (e.status === 404)
        return `${e.message}: there is no Fleio ${scope} API under ${site}/backend/; set --url to the Fleio site root, e.g. https://billing.example.com${scope === "reseller" ? " (and check that the reseller feature is enabled)" : ""}`;
    if (e.status !== undefined && e.status >= 300 && e.status < 400)
        return `${e.message}: ${site} redirects, and the provider does not follow redirects; set --url to the address it redirects to (often https:// instead of http://)`;
    if (e.status === undefined && /CERT|SELF_SIGNED|certificate/i.test(e.message))
        return `${e.message}: the TLS certificate is not trusted; fix the certificate, or pass --insecure-skip-verify for a test Fleio`;
    if (e.status === undefined) return `${e.message}: Fleio is not reachable at ${site}; check --url and the network`;
    return e.message;
}
