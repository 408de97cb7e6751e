import { z } from "zod";
import { defineResource } from "./define";
import { fleioId, requiredText, textWithDefault } from "../validation/fields";
import type { ProviderContext } from "../context";
import { FleioApiError } from "../client/errors";
import { createOnce, Created } from "./create-once";
import { alreadyHolds } from "./already";
import { optionalId, ownerScope, resellerClientOf } from "./reseller-resources";
import { remember } from "../context";
import { notice } from "../notice";

/** A Fleio configuration (Settings → Configurations), staff-wide or owned by a reseller. */
export const configurationInputs = z.strictObject({
    name: requiredText(24).describe("Configuration name (at most 24 characters)."),
    description: textWithDefault(255, "", { multiline: true }).describe("Free text."),
    isDefault: z.boolean({ error: "must be true or false" }).default(false).describe("Whether this is the default configuration of its scope."),
    /** Client id of the reseller that owns it; absent = staff configuration (or, with apiScope=reseller, the caller's). */
    resellerClientId: fleioId("client", "bigint").optional().describe("Client id of the reseller that owns it; absent = staff configuration (or, with apiScope=reseller, the caller's). Changing it replaces the configuration."),
    adopt: fleioId("configuration", "int").optional().describe("Id of an existing configuration to take over instead of creating one (used at create only)."),
});
export type ConfigurationInputs = z.output<typeof configurationInputs>;
export type ConfigurationOutputs = ConfigurationInputs & { configurationId: string; resellerResourcesId?: string; clientCount: number };

interface ApiConfiguration {
    id: number;
    name: string;
    description: string;
    is_default: boolean;
    reseller_resources?: number | null;
    client_count?: number;
}

const PATH = "configurations";

function fromApi(c: ApiConfiguration, keep: Pick<ConfigurationInputs, "resellerClientId" | "adopt">): ConfigurationOutputs {
    return {
        name: c.name,
        description: c.description ?? "",
        isDefault: c.is_default,
        resellerClientId: keep.resellerClientId,
        adopt: keep.adopt,
        configurationId: String(c.id),
        resellerResourcesId: optionalId(c.reseller_resources),
        clientCount: c.client_count ?? 0,
    };
}

const get = (ctx: ProviderContext, id: string) => ctx.api.getIfExists<ApiConfiguration>(`${PATH}/${id}`);

const scopeOf = (ctx: ProviderContext, inputs: ConfigurationInputs) => ownerScope(ctx, inputs.resellerClientId, "configuration");

const body = (i: ConfigurationInputs, scope: number | null) => ({
    name: i.name,
    description: i.description,
    is_default: i.isDefault,
    ...(scope === null ? {} : { reseller_resources: scope }),
});

const filterByName = (ctx: ProviderContext, list: ApiConfiguration[], name: string, scope: number | null) =>
    list.filter((c) => c.name === name && (ctx.settings.apiScope === "reseller" || (c.reseller_resources ?? null) === scope));

async function findByName(ctx: ProviderContext, name: string, scope: number | null): Promise<ApiConfiguration[]> {
    return filterByName(ctx, await ctx.api.list<ApiConfiguration>(PATH, { search: name }), name, scope);
}

export const configuration = defineResource({
    kind: "Configuration",
    /** Outputs beyond the inputs, for the schema and docs. */
    outputs: z.object({
        configurationId: z.string().describe("Fleio's id of the configuration."),
        resellerResourcesId: z.string().optional().describe("Id of the reseller resources (scope) that own it; absent for a staff configuration."),
        clientCount: z.number().int().describe("How many clients use the configuration."),
    }),
    inputs: configurationInputs,
    // A configuration's owner cannot change: its clients and settings belong to that scope.
    replaceOnChange: ["resellerClientId"],
    stableOutputs: ["configurationId", "resellerResourcesId"],
    createOnly: ["adopt"],
    async create(ctx, inputs, resumed) {
        const scope = await scopeOf(ctx, inputs);
        // Fleio keeps names unique only inside one reseller's scope; in the staff scope a
        // second configuration of the same name is accepted (Observed).
        const unique = scope !== null || ctx.settings.apiScope === "reseller";
        const send = () => ctx.api.post<ApiConfiguration>(PATH, body(inputs, scope));
        let found: Created<ApiConfiguration>;
        try {
            found = await createOnce<ApiConfiguration>({
                what: `configuration "${inputs.name}" in this scope`,
                send,
                lookup: () => findByName(ctx, inputs.name, scope),
                get: (id) => get(ctx, id),
                existing: unique ? undefined : async () => filterByName(ctx, await remember(ctx, "configurations/at-start", () => ctx.api.list<ApiConfiguration>(PATH)), inputs.name, scope),
                identity: unique ? "unique" : "ambiguous",
                adoptHint: (c) => `set adopt: "${c.id}" on this Configuration to manage it, or choose another name`,
                retries: ctx.settings.retries,
                resumed,
            });
        } catch (e) {
            if (!(unique && e instanceof FleioApiError && e.status === 400)) throw e;
            // The name is taken in this reseller's scope: by an interrupted run's configuration.
            const taken = await findByName(ctx, inputs.name, scope);
            if (taken.length !== 1) throw e;
            found = { object: taken[0], how: "found" };
            notice(`took over configuration ${taken[0].id} "${inputs.name}", which already existed in this reseller's scope`);
        }
        const id = String(found.object.id);
        const c = found.how === "found" ? await ctx.api.put<ApiConfiguration>(`${PATH}/${id}`, body(inputs, scope)) : found.object;
        return { id, outs: fromApi(c, inputs) };
    },
    async adopt(ctx, id, inputs) {
        const c = await get(ctx, id);
        if (!c) throw new Error(`adopt: there is no configuration ${id} in Fleio; check the id, or remove "adopt" to create one`);
        const scope = await scopeOf(ctx, inputs);
        if (ctx.settings.apiScope === "staff" && (c.reseller_resources ?? null) !== scope)
            throw new Error(`adopt: configuration ${id} belongs to ${c.reseller_resources === null ? "the staff scope" : `reseller resources ${c.reseller_resources}`}, not to the scope given by resellerClientId`);
        const current = fromApi(c, inputs);
        if (alreadyHolds(configurationInputs, current, inputs, ["name", "description", "isDefault"])) return { id, outs: current };
        return { id, outs: fromApi(await ctx.api.put<ApiConfiguration>(`${PATH}/${id}`, body(inputs, scope)), inputs) };
    },
    async importState(ctx, id) {
        return { resellerClientId: await resellerClientOf(ctx, optionalId((await get(ctx, id))?.reseller_resources)) };
    },
    async read(ctx, id, olds) {
        const c = await get(ctx, id);
        return c && fromApi(c, olds);
    },
    async update(ctx, id, olds, news) {
        // Fleio may already hold the declared values: then nothing is sent.
        const now = await get(ctx, id);
        if (now && alreadyHolds(configurationInputs, fromApi(now, news), news, ["name", "description", "isDefault"])) return fromApi(now, news);
        // State written before 0.2 may hold the text "undefined" here (reseller API answers).
        const scope = ctx.settings.apiScope === "staff" && /^\d+$/.test(olds.resellerResourcesId ?? "") ? Number(olds.resellerResourcesId) : null;
        return fromApi(await ctx.api.put<ApiConfiguration>(`${PATH}/${id}`, body(news, scope)), news);
    },
    async delete(ctx, id) {
        await ctx.api.delete(`${PATH}/${id}`);
    },
});
