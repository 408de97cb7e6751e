import { COUNTRIES } from "../countries";
import { Db } from "../model";
import { bool, char, choice, decimal, email, integer, json, list, object, pk } from "./drf";

/**
 * Request serializers for /clients: StaffCreateClientSerializer (POST) and
 * StaffClientUpdateSerializer (PUT, and PATCH as its partial form).
 */

const COUNTRY_CODES = [...COUNTRIES.keys()];
const optionalText = (maxLength: number) => char({ required: false, allowNull: true, allowBlank: true, maxLength });

const customField = object({
    name: char({ maxLength: 255 }),
    value: char({ allowBlank: true, allowNull: true, maxLength: 255, required: false }),
});

/** Currency is a PrimaryKeyRelatedField over 3-letter codes. */
const currencyField = (db: Db) =>
    char({ required: false, check: (code) => (db.currencies.some((c) => c.code === code) ? undefined : `Invalid pk "${code}" - object does not exist.`) });

const externalBillingId = (db: Db, selfId?: number) =>
    char({
        required: false,
        allowNull: true,
        allowBlank: true,
        maxLength: 38,
        check: (v) => (db.clients.some((c) => c.external_billing_id === v && c.id !== selfId) ? "client with this external billing id already exists." : undefined),
    });

const nestedUser = (db: Db) =>
    object({
        username: char({ maxLength: 150, check: (v) => (db.users.some((u) => u.username === v) ? "A user with that username already exists." : undefined) }),
        email: email({ required: false, allowBlank: true, maxLength: 254, check: (v) => (db.users.some((u) => u.email === v) ? "app user with this email address already exists." : undefined) }),
        first_name: optionalText(30),
        last_name: optionalText(150),
        password: char({ required: false, maxLength: 128 }),
        email_verified: bool({ required: false }),
        external_billing_id: optionalText(38),
    });

export function clientCreateSchema(db: Db) {
    return object({
        first_name: char({ maxLength: 127 }),
        last_name: char({ maxLength: 127 }),
        company: optionalText(127),
        address1: char({ maxLength: 255 }),
        address2: optionalText(255),
        city: char({ maxLength: 127 }),
        country: choice(COUNTRY_CODES),
        state: optionalText(127),
        zip_code: char({ maxLength: 10 }),
        phone: char({ maxLength: 64 }),
        fax: optionalText(64),
        email: email({ maxLength: 127 }),
        vat_id: optionalText(32),
        groups: list(char({ check: (name) => `Object with name=${name} does not exist.` }), { required: false }),
        external_billing_id: externalBillingId(db),
        currency: currencyField(db),
        configuration: char({ required: false }),
        user: nestedUser(db).optional(),
        create_auto_order_service: bool({ default: false }),
        auto_order_service_external_billing_id: optionalText(38),
        custom_fields: list(customField, { required: false }),
        reseller_client: integer({ allowNull: true, default: 0 }),
    });
}

/**
 * StaffClientUpdateSerializer, used by PUT only: it requires the model's required
 * fields and `custom_fields`, and its `reseller_client` defaults to 0, so a PUT
 * without it detaches the client from its reseller.
 */
export function clientUpdateSchema(db: Db, selfId: number) {
    const required = true;
    const partial = false;
    return object({
        first_name: char({ required, maxLength: 127 }),
        last_name: char({ required, maxLength: 127 }),
        company: optionalText(127),
        address1: char({ required, maxLength: 255 }),
        address2: optionalText(255),
        city: char({ required, maxLength: 127 }),
        country: choice(COUNTRY_CODES, { required }),
        state: optionalText(127),
        zip_code: char({ required, maxLength: 10 }),
        phone: char({ required, maxLength: 64 }),
        fax: optionalText(64),
        email: email({ required, maxLength: 127 }),
        currency: currencyField(db),
        external_billing_id: externalBillingId(db, selfId),
        vat_id: optionalText(32),
        tax_exempt: bool({ required: false }),
        configuration: pk({ required: false, allowNull: true }),
        status: choice(["active", "inactive", "suspended", "closed", "deleting"], { required: false }),
        suspend_reason: char({ required: false, maxLength: 16 }),
        outofcredit_datetime: json({ required: false, allowNull: true }),
        uptodate_credit: decimal(14, 2, { required: false, allowNull: true }),
        has_billing_agreement: bool({ required: false }),
        reseller_resources: pk({ required: false, allowNull: true }),
        custom_fields: list(customField, { required }),
        reseller_client: integer({ allowNull: true, default: partial ? undefined : 0, required: false }),
    });
}

/**
 * PATCH goes through the view's default serializer, StaffClientSerializer, as a
 * partial update: only its writable model fields; custom fields, reseller_client,
 * currency and status are read-only there and ignored.
 */
export function clientPatchSchema() {
    const optional = { required: false };
    return object({
        first_name: char({ ...optional, maxLength: 127 }),
        last_name: char({ ...optional, maxLength: 127 }),
        company: optionalText(127),
        city: char({ ...optional, maxLength: 127 }),
        country: choice(COUNTRY_CODES, optional),
        state: optionalText(127),
        phone: char({ ...optional, maxLength: 64 }),
        fax: optionalText(64),
        address1: char({ ...optional, maxLength: 255 }),
        address2: optionalText(255),
        email: email({ ...optional, maxLength: 127 }),
        zip_code: char({ ...optional, maxLength: 10 }),
        vat_id: optionalText(32),
        uptodate_credit: decimal(14, 2, { required: false, allowNull: true }),
        tax_exempt: bool(optional),
    });
}
