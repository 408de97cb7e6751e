import { z } from "zod";
import { Client, Configuration, Db } from "../model";
import { bool, char, choice, decimal, integer, json, object, validate } from "../schemas/drf";

/**
 * Fleio's per-configuration BillingSettings (fleio/billing/settings.py) and how a
 * client's effective settings are found (Client.billing_settings,
 * reseller_suspend_instead_of_terminate in fleio/reseller/utils.py).
 */

type Kind = { t: "bool" } | { t: "int"; min?: number; max?: number } | { t: "decimal" } | { t: "string" } | { t: "choice"; choices: readonly string[] } | { t: "json" } | { t: "template" };

interface Option {
    kind: Kind;
    /** undefined: the option has no default, so DRF requires it on PUT (null allowed) */
    default?: unknown;
}

const B = (d: boolean): Option => ({ kind: { t: "bool" }, default: d });
const I = (d: number | undefined, min?: number, max?: number): Option => ({ kind: { t: "int", min, max }, default: d });
const D = (d: number): Option => ({ kind: { t: "decimal" }, default: d });
const S = (d?: string): Option => ({ kind: { t: "string" }, default: d });
// Notification template pickers: declared on the serializer with default ''.
const T: Option = { kind: { t: "template" }, default: "" };

/** In Fleio's declaration order, which is the order the serializer renders. */
export const BILLING_OPTIONS: Record<string, Option> = {
    credit_limit: D(0),
    credit_required: D(0),
    auto_resume_client_on_credit_update: B(false),
    credit_limit_with_agreement: D(0),
    credit_required_with_agreement: D(0),
    auto_suspend: B(false),
    auto_suspend_delay_hours_enabled: B(false),
    auto_suspend_delay_hours: I(0, 0),
    auto_suspend_delay_credit_enabled: B(false),
    auto_suspend_delay_credit: D(0),
    auto_suspend_notification_template: T,
    auto_terminate: B(false),
    auto_terminate_delay_hours: I(24),
    suspend_instead_of_terminate: B(true),
    auto_terminate_notification_template: T,
    credit_notifications_enabled: B(false),
    credit_notifications_when_agreement_enabled: B(false),
    first_credit_remaining_hours: I(72),
    first_credit_notification_template: T,
    second_credit_remaining_hours: I(24),
    second_credit_notification_template: T,
    third_credit_remaining_hours: I(1),
    third_credit_notification_template: T,
    sender_email: S(),
    sender_name: S(),
    company_info: S("My Company"),
    auto_eu_tax_exemption: B(false),
    add_tax_for_credit_invoices: B(true),
    generate_invoices: B(false),
    create_todo_on_invoice_payment: B(false),
    send_notifications_for_unpaid_invoices: B(false),
    auto_settle_usage: B(false),
    auto_pay_invoice_only_when_enough_credit: B(false),
    next_paid_invoice_number: I(1),
    next_paid_invoice_number_format: S("INV {{ number }}"),
    minim_uptodate_credit_for_invoice_payment: I(0, 0),
    invoicing_option: { kind: { t: "choice", choices: ["only_proforma", "always_fiscal", "fiscal_on_paid"] }, default: "fiscal_on_paid" },
    limit_billable_seconds_per_month: B(true),
    billable_seconds_per_month: I(2400000, 1, 3000000),
    issue_invoice_before_next_due_date: B(false),
    next_invoice_date_offset: I(0, 0, 30),
    billing_cycle_as_calendar_month: B(false),
    fraud_check: B(false),
    maxmind_manual_review_score: I(30, 1, 99),
    maxmind_fraud_score: I(60, 1, 99),
    enable_maxmind_insights: B(true),
    auto_create_order: B(false),
    auto_order_service: I(undefined),
    auto_order_service_cycle: I(undefined),
    auto_order_service_params: { kind: { t: "json" } },
    client_initial_credit: I(0, 0),
};

/** The settings of a configuration: what was saved, else each option's default (null without one). */
export function settingsOf(c: Configuration | undefined): Record<string, unknown> {
    const out: Record<string, unknown> = {};
    for (const [name, o] of Object.entries(BILLING_OPTIONS)) out[name] = c && name in c.billing ? c.billing[name] : (o.default ?? null);
    return out;
}

/** BillingSettingsSerializer for PUT: every option without a default is required (null allowed); a missing one with a default is reset to it. */
const putSchema = object(
    Object.fromEntries(
        Object.entries(BILLING_OPTIONS).map(([name, o]) => {
            const common = o.default === undefined ? { allowNull: true } : { default: o.default as never, allowNull: o.kind.t === "template" };
            const k = o.kind;
            const field: z.ZodType =
                k.t === "bool"
                    ? bool(common)
                    : k.t === "int"
                      ? integer({ ...common, min: k.min, max: k.max })
                      : k.t === "decimal"
                        ? decimal(14, 2, common).transform((v) => (typeof v === "string" ? Number(v) : v))
                        : k.t === "choice"
                          ? choice(k.choices, common)
                          : k.t === "json"
                            ? json({ allowNull: true })
                            : char({ ...common, allowNull: true, allowBlank: true });
            return [name, field];
        }),
    ),
);

export function updateSettings(c: Configuration, body: unknown): Record<string, unknown> {
    const data = validate(putSchema, body) as Record<string, unknown>;
    c.billing = Object.fromEntries(Object.entries(data).filter(([name]) => name in BILLING_OPTIONS));
    return settingsOf(c);
}

/** Client.billing_settings: its configuration, or the default configuration of its reseller scope. */
export function configurationOfClient(db: Db, client: Client): Configuration | undefined {
    const own = client.configuration === null ? undefined : db.configurations.find((c) => c.id === client.configuration);
    return own ?? db.configurations.find((c) => c.is_default && c.reseller_resources === client.reseller_resources);
}

/**
 * Whether ending this client's services only suspends them: its own setting, or —
 * for a client under a reseller — the reseller's own setting (either is enough).
 */
export function suspendInsteadOfTerminate(db: Db, client: Client): boolean {
    if (settingsOf(configurationOfClient(db, client)).suspend_instead_of_terminate === true) return true;
    if (client.reseller_resources === null) return false;
    const rr = db.reseller_resources.find((r) => r.id === client.reseller_resources);
    const service = rr?.service == null ? undefined : db.services.find((s) => s.id === rr.service);
    const reseller = service && db.clients.find((c) => c.id === service.client);
    return reseller !== undefined && settingsOf(configurationOfClient(db, reseller)).suspend_instead_of_terminate === true;
}
