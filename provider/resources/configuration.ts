import { z } from "zod";
import { defineResource } from "./define";
import { fleioId, requiredText, textWithDefault } from "../validation/fields";
import type { ProviderContext } from "../context";
import { FleioApiError } from "../client/errors";
import { createOnce } from "./create-once";
import { ownerScope } from "./reseller-resources";

/** A Fleio configuration (Settings → Configurations), staff-wide or owned by a reseller. */
export const configurationInputs = z.strictObject({
    name: requiredText(24),
    description: textWithDefault(255, "", { multiline: true }),
    isDefault: z.boolean({ error: "must be true or false" }).default(false),
    /** Client id of the reseller that owns it; absent = staff configuration (or, with apiScope=reseller, the caller's). */
    resellerClientId: fleioId("client", "bigint").optional(),
    adopt: fleioId("configuration", "int").optional(),
});
export type ConfigurationInputs = z.output<typeof configurationInputs>;
export type ConfigurationOutputs = ConfigurationInputs & { configurationId: string; resellerResourcesId?: string; clientCount: number };

interface ApiConfiguration {
    id: number;
    name: string;
    description: string;
    is_default: boolean;
    reseller_resources: number | null;
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
        resellerResourcesId: c.reseller_resources === null ? undefined : String(c.reseller_resources),
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

async function findByName(ctx: ProviderContext, name: string, scope: number | null): Promise<ApiConfiguration[]> {
    return (await ctx.api.list<ApiConfiguration>(PATH, { search: name })).filter((c) => c.name === name && (ctx.settings.apiScope === "reseller" || c.reseller_resources === scope));
}

export const configuration = defineResource({
    kind: "Configuration",
    inputs: configurationInputs,
    // A configuration's owner cannot change: its clients and settings belong to that scope.
    replaceOnChange: ["resellerClientId"],
    createOnly: ["adopt"],
    async create(ctx, inputs) {
        const scope = await scopeOf(ctx, inputs);
        let id: string;
        try {
            id = await createOnce(ctx, {
                what: `configuration "${inputs.name}"`,
                send: () => ctx.api.post<ApiConfiguration>(PATH, body(inputs, scope)).then((c) => String(c.id)),
                findExisting: () => findByName(ctx, inputs.name, scope),
                matches: () => true,
                // (name, scope) is unique in Fleio: whatever has the name now is ours.
                snapshotFirst: false,
            });
        } catch (e) {
            if (e instanceof FleioApiError && e.status === 400) {
                const taken = await findByName(ctx, inputs.name, scope);
                if (taken.length)
                    throw new Error(`a configuration named "${inputs.name}" already exists in this scope (id ${taken[0].id}); choose another name or set adopt: "${taken[0].id}" to manage it`);
            }
            throw e;
        }
        const c = await get(ctx, id);
        if (!c) throw new Error(`configuration ${id} disappeared from Fleio right after it was created`);
        return { id, outs: fromApi(c, inputs) };
    },
    async adopt(ctx, id, inputs) {
        const c = await get(ctx, id);
        if (!c) throw new Error(`adopt: there is no configuration ${id} in Fleio; check the id, or remove "adopt" to create one`);
        const scope = await scopeOf(ctx, inputs);
        if (ctx.settings.apiScope === "staff" && c.reseller_resources !== scope)
            throw new Error(`adopt: configuration ${id} belongs to ${c.reseller_resources === null ? "the staff scope" : `reseller resources ${c.reseller_resources}`}, not to the scope given by resellerClientId`);
        return { id, outs: fromApi(await ctx.api.put<ApiConfiguration>(`${PATH}/${id}`, body(inputs, scope)), inputs) };
    },
    async read(ctx, id, olds) {
        const c = await get(ctx, id);
        return c && fromApi(c, olds);
    },
    async update(ctx, id, olds, news) {
        const scope = olds.resellerResourcesId ? Number(olds.resellerResourcesId) : null;
        return fromApi(await ctx.api.put<ApiConfiguration>(`${PATH}/${id}`, body(news, scope)), news);
    },
    async delete(ctx, id) {
        await ctx.api.delete(`${PATH}/${id}`);
    },
});
