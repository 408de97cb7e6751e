import { z } from "zod";
import { defineResource } from "./define";
import { apiId, domainKey, fleioId, fqdn } from "../validation/fields";
import { ProviderContext, remember } from "../context";
import { ApiResellerResources, serviceOwner, liveService, recentResellerServices, resellerServices, wroteResellerResources } from "./reseller-resources";
import { FleioApiError } from "../client/errors";
import { DomainHolders, sharedScan } from "../domain-holders";
import { clearedPanels } from "./taken-over";
import { notice } from "../notice";

/**
 * A reseller's end-user panel on its own domain. Fleio has no "domain" object: the
 * domain lives as the reseller service's `enduser_panel_url`, and sign-ups land under
 * the reseller when the end-user frontend on that domain sends `reseller_client_id`.
 */
export const frontendDomainInputs = z.strictObject({
    clientId: fleioId("client", "bigint").describe("Id of the reseller client."),
    /** The reseller service whose end-user panel this is. */
    serviceId: fleioId("service", "bigint").describe("The reseller service whose end-user panel this is."),
    /** Bare FQDN, e.g. "cloud.reseller.example". */
    domain: fqdn.describe("Bare domain name of the panel, e.g. cloud.reseller.example."),
    scheme: z.enum(["https", "http"], { error: 'must be "https" or "http"' }).default("https").describe("https (default) or http."),
    /** Take over a panel URL that is already set on the service (otherwise an existing different URL is refused). */
    adopt: fleioId("service", "bigint").optional().describe("Take over a panel URL that is already set on this service id (otherwise an existing different URL is refused)."),
});
export type FrontendDomainInputs = z.output<typeof frontendDomainInputs>;

export interface EndUserFrontendSettings {
    /** The URL the reseller's customers open. */
    panelUrl: string;
    /** Where the end-user frontend on that domain sends API calls. */
    backendApiUrl: string;
    /** Sent with every sign-up from that domain, so new users become the reseller's clients. */
    resellerClientId: number;
    signupPath: string;
}
export type FrontendDomainOutputs = FrontendDomainInputs & { enduserPanelUrl: string; frontend: EndUserFrontendSettings };

/** Fleio's documented form for the end-user panel URL: scheme://domain/ */
export const panelUrl = (i: Pick<FrontendDomainInputs, "scheme" | "domain">) => `${i.scheme}://${i.domain}/`;

export function parsePanelUrl(url: string): { scheme: "https" | "http"; domain: string } | undefined {
    const m = /^(https?):\/\/([^/:?#]+)/i.exec(url.trim());
    return m ? { scheme: m[1].toLowerCase() as "https" | "http", domain: domainKey(m[2]) } : undefined;
}

function outputs(ctx: ProviderContext, inputs: FrontendDomainInputs): FrontendDomainOutputs {
    return {
        ...inputs,
        enduserPanelUrl: panelUrl(inputs),
        frontend: {
            panelUrl: panelUrl(inputs),
            backendApiUrl: `${ctx.settings.siteUrl}/backend/api/`,
            resellerClientId: Number(inputs.clientId),
            signupPath: "/backend/api/signup",
        },
    };
}

/**
 * Which service holds which domain, over all resellers: reads every reseller's
 * services this run has not read yet (Fleio cannot be asked who holds one domain), in
 * parallel under the client's concurrency cap.
 */
export async function scanDomainHolders(ctx: ProviderContext): Promise<DomainHolders> {
    const holders: DomainHolders = new Map();
    // The filter only narrows: a client without a reseller service lists no resources.
    const clients = await ctx.api.list<{ id: number }>("clients", { has_reseller_service: "true" });
    // A client this run has read already (its own new resellers, above all) is taken as it
    // saw it, with its own writes applied: the same view its creates start from.
    const all = await Promise.all(clients.map(async (c) => ({ clientId: String(c.id), rs: await recentResellerServices(ctx, String(c.id)) })));
    for (const { clientId, rs } of all) {
        for (const [serviceId, rr] of Object.entries(rs.resources)) {
            const parsed = rr.enduser_panel_url ? parsePanelUrl(rr.enduser_panel_url) : undefined;
            if (parsed) holders.set(parsed.domain, { clientId, serviceId });
        }
    }
    return holders;
}

/** The holders once per provider process (shared by a fleet run's stacks: provider/domain-holders.ts). */
async function domainHolders(ctx: ProviderContext): Promise<DomainHolders> {
    return remember(ctx, "frontend-domain/holders", () => sharedScan(ctx.settings.siteUrl, () => scanDomainHolders(ctx)));
}

async function claim(ctx: ProviderContext, inputs: FrontendDomainInputs): Promise<void> {
    const holders = await domainHolders(ctx);
    const holder = holders.get(inputs.domain);
    if (holder && holder.serviceId !== inputs.serviceId)
        throw new Error(`${inputs.domain} is already the end-user panel of reseller client ${holder.clientId} (service ${holder.serviceId}); a domain can serve one reseller only`);
    // Remember this run's own claims, so two resources of one run cannot take the same domain.
    for (const [domain, h] of holders) if (h.serviceId === inputs.serviceId) holders.delete(domain);
    holders.set(inputs.domain, { clientId: inputs.clientId, serviceId: inputs.serviceId });
}

async function resourcesOf(ctx: ProviderContext, clientId: string, serviceId: string, recent = false): Promise<ApiResellerResources | undefined> {
    // Fleio does not check that the service belongs to the client in the URL; we do.
    return liveService(await (recent ? recentResellerServices : resellerServices)(ctx, clientId), serviceId)?.resources;
}

export async function setUrl(ctx: ProviderContext, inputs: Pick<FrontendDomainInputs, "clientId" | "serviceId">, url: string | null): Promise<void> {
    await ctx.api.post(`clients/${inputs.clientId}/update_reseller_enduser_panel_url`, { enduser_panel_url: url, service: apiId(inputs.serviceId) }, undefined, { idempotent: true });
    wroteResellerResources(ctx, inputs.clientId, inputs.serviceId, { enduser_panel_url: url });
}

async function apply(ctx: ProviderContext, inputs: FrontendDomainInputs, allowOverwrite: boolean): Promise<FrontendDomainOutputs> {
    // The service is usually one this run has just ordered and read: its answer holds the URL.
    const rr = await resourcesOf(ctx, inputs.clientId, inputs.serviceId, true);
    if (!rr) throw new Error(`client ${inputs.clientId} has no live reseller service ${inputs.serviceId}; pass the ResellerService's serviceId and clientId outputs`);
    const current = rr.enduser_panel_url ? parsePanelUrl(rr.enduser_panel_url) : undefined;
    if (!allowOverwrite && rr.enduser_panel_url && current?.domain !== inputs.domain)
        throw new Error(`service ${inputs.serviceId} already has end-user panel url ${rr.enduser_panel_url}; set adopt: "${inputs.serviceId}" to replace it with ${panelUrl(inputs)}`);
    await claim(ctx, inputs);
    if (rr.enduser_panel_url !== panelUrl(inputs)) await setUrl(ctx, inputs, panelUrl(inputs));
    return outputs(ctx, inputs);
}

export const frontendDomain = defineResource({
    kind: "FrontendDomain",
    /** Outputs beyond the inputs, for the schema and docs. */
    outputs: z.object({
        enduserPanelUrl: z.string().describe("The panel URL as Fleio holds it: scheme://domain/."),
        frontend: z
            .object({
                panelUrl: z.string().describe("The URL the reseller's customers open."),
                backendApiUrl: z.string().describe("Where the end-user frontend on that domain sends API calls."),
                resellerClientId: z.number().int().describe("Sent with every sign-up from that domain, so new users become the reseller's clients."),
                signupPath: z.string().describe("The sign-up page's path."),
            })
            .describe("The settings the reseller's end-user frontend needs on that domain."),
    }),
    inputs: frontendDomainInputs,
    // The panel belongs to one reseller service; moving it is clearing one and setting another.
    replaceOnChange: ["clientId", "serviceId"],
    createOnly: ["adopt"],
    // The same domain cannot be held by two services at once, even for a moment.
    deleteBeforeReplace: true,
    async create(ctx, inputs) {
        return { id: inputs.serviceId, outs: await apply(ctx, inputs, false) };
    },
    async adopt(ctx, id, inputs) {
        if (id !== inputs.serviceId) throw new Error(`adopt must name the same service as serviceId (${inputs.serviceId}), got ${id}`);
        return { id, outs: await apply(ctx, inputs, true) };
    },
    /** Imported by the reseller service's id, which is the panel's id. */
    async importState(ctx, id) {
        return { clientId: (await serviceOwner(ctx, id)).clientId, serviceId: id };
    },
    async read(ctx, _id, olds) {
        const rr = await resourcesOf(ctx, olds.clientId, olds.serviceId);
        const parsed = rr?.enduser_panel_url ? parsePanelUrl(rr.enduser_panel_url) : undefined;
        // No URL any more: the panel was removed outside Pulumi.
        if (!parsed) return undefined;
        return outputs(ctx, { ...olds, domain: parsed.domain, scheme: parsed.scheme });
    },
    async update(ctx, _id, _olds, news) {
        return apply(ctx, news, true);
    },
    async delete(ctx, _id, olds) {
        // Only the URL this stack set is cleared: another one is someone else's since.
        const rr = await resourcesOf(ctx, olds.clientId, olds.serviceId);
        if (!rr?.enduser_panel_url) return; // no panel any more (or no service)
        const now = parsePanelUrl(rr.enduser_panel_url);
        if (now?.domain !== domainKey(olds.domain) || now.scheme !== olds.scheme) {
            notice(`service ${olds.serviceId} now has end-user panel url ${rr.enduser_panel_url}, not this stack's ${panelUrl(olds)}: left as it is`);
            return;
        }
        const url = rr.enduser_panel_url;
        try {
            await setUrl(ctx, olds, null);
            clearedPanels(ctx).set(olds.serviceId, { clientId: olds.clientId, url });
        } catch (e) {
            // A client or service that is gone answers 404; a service whose reseller
            // resources Fleio has already removed answers its 500. Either way the panel is
            // gone with it, which only a read can tell from a real failure.
            if (!(e instanceof FleioApiError && (e.status === 404 || e.status === 500))) throw e;
            if (e.status === 500 && (await resourcesOf(ctx, olds.clientId, olds.serviceId))) throw e;
        }
    },
});
