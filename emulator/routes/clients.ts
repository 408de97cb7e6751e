import { createHash } from "node:crypto";
import { drfDateTime } from "../clock";
import { EmulatorContext } from "../context";
import { deleteClient, resumeClient } from "../domain/clients";
import { liveResellerResourcesOf } from "../domain/reseller";
import { FleioVersion, knowsClientFilter } from "../domain/versions";
import { serverError, validation } from "../errors";
import { ListSpec, applyList } from "../listing";
import { Client, Db } from "../model";
import { paginate } from "../pagination";
import { clientCreateSchema, clientPatchSchema, clientUpdateSchema } from "../schemas/client";
import { MISSING, validate } from "../schemas/drf";
import { clientBrief, clientCreated, clientDetail, clientUpdated } from "../serializers/clients";
import { findOr404, idParam, nextId, visibleIn } from "./lookup";
import { ApiRequest, ApiRouter, ok } from "./registry";

/** /clients on the staff API (full CRUD) and the reseller API (its own clients, read-only). */

const clientList = (db: Db, version: FleioVersion): ListSpec<Client> => ({
    fields: {
        id: { kind: "int", get: (c) => c.id },
        first_name: { kind: "str", get: (c) => c.first_name },
        last_name: { kind: "str", get: (c) => c.last_name },
        company: { kind: "str", get: (c) => c.company },
        address1: { kind: "str", get: (c) => c.address1 },
        address2: { kind: "str", get: (c) => c.address2 },
        city: { kind: "str", get: (c) => c.city },
        country: { kind: "str", get: (c) => c.country },
        state: { kind: "str", get: (c) => c.state },
        zip_code: { kind: "str", get: (c) => c.zip_code },
        phone: { kind: "str", get: (c) => c.phone },
        email: { kind: "str", get: (c) => c.email },
        date_created: { kind: "datetime", get: (c) => c.date_created },
        currency: { kind: "str", get: (c) => c.currency },
        external_billing_id: { kind: "str", get: (c) => c.external_billing_id },
        vat_id: { kind: "str", get: (c) => c.vat_id },
        tax_exempt: { kind: "bool", get: (c) => c.tax_exempt },
        status: { kind: "str", get: (c) => c.status },
        has_billing_agreement: { kind: "bool", get: (c) => c.has_billing_agreement },
        uptodate_credit: { kind: "decimal", get: (c) => c.uptodate_credit },
        configuration: { kind: "fk", get: (c) => c.configuration },
        configuration__name: { kind: "str", get: (c) => db.configurations.find((x) => x.id === c.configuration)?.name ?? null },
        reseller_resources: { kind: "fk", get: (c) => c.reseller_resources },
    },
    search: [(c) => c.first_name, (c) => c.last_name, (c) => c.id, (c) => c.email, (c) => c.company, (c) => c.external_billing_id, (c) => db.configurations.find((x) => x.id === c.configuration)?.name, (c) => c.groups.join(" ")],
    ordering: {
        first_name: (c) => c.first_name,
        last_name: (c) => c.last_name,
        company: (c) => c.company,
        address1: (c) => c.address1,
        address2: (c) => c.address2,
        city: (c) => c.city,
        country: (c) => c.country,
        state: (c) => c.state,
        date_created: (c) => c.date_created,
        uptodate_credit: (c) => (c.uptodate_credit === null ? null : Number(c.uptodate_credit)),
        configuration_name: (c) => db.configurations.find((x) => x.id === c.configuration)?.name ?? null,
        group_name: (c) => c.groups[0] ?? null,
    },
    filters: {
        id: { kind: "int", test: (c, v) => c.id === v },
        external_billing_id: { kind: "str", test: (c, v) => c.external_billing_id === v },
        has_billing_agreement: { kind: "bool", test: (c, v) => c.has_billing_agreement === v },
        has_reseller_service: { kind: "bool", test: (c, v) => !knowsClientFilter(version, "has_reseller_service") || (liveResellerResourcesOf(db, c.id) !== undefined) === v },
        has_external_billing: { kind: "bool", test: (c, v) => (c.external_billing_id !== null && c.external_billing_id !== "") === v },
    },
});

/** Client.save(): a configuration from another reseller scope becomes the scope's default; none stays none. */
function applyDefaultConfiguration(db: Db, c: Client): void {
    const current = db.configurations.find((x) => x.id === c.configuration);
    if (!current) {
        c.configuration = null;
        return;
    }
    if (current.reseller_resources !== c.reseller_resources)
        c.configuration = db.configurations.find((x) => x.is_default && x.reseller_resources === c.reseller_resources)?.id ?? null;
}

/**
 * DRF skips validators for "", so a second blank external_billing_id passes the
 * serializer and hits the database's unique index: Fleio answers 500.
 */
function checkBlankExternalId(db: Db, value: unknown, selfId?: number): void {
    if (value === "" && db.clients.some((c) => c.external_billing_id === "" && c.id !== selfId))
        throw serverError('IntegrityError: duplicate key value violates unique constraint "core_client_external_billing_id_key" (external_billing_id "")');
}

/** `reseller_client` → the reseller's resources; Fleio's Client.objects.get raises (500) on an unknown id. */
function resellerScopeOf(db: Db, resellerClient: number | null | typeof MISSING | undefined): number | null {
    if (!resellerClient || resellerClient === MISSING) return null;
    if (!db.clients.some((c) => c.id === resellerClient)) throw serverError(`Client.DoesNotExist: no client ${resellerClient} (reseller_client)`);
    return liveResellerResourcesOf(db, resellerClient)?.id ?? null;
}

function newClientId(ctx: EmulatorContext): number {
    for (;;) {
        const id = ctx.ids.sixDigits();
        if (!ctx.store.db.clients.some((c) => c.id === id)) return id;
    }
}

function create(req: ApiRequest, ctx: EmulatorContext) {
    const db = ctx.store.db;
    const data = validate(clientCreateSchema(db), req.body);
    let configuration: number | null = null;
    if (typeof data.configuration === "string") {
        // SlugRelatedField over every configuration: a name used in two reseller scopes is MultipleObjectsReturned.
        const named = db.configurations.filter((c) => c.name === data.configuration);
        if (!named.length) throw validation({ configuration: [`Object with name=${data.configuration} does not exist.`] });
        if (named.length > 1) throw serverError(`MultipleObjectsReturned: ${named.length} configurations are named '${data.configuration}'`);
        configuration = named[0].id;
    }
    const rr = resellerScopeOf(db, data.reseller_client);
    checkBlankExternalId(db, data.external_billing_id);
    const now = drfDateTime();
    const client: Client = {
        id: newClientId(ctx),
        first_name: data.first_name as string,
        last_name: data.last_name as string,
        company: opt(data.company),
        address1: data.address1 as string,
        address2: opt(data.address2),
        city: data.city as string,
        country: data.country as string,
        state: opt(data.state),
        zip_code: data.zip_code as string,
        phone: data.phone as string,
        fax: opt(data.fax),
        email: data.email as string,
        date_created: now,
        currency: typeof data.currency === "string" ? data.currency : (db.currencies.find((c) => c.is_default) ?? db.currencies[0]).code,
        // Stored as sent: "" is a value, so a second client with "" collides (unique), as in Fleio.
        external_billing_id: opt(data.external_billing_id),
        groups: [],
        vat_id: opt(data.vat_id),
        tax_exempt: false,
        configuration,
        status: "active",
        suspend_reason: "active",
        outofcredit_datetime: null,
        uptodate_credit: null,
        has_billing_agreement: false,
        reseller_resources: rr,
        custom_fields: (Array.isArray(data.custom_fields) ? data.custom_fields : []).map((f) => ({ name: String(f.name), value: f.value === MISSING || f.value === null ? "" : String(f.value) })),
        users: [],
        credits: [{ currency: "", amount: "0.00" }],
    };
    client.credits[0].currency = client.currency;
    applyDefaultConfiguration(db, client);
    ctx.store.touch();
    db.clients.push(client);
    if (data.user) {
        const u = data.user;
        const id = nextId(db, "users");
        db.users.push({
            id,
            username: String(u.username),
            email: typeof u.email === "string" ? u.email : "",
            first_name: opt(u.first_name) ?? "",
            last_name: opt(u.last_name) ?? "",
            password_hash: typeof u.password === "string" ? createHash("sha256").update(u.password).digest("hex") : null,
            date_joined: now,
            last_login: null,
            is_active: true,
            is_staff: false,
            is_superuser: false,
            is_reseller: false,
            reseller_resources: null,
            language: "en",
            email_verified: u.email_verified === true,
            external_billing_id: opt(u.external_billing_id),
        });
        client.users.push(id);
    }
    return ok(clientCreated(db, client), 201);
}

const opt = (v: unknown): string | null => (typeof v === "string" ? v : null);

function update() {
    return (req: ApiRequest, ctx: EmulatorContext) => {
        const db = ctx.store.db;
        const client = findOr404(db.clients, idParam(req.params.id));
        const data = validate(clientUpdateSchema(db, client.id), req.body);
        const errors: Record<string, string[]> = {};
        if (typeof data.configuration === "number" && !db.configurations.some((c) => c.id === data.configuration))
            errors.configuration = [`Invalid pk "${data.configuration}" - object does not exist.`];
        if (typeof data.reseller_resources === "number" && !db.reseller_resources.some((r) => r.id === data.reseller_resources))
            errors.reseller_resources = [`Invalid pk "${data.reseller_resources}" - object does not exist.`];
        if (Object.keys(errors).length) throw validation(errors);
        const rr = resellerScopeOf(db, data.reseller_client);
        checkBlankExternalId(db, data.external_billing_id, client.id);
        ctx.store.touch();
        const text = ["first_name", "last_name", "company", "address1", "address2", "city", "country", "state", "zip_code", "phone", "fax", "email", "vat_id", "suspend_reason", "currency"] as const;
        for (const k of text) {
            const v = data[k];
            if (v !== MISSING && v !== undefined) (client as unknown as Record<string, unknown>)[k] = v;
        }
        if (data.external_billing_id !== MISSING && data.external_billing_id !== undefined) client.external_billing_id = data.external_billing_id;
        if (typeof data.tax_exempt === "boolean") client.tax_exempt = data.tax_exempt;
        if (typeof data.has_billing_agreement === "boolean") client.has_billing_agreement = data.has_billing_agreement;
        if (typeof data.status === "string") client.status = data.status as Client["status"];
        if (data.uptodate_credit !== MISSING && data.uptodate_credit !== undefined) client.uptodate_credit = data.uptodate_credit;
        if (data.configuration !== MISSING && data.configuration !== undefined) client.configuration = data.configuration;
        if (Array.isArray(data.custom_fields))
            client.custom_fields = data.custom_fields.map((f) => ({ name: String(f.name), value: f.value === MISSING || f.value === null ? "" : String(f.value) }));
        // Fleio: a falsy or absent reseller_client removes the reseller association.
        client.reseller_resources = rr;
        applyDefaultConfiguration(db, client);
        return ok(clientUpdated(client, false));
    };
}

/** PATCH: StaffClientSerializer as a partial update; it answers that serializer's (retrieve) shape. */
function patch(req: ApiRequest, ctx: EmulatorContext) {
    const db = ctx.store.db;
    const client = findOr404(db.clients, idParam(req.params.id));
    const data = validate(clientPatchSchema(), req.body) as Record<string, unknown>;
    ctx.store.touch();
    for (const [k, v] of Object.entries(data)) if (v !== MISSING && v !== undefined) (client as unknown as Record<string, unknown>)[k] = v;
    return ok(clientDetail(db, client));
}

/** DELETE answers 204 whatever happens next (see domain/clients). */
function destroy(req: ApiRequest, ctx: EmulatorContext) {
    const db = ctx.store.db;
    const client = findOr404(db.clients, idParam(req.params.id));
    ctx.store.touch();
    const out = deleteClient(db, client, Date.now(), ctx.deleteDelayMs);
    if (out.kind === "scheduled") ctx.scheduleDelete(out.at);
    return { status: 204 };
}

export function clientRoutes(r: ApiRouter): void {
    r.add(["staff", "reseller"], "GET", "clients", (req, ctx) => {
        const db = ctx.store.db;
        const rows = db.clients.filter((c) => visibleIn(req.scope, c.reseller_resources));
        return ok(paginate(applyList(rows, req.query, clientList(db, ctx.version)).map((c) => clientBrief(db, c)), req.query, req.url));
    });
    r.add(["staff", "reseller"], "GET", "clients/:id", (req, ctx) => {
        const db = ctx.store.db;
        return ok(clientDetail(db, findOr404(db.clients, idParam(req.params.id), (c) => visibleIn(req.scope, c.reseller_resources))));
    });
    r.add(["staff"], "POST", "clients", create);
    r.add(["staff"], "PUT", "clients/:id", update());
    r.add(["staff"], "PATCH", "clients/:id", patch);
    r.add(["staff"], "DELETE", "clients/:id", destroy);
    r.add(["staff"], "POST", "clients/:id/resume", (req, ctx) => {
        const client = findOr404(ctx.store.db.clients, idParam(req.params.id));
        ctx.store.touch();
        return ok(resumeClient(client));
    });
}
