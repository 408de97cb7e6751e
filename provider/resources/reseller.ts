import { z } from "zod";
import { defineResource } from "./define";
import { countryCode, currencyCode, email, fleioId, optionalText, requiredText } from "../validation/fields";
import type { ProviderContext } from "../context";
import { createOnce } from "./create-once";
import { offeredCurrency } from "../validation/remote";
import { waitUntilGone } from "./wait";

/** The reseller client: an ordinary Fleio client that will own a reseller service. */
export const resellerInputs = z.strictObject({
    firstName: requiredText(127),
    lastName: requiredText(127),
    company: optionalText(127),
    email,
    phone: requiredText(64),
    fax: optionalText(64),
    address1: requiredText(255),
    address2: optionalText(255),
    city: requiredText(127),
    state: optionalText(127),
    zipCode: requiredText(10),
    country: countryCode,
    currency: currencyCode,
    vatId: optionalText(32),
    /** Fleio's unique external id; also how a create that lost its answer is found again. */
    externalBillingId: optionalText(38),
    /** Id of an existing Fleio client to take over instead of creating one. */
    adopt: fleioId("client", "bigint").optional(),
});
export type ResellerInputs = z.output<typeof resellerInputs>;
export type ResellerOutputs = ResellerInputs & { clientId: string; name: string; status: string; dateCreated?: string };

/** The client as Fleio returns it; only the fields we read. */
interface ApiClient {
    id: number;
    first_name: string;
    last_name: string;
    company?: string | null;
    email: string;
    phone: string;
    fax?: string | null;
    address1?: string;
    address2?: string | null;
    city: string;
    state?: string | null;
    zip_code?: string;
    country: string;
    currency: string;
    vat_id?: string | null;
    external_billing_id?: string | null;
    name?: string;
    status?: string;
    date_created?: string;
}

const blank = (v: string | null | undefined) => (v === null || v === undefined || v === "" ? undefined : v);

export function toApi(i: ResellerInputs): Record<string, unknown> {
    return {
        first_name: i.firstName,
        last_name: i.lastName,
        company: i.company ?? "",
        email: i.email,
        phone: i.phone,
        fax: i.fax ?? "",
        address1: i.address1,
        address2: i.address2 ?? "",
        city: i.city,
        state: i.state ?? "",
        zip_code: i.zipCode,
        country: i.country,
        currency: i.currency,
        vat_id: i.vatId ?? "",
        // Unique and nullable in Fleio: "" would collide between clients, null does not.
        external_billing_id: i.externalBillingId ?? null,
    };
}

/**
 * Fleio never returns external_billing_id (neither client serializer has it), so the
 * value is carried over from what was last written, never read back as "missing".
 */
export function fromApi(c: ApiClient, keep: Pick<ResellerInputs, "adopt" | "externalBillingId">): ResellerOutputs {
    return {
        firstName: c.first_name,
        lastName: c.last_name,
        company: blank(c.company),
        email: c.email,
        phone: c.phone,
        fax: blank(c.fax),
        address1: c.address1 ?? "",
        address2: blank(c.address2),
        city: c.city,
        state: blank(c.state),
        zipCode: c.zip_code ?? "",
        country: c.country,
        currency: c.currency,
        vatId: blank(c.vat_id),
        externalBillingId: blank(c.external_billing_id) ?? keep.externalBillingId,
        adopt: keep.adopt,
        clientId: String(c.id),
        name: c.name ?? `${c.first_name} ${c.last_name}`,
        status: c.status ?? "active",
        dateCreated: c.date_created,
    };
}

async function get(ctx: ProviderContext, id: string): Promise<ApiClient | undefined> {
    const c = await ctx.api.getIfExists<ApiClient>(`clients/${id}`);
    // A client being deleted is as good as gone: it cannot be managed any more.
    return c?.status === "deleting" ? undefined : c;
}

async function converge(ctx: ProviderContext, id: string, inputs: ResellerInputs): Promise<ResellerOutputs> {
    // PATCH, not PUT: Fleio's PUT requires custom_fields, which this resource does not manage.
    // The answer may lack computed fields (name, status): read the client back whole.
    await ctx.api.patch(`clients/${id}`, toApi(inputs));
    return readBack(ctx, id, inputs);
}

async function readBack(ctx: ProviderContext, id: string, keep: ResellerInputs): Promise<ResellerOutputs> {
    const c = await get(ctx, id);
    if (!c) throw new Error(`client ${id} disappeared from Fleio while being written`);
    return fromApi(c, keep);
}

export const reseller = defineResource({
    kind: "Reseller",
    inputs: resellerInputs,
    remoteCheck: offeredCurrency,
    // A client's balance, invoices and prices are kept in its currency; Fleio does not
    // convert them, so a reseller in another currency is a new client.
    replaceOnChange: ["currency"],
    createOnly: ["adopt"],
    async create(ctx, inputs) {
        const body = { ...toApi(inputs), create_auto_order_service: false };
        const id = await createOnce(ctx, {
            what: `client ${inputs.email}`,
            send: () => ctx.api.post<ApiClient>("clients", body).then((c) => String(c.id)),
            // Where the answer was lost, the unique external id finds the client again;
            // without one, a client with the same email and name that was not there before.
            findExisting: () =>
                inputs.externalBillingId
                    ? ctx.api.list<ApiClient>("clients", { external_billing_id: inputs.externalBillingId })
                    : ctx.api.list<ApiClient>("clients", { search: inputs.email }),
            // The external id is filtered by Fleio itself (the field is not in its answers).
            matches: (c: ApiClient) => Boolean(inputs.externalBillingId) || (c.email === inputs.email && c.first_name === inputs.firstName && c.last_name === inputs.lastName),
            snapshotFirst: !inputs.externalBillingId,
        });
        return { id, outs: await readBack(ctx, id, inputs) };
    },
    async adopt(ctx, id, inputs) {
        const c = await get(ctx, id);
        if (!c) throw new Error(`adopt: there is no client ${id} in Fleio; check the id, or remove "adopt" to create a new client`);
        if (c.currency !== inputs.currency)
            throw new Error(`adopt: client ${id} uses currency ${c.currency}, not ${inputs.currency}; set currency to "${c.currency}" to adopt it`);
        return { id, outs: await converge(ctx, id, inputs) };
    },
    async read(ctx, id, olds) {
        const c = await get(ctx, id);
        return c && fromApi(c, olds);
    },
    async update(ctx, id, _olds, news) {
        return converge(ctx, id, news);
    },
    async delete(ctx, id) {
        // Fleio answers 202 and deletes in the background; wait so a following create
        // (a replacement) does not race the old client.
        await ctx.api.delete(`clients/${id}`);
        await waitUntilGone(ctx, `client ${id}`, async () => (await get(ctx, id)) === undefined);
    },
});
