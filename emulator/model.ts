/**
 * The emulator's data model: one record type per Fleio table it serves, stored
 * exactly as it is persisted in the data file. Field names follow Fleio's Django
 * models (snake_case) so a dump of the store reads like Fleio's database.
 */

export type ProductType = "generic" | "openstack" | "hosting" | "domain" | "reseller";
export type CyclePeriod = "onetime" | "hour" | "month" | "year";
export type ClientStatus = "active" | "inactive" | "suspended" | "closed" | "deleting";
export type ServiceStatus = "pending" | "active" | "suspended" | "terminated" | "canceled" | "fraud" | "archived";

export interface Currency {
    code: string;
    /** decimal(12,6) as Fleio renders it, e.g. "1.000000" */
    rate: string;
    is_default: boolean;
}

export interface User {
    id: number;
    username: string;
    email: string;
    first_name: string;
    last_name: string;
    /** sha256 of the password; never rendered */
    password_hash: string | null;
    date_joined: string;
    last_login: string | null;
    is_active: boolean;
    is_staff: boolean;
    is_superuser: boolean;
    is_reseller: boolean;
    /** the reseller this user belongs to as an end user (signed up on its domain) */
    reseller_resources: number | null;
    language: string;
    email_verified: boolean;
    external_billing_id: string | null;
}

export interface AuthToken {
    key: string;
    user: number;
}

export interface CustomField {
    name: string;
    value: string;
}

export interface Client {
    id: number;
    first_name: string;
    last_name: string;
    company: string | null;
    address1: string;
    address2: string | null;
    city: string;
    country: string;
    state: string | null;
    zip_code: string;
    phone: string;
    fax: string | null;
    email: string;
    date_created: string;
    currency: string;
    external_billing_id: string | null;
    groups: string[];
    vat_id: string | null;
    tax_exempt: boolean;
    configuration: number | null;
    status: ClientStatus;
    suspend_reason: string;
    outofcredit_datetime: string | null;
    uptodate_credit: string | null;
    has_billing_agreement: boolean;
    /** the reseller that owns this client (null for the cloud operator's own clients) */
    reseller_resources: number | null;
    custom_fields: CustomField[];
    /** users associated with the client (Fleio's UserToClient) */
    users: number[];
    /** ClientCredit rows: one per currency, amount as DRF renders decimal(12,2) */
    credits: { currency: string; amount: string }[];
    /** epoch ms after which a client in status "deleting" is gone; emulator bookkeeping */
    delete_at?: number;
}

export interface Product {
    id: number;
    name: string;
    code: string;
    description: string;
    product_type: ProductType;
    status: "public" | "private" | "retired";
    price_model: "free" | "fixed_and_dynamic" | "dynamic_fixed_prices";
    auto_setup: "on_order" | "on_payment" | "manual";
    requires_domain: boolean;
    hide_services: boolean;
}

export interface ProductCycle {
    id: number;
    product: number;
    cycle: CyclePeriod;
    cycle_multiplier: number;
    fixed_price: string;
    setup_fee: string;
    setup_fee_entire_quantity: boolean;
    currency: string;
    is_relative_price: boolean;
    status: "public" | "private" | "retired";
}

export interface Service {
    id: number;
    client: number;
    product: number;
    cycle: number;
    display_name: string;
    status: ServiceStatus;
    created_at: string;
    activated_at: string | null;
    updated_at: string;
    terminated_at: string | null;
    next_due_date: string | null;
    next_expiration_date: string | null;
    next_invoice_date: string | null;
    override_price: string | null;
    domain_name: string | null;
    suspended_at: string | null;
    suspend_reason: string | null;
    suspend_type: string | null;
    notes: string;
}

export interface ResellerResources {
    id: number;
    service: number | null;
    plan: number | null;
    enduser_panel_url: string | null;
}

export interface PricingPlan {
    id: number;
    name: string;
    currency: string | null;
    is_default: boolean;
    reseller_resources: number | null;
}

export interface PriceTier {
    /** decimals kept as canonical strings with 4 places, e.g. "0.0100" */
    f: string;
    p: string;
}

export interface Pricing {
    prices: PriceTier[];
    /** present only when the request sent them, as Fleio stores the validated JSON */
    attribute?: string | null;
    attribute_unit?: string | null;
    time_unit?: string | null;
}

export interface RuleCondition {
    id: number;
    name: string;
    attribute: string;
    attribute_unit: string | null;
    operator: string;
    value: unknown;
}

export interface RuleModifier extends RuleCondition {
    price: string;
    time_unit: string;
    price_is_percent: boolean;
}

export interface PricingRule {
    id: number;
    display_name: string;
    plan: number;
    resource: number;
    priority: number;
    pricing: Pricing;
    conditions: RuleCondition[];
    modifiers: RuleModifier[];
}

export interface BillingResourceAttribute {
    name: string;
    type: string;
    value_size?: string;
}

export interface BillingResourceMetric {
    name: string;
    rescale_to?: string;
    aggregation?: string;
    reaggregation?: string;
    granularity?: number;
    unit?: string;
}

export interface BillingResource {
    id: number;
    display_name: string;
    type: string;
    name: string;
    definition: { attributes?: BillingResourceAttribute[]; metrics?: BillingResourceMetric[] };
}

export interface Configuration {
    id: number;
    name: string;
    description: string;
    is_default: boolean;
    reseller_resources: number | null;
    /** BillingSettings values saved for this configuration; an absent key is the option's default */
    billing: Record<string, unknown>;
}

/** Auto-increment counters, one per table with integer ids. */
export interface Sequences {
    users: number;
    services: number;
    reseller_resources: number;
    plans: number;
    rules: number;
    rule_parts: number;
    configurations: number;
    cycles: number;
    billing_resources: number;
}

export interface Db {
    version: 2;
    seq: Sequences;
    users: User[];
    tokens: AuthToken[];
    currencies: Currency[];
    clients: Client[];
    products: Product[];
    cycles: ProductCycle[];
    services: Service[];
    reseller_resources: ResellerResources[];
    plans: PricingPlan[];
    rules: PricingRule[];
    configurations: Configuration[];
    billing_resources: BillingResource[];
}
