import { COUNTRIES } from "../countries";
import { suspendInsteadOfTerminate } from "../domain/billing-settings";
import { clientLongName, clientName, resellerClientDetails, resellerClientOf } from "../domain/reseller";
import { Client, Db } from "../model";

/**
 * The client serializers of fleiostaff/core/clients/serializers.py, field for field.
 * Note what they do NOT render: `external_billing_id` is in none of the read
 * serializers, and `reseller_client` in the create/update answers is the
 * serializer field's default (0), not the owning reseller.
 */

const configurationName = (db: Db, c: Client): string => db.configurations.find((x) => x.id === c.configuration)?.name ?? "";

const customFields = (c: Client) => c.custom_fields.map((f) => ({ name: f.name, value: f.value, value_type: "string" }));

/** The fields StaffClientBriefSerializer (list) and StaffClientSerializer (retrieve) share. */
function listedFields(db: Db, c: Client) {
    return {
        id: c.id,
        name: clientName(c),
        first_name: c.first_name,
        last_name: c.last_name,
        company: c.company,
        city: c.city,
        country: c.country,
        state: c.state,
        date_created: c.date_created,
        currency: c.currency,
        phone: c.phone,
        country_name: COUNTRIES.get(c.country) ?? c.country,
        long_name: clientLongName(c),
        email: c.email,
        vat_id: c.vat_id,
        status: c.status,
        uptodate_credit: c.uptodate_credit,
        suspend_instead_of_terminate: suspendInsteadOfTerminate(db, c),
        outofcredit_datetime: c.outofcredit_datetime,
        reseller_client_details: resellerClientDetails(db, c.reseller_resources),
    };
}

/** StaffClientBriefSerializer (list). */
export function clientBrief(db: Db, c: Client) {
    return { ...listedFields(db, c), configuration_name: configurationName(db, c), group_name: c.groups[0] ?? "" };
}

/** StaffClientSerializer (retrieve). */
export function clientDetail(db: Db, c: Client) {
    return {
        ...listedFields(db, c),
        fax: c.fax,
        users: [...c.users],
        address1: c.address1,
        address2: c.address2,
        zip_code: c.zip_code,
        credits: c.credits.map((x) => ({ client: c.id, currency: x.currency, amount: x.amount })),
        custom_fields: customFields(c),
        has_openstack_services: false,
        tax_exempt: c.tax_exempt,
        openstack_billing_plans: db.plans.filter((p) => p.reseller_resources === c.reseller_resources).map((p) => ({ id: p.id, name: p.name })),
        group_name: c.groups[0] ?? "n/a",
        reseller_client: resellerClientOf(db, c.reseller_resources)?.id ?? null,
        belongs_to_reseller: c.reseller_resources !== null,
    };
}

/** The client's own contact fields, which the create and the update serializers both write and render. */
function contactFields(c: Client) {
    return {
        first_name: c.first_name,
        last_name: c.last_name,
        company: c.company,
        address1: c.address1,
        address2: c.address2,
        city: c.city,
        country: c.country,
        state: c.state,
        zip_code: c.zip_code,
        phone: c.phone,
        fax: c.fax,
        email: c.email,
    };
}

/** StaffCreateClientSerializer's representation: what POST /clients answers. */
export function clientCreated(db: Db, c: Client) {
    return {
        id: c.id,
        ...contactFields(c),
        vat_id: c.vat_id,
        groups: [...c.groups],
        external_billing_id: c.external_billing_id,
        currency: c.currency,
        configuration: configurationName(db, c) || null,
        create_auto_order_service: false,
        auto_order_service_external_billing_id: null,
        custom_fields: customFields(c),
        reseller_client: 0,
    };
}

/** StaffClientUpdateSerializer's representation: what PUT/PATCH answer (PATCH omits reseller_client). */
export function clientUpdated(c: Client, partial: boolean) {
    return {
        id: c.id,
        custom_fields: customFields(c),
        ...(partial ? {} : { reseller_client: 0 }),
        ...contactFields(c),
        date_created: c.date_created,
        external_billing_id: c.external_billing_id,
        vat_id: c.vat_id,
        tax_exempt: c.tax_exempt,
        status: c.status,
        suspend_reason: c.suspend_reason,
        outofcredit_datetime: c.outofcredit_datetime,
        uptodate_credit: c.uptodate_credit,
        has_billing_agreement: c.has_billing_agreement,
        currency: c.currency,
        configuration: c.configuration,
        reseller_resources: c.reseller_resources,
    };
}
