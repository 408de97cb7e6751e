import { z } from "zod";
import { defineResource } from "./define";
import { countryCode, currencyCode, email, fleioId, optionalText, requiredText } from "../validation/fields";
import { alreadyHolds } from "./already";
import { ProviderContext, remember, runState } from "../context";
import { FleioApiError } from "../client/errors";
import { notice } from "../notice";
import { createOnce } from "./create-once";
import { offeredCurrency } from "../validation/remote";
import { waitUntilGone } from "./wait";
import { takenOverClients } from "./taken-over";

/** The reseller client: an ordinary Fleio client that will own a reseller service. */
export const resellerInputs = z.strictObject({
    firstName: requiredText(127).describe("The client's first name (Fleio: first_name)."),
    lastName: requiredText(127).describe("The client's last name."),
    company: optionalText(127).describe("Company name; empty means none."),
    email: email.describe("Contact e-mail address, checked as Fleio checks it."),
    phone: requiredText(64).describe("Phone number."),
    fax: optionalText(64).describe("Fax number; empty means none."),
    address1: requiredText(255).describe("First address line."),
    address2: optionalText(255).describe("Second address line; empty means none."),
    city: requiredText(127).describe("City."),
    state: optionalText(127).describe("State or region; empty means none."),
    zipCode: requiredText(10).describe("Postal code (at most 10 characters)."),
    country: countryCode.describe("ISO 3166-1 alpha-2 country code, e.g. DE."),
    currency: currencyCode.describe("ISO 4217 currency code of the client's balance and invoices, e.g. EUR; one Fleio offers. Changing it replaces the client."),
    vatId: optionalText(32).describe("VAT id; empty means none."),
    /** Fleio's unique external id; also how a create that lost its answer is found again. */
    externalBillingId: optionalText(38).describe("Fleio's unique external billing id; also how a create that lost its answer is found again. Fleio never returns it, so an import cannot recover it: add it to the imported code by hand."),
    /** Id of an existing Fleio client to take over instead of creating one. */
    adopt: fleioId("client", "bigint").optional().describe("Id of an existing Fleio client to take over instead of creating one (used at create only)."),
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
    suspend_instead_of_terminate?: boolean;
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
        // Fleio's Client.name: the person's name, or the company when there is no first name.
        name: c.name ?? (c.first_name ? `${c.first_name} ${c.last_name}` : (c.company ?? "")),
        status: c.status ?? "active",
        dateCreated: c.date_created,
    };
}

async function get(ctx: ProviderContext, id: string): Promise<ApiClient | undefined> {
    const c = await ctx.api.getIfExists<ApiClient>(`clients/${id}`);
    // A client being deleted is as good as gone: it cannot be managed any more.
    return c?.status === "deleting" ? undefined : c;
}

/** Every field a PATCH writes that Fleio renders back. */
const CLIENT_FIELDS = ["firstName", "lastName", "company", "email", "phone", "fax", "address1", "address2", "city", "state", "zipCode", "country", "currency", "vatId"] as const;

/**
 * Whether the client already is what the inputs say. Fleio never renders
 * external_billing_id, so an id asked for is checked with the one filter Fleio applies to it.
 */
async function holdsAlready(ctx: ProviderContext, c: ApiClient, inputs: ResellerInputs): Promise<boolean> {
    if (!alreadyHolds(resellerInputs, fromApi(c, inputs), inputs, CLIENT_FIELDS)) return false;
    if (!inputs.externalBillingId) return true;
    return (await byExternalId(ctx, inputs.externalBillingId)).some((x) => x.id === c.id);
}

async function converge(ctx: ProviderContext, id: string, inputs: ResellerInputs): Promise<ResellerOutputs> {
    // PATCH, not PUT: Fleio's PUT requires custom_fields, which this resource does not manage.
    // Fleio answers a PATCH with the full client, so no read-back is needed.
    return fromApi(await ctx.api.patch<ApiClient>(`clients/${id}`, toApi(inputs)), inputs);
}

/** Clients this run deleted, so a per-run scan taken earlier does not count them. */
const deletedThisRun = (ctx: ProviderContext) => runState(ctx, "clients/deleted", () => new Set<string>());

const byExternalId = (ctx: ProviderContext, externalBillingId: string) =>
    // Fleio filters on external_billing_id itself (Observed) and never renders the field, so
    // this one filter cannot be checked on the answer; the contract suite checks Fleio honours it.
    ctx.api.list<ApiClient>("clients", { external_billing_id: externalBillingId });

/**
 * Without an external billing id a client has no unique key: one with the same email
 * and name that is still active may be an interrupted run's, or someone else's.
 */
async function sameNamedClients(ctx: ProviderContext, i: ResellerInputs, fresh: boolean): Promise<ApiClient[]> {
    const load = () => ctx.api.list<ApiClient>("clients", { search: i.email });
    const all = fresh ? await load() : await remember(ctx, `clients/search:${i.email.toLowerCase()}`, load);
    const gone = deletedThisRun(ctx);
    return all.filter((c) => c.email === i.email && c.first_name === i.firstName && c.last_name === i.lastName && c.status === "active" && !gone.has(String(c.id)));
}

/**
 * A client with this external billing id already exists: the one an interrupted run
 * made, the one Fleio kept (suspended) after an earlier delete, or the one a resource of
 * this stack held under another name (a renamed resource or data file; its delete later
 * in the run then leaves it alone). The id is unique, so identity is certain: take it
 * over, resuming it when Fleio had suspended it. The notice says what was found, not
 * which of these it was: that is not known here.
 */
async function takeOver(ctx: ProviderContext, c: ApiClient, inputs: ResellerInputs): Promise<{ id: string; outs: ResellerOutputs }> {
    const id = String(c.id);
    if (c.status === "suspended") {
        await ctx.api.post(`clients/${id}/resume`, {}, undefined, { idempotent: true });
        notice(`resumed client ${id} (externalBillingId ${inputs.externalBillingId}), which Fleio had kept suspended, and took it over`);
    } else notice(`took over client ${id}: Fleio already has it with externalBillingId ${inputs.externalBillingId}, which identifies one client`);
    return { id, outs: await converge(ctx, id, inputs) };
}

/**
 * Clears a kept client's external billing id. Fleio's PATCH answers through the client's
 * retrieve serializer, which has no external_billing_id, so only a PUT (the update
 * serializer: every required field, custom_fields included) writes it.
 */
async function releaseExternalId(ctx: ProviderContext, id: string): Promise<void> {
    const c = await ctx.api.get<ApiClient & { custom_fields?: unknown[] }>(`clients/${id}`);
    const kept = fromApi(c, { adopt: undefined, externalBillingId: undefined });
    await ctx.api.put(`clients/${id}`, { ...toApi({ ...kept, externalBillingId: undefined }), custom_fields: c.custom_fields ?? [], external_billing_id: null });
}

export const reseller = defineResource({
    kind: "Reseller",
    /** Outputs beyond the inputs, for the schema and docs. */
    outputs: z.object({
        clientId: z.string().describe("Fleio's id of the client."),
        name: z.string().describe("The client's name as Fleio shows it: the person's name, or the company when there is no first name."),
        status: z.string().describe("The client's status in Fleio, e.g. active or suspended."),
        dateCreated: z.string().optional().describe("When Fleio created the client."),
    }),
    inputs: resellerInputs,
    remoteCheck: offeredCurrency,
    // A client's balance, invoices and prices are kept in its currency; Fleio does not
    // convert them, so a reseller in another currency is a new client.
    replaceOnChange: ["currency"],
    stableOutputs: ["clientId", "dateCreated"],
    // The old client must let go of the unique external billing id before the new one takes it.
    deleteBeforeReplace: true,
    createOnly: ["adopt"],
    async create(ctx, inputs, resumed) {
        const body = { ...toApi(inputs), create_auto_order_service: false };
        const ext = inputs.externalBillingId;
        const send = () => ctx.api.post<ApiClient>("clients", body);
        try {
            const { object, how } = await createOnce<ApiClient>({
                what: ext ? `client with externalBillingId ${ext}` : `an active client ${inputs.email} named ${inputs.firstName} ${inputs.lastName}`,
                send,
                lookup: () => (ext ? byExternalId(ctx, ext) : sameNamedClients(ctx, inputs, true)),
                get: (id) => get(ctx, id),
                existing: ext ? undefined : () => sameNamedClients(ctx, inputs, false),
                identity: ext ? "unique" : "ambiguous",
                adoptHint: (c) => `set adopt: "${c.id}" on this Reseller to manage it${ext ? "" : ", or give it an externalBillingId so it can be recognised"}`,
                retries: ctx.settings.retries,
                resumed,
            });
            if (how === "found") return takeOver(ctx, object, inputs);
            return { id: String(object.id), outs: fromApi(object, inputs) };
        } catch (e) {
            if (!(ext && e instanceof FleioApiError && e.status === 400 && e.fields.external_billing_id)) throw e;
        }
        // Fleio refused the external billing id: a client holds it already.
        const [holder, ...more] = await byExternalId(ctx!, ext!);
        if (!holder || more.length) throw new Error(`Fleio refused externalBillingId ${ext} as taken, but lists ${more.length + (holder ? 1 : 0)} clients with it`);
        if (holder.currency === inputs.currency) return takeOver(ctx, holder, inputs);
        if (holder.status !== "suspended")
            throw new Error(`externalBillingId ${ext} belongs to active client ${holder.id} in ${holder.currency}, not ${inputs.currency}; set currency to "${holder.currency}" to manage it, or choose another externalBillingId`);
        // The client Fleio kept after a delete (e.g. this reseller's replacement for a new
        // currency): it keeps its data, and lets go of the unique id for the new client.
        await releaseExternalId(ctx, String(holder.id));
        notice(`client ${holder.id} (${holder.currency}), kept suspended by Fleio, released externalBillingId ${ext} to the new ${inputs.currency} client`);
        const created = await send();
        return { id: String(created.id), outs: fromApi(created, inputs) };
    },
    async adopt(ctx, id, inputs) {
        const c = await get(ctx, id);
        if (!c) throw new Error(`adopt: there is no client ${id} in Fleio; check the id, or remove "adopt" to create a new client`);
        if (c.currency !== inputs.currency)
            throw new Error(`adopt: client ${id} uses currency ${c.currency}, not ${inputs.currency}; set currency to "${c.currency}" to adopt it`);
        if (c.status === "suspended") await ctx.api.post(`clients/${id}/resume`, {}, undefined, { idempotent: true });
        else if (await holdsAlready(ctx, c, inputs)) return { id, outs: fromApi(c, inputs) };
        return { id, outs: await converge(ctx, id, inputs) };
    },
    async read(ctx, id, olds) {
        const c = await get(ctx, id);
        return c && fromApi(c, olds);
    },
    async update(ctx, id, olds, news) {
        // Fleio may already hold the declared values (changed by hand, or by an earlier run
        // whose state was lost): then nothing is sent. The external id is never rendered;
        // unchanged since the last write, it needs no look-up.
        const c = await get(ctx, id);
        const sameExternalId = olds.externalBillingId === news.externalBillingId;
        if (c && (await holdsAlready(ctx, c, sameExternalId ? { ...news, externalBillingId: undefined } : news))) return fromApi(c, news);
        return converge(ctx, id, news);
    },
    async delete(ctx, id) {
        if (takenOverClients(ctx).has(id)) {
            notice(`client ${id} is left active: this run found its reseller service taken over by another stack or program`);
            return;
        }
        await ctx.api.delete(`clients/${id}`);
        deletedThisRun(ctx).add(id);
        // Fleio answers 204 and then either suspends the client and keeps it (its billing
        // setting suspend_instead_of_terminate, on by default) or terminates it in the
        // background: wait for whichever Fleio does, and say what it kept.
        let kept: ApiClient | undefined;
        await waitUntilGone(ctx, `client ${id}`, async () => {
            const c = await ctx.api.getIfExists<ApiClient>(`clients/${id}`);
            if (c && c.status === "suspended" && c.suspend_instead_of_terminate !== false) kept = c;
            return !c || kept !== undefined;
        });
        if (kept) notice(`Fleio kept client ${id} (${kept.name ?? kept.email}) suspended, as its configuration's billing setting suspend_instead_of_terminate asks; it is no longer managed by this stack`);
    },
});
