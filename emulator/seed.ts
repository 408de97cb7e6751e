import { drfDateTime } from "./clock";
import { BillingResource, BillingResourceAttribute, Db, Product, ProductCycle } from "./model";

/**
 * What the emulator starts from. Two setups:
 *
 * - `factory`: a Fleio 2019.12 right after its migrations (shared/fleio-api.md [O],
 *   and the migrations themselves for what [O] leaves open — see README);
 * - `demo`: factory plus what this project's demo operator adds by hand: a
 *   "Reseller" product with a monthly and a yearly EUR cycle, and USD, GBP, RON.
 */

export const SETUPS = ["factory", "demo"] as const;
export type Setup = (typeof SETUPS)[number];
export const DEFAULT_SETUP: Setup = "demo";

/** The staff token when none is given; documented in the README, so it is no secret. */
export const DEFAULT_STAFF_TOKEN = "f1e10e0000000000000000000000000000000001";

/**
 * Fixed ids of seeded rows. Products get random-looking ids as Fleio's RandomId
 * gives them; cycles are auto-increment: the migration's three first, then the
 * demo's reseller cycles.
 */
export const SEED_IDS = {
    openstackProduct: 7021337918,
    openstackMonthlyCycle: 1,
    openstackQuarterlyCycle: 2,
    openstackYearlyCycle: 3,
    /** demo setup only */
    resellerProduct: 5218440395,
    /** demo setup only */
    resellerMonthlyCycle: 4,
    /** demo setup only */
    resellerYearlyCycle: 5,
    defaultConfiguration: 1,
} as const;

const str = (name: string): BillingResourceAttribute => ({ type: "string", name });
const int = (name: string, value_size?: string): BillingResourceAttribute => (value_size ? { type: "integer", name, value_size } : { type: "integer", name });
const dt = (name: string): BillingResourceAttribute => ({ type: "datetime", name });

/** osbilling migrations 0002, 0007, 0008, 0013, 0014, in creation order (so ids 1..7). */
function billingResources(): BillingResource[] {
    const instanceAttributes = [
        str("availability_zone"),
        str("instance_type"),
        str("display_name"),
        str("cell_name"),
        dt("launched_at"),
        str("state"),
        int("vcpus"),
        int("root_gb", "g"),
        int("memory_mb", "m"),
        str("os_type"),
        str("os_version"),
        str("instance_id"),
        str("tenant_id"),
        str("host"),
        int("ephemeral_gb", "g"),
        str("region"),
    ];
    const sum = { aggregation: "sum", reaggregation: "sum", granularity: 300 };
    const mean = { aggregation: "mean", reaggregation: "mean", granularity: 300 };
    return [
        { id: 1, display_name: "Instance", type: "service", name: "instance", definition: { attributes: instanceAttributes } },
        {
            id: 2,
            display_name: "Image",
            type: "service",
            name: "image",
            definition: { attributes: [int("size", "b"), dt("created_at"), dt("updated_at"), str("disk_format"), str("visibility"), str("status"), str("name"), str("region")] },
        },
        {
            id: 3,
            display_name: "Volume",
            type: "service",
            name: "volume",
            definition: { attributes: [int("size", "g"), str("availability_zone"), dt("created_at"), str("volume_type"), str("display_name"), str("region")] },
        },
        {
            id: 4,
            display_name: "Network",
            type: "metric",
            name: "network",
            definition: { metrics: [{ rescale_to: "g", name: "bandwidth", ...sum, unit: "b" }, { name: "ip.floating", ...mean }] },
        },
        {
            id: 5,
            display_name: "Object storage",
            type: "metric",
            name: "swift_account",
            definition: {
                metrics: [
                    { rescale_to: "g", name: "storage.objects.incoming.bytes", ...sum, unit: "b" },
                    { rescale_to: "g", name: "storage.objects.outgoing.bytes", ...sum, unit: "b" },
                    { name: "storage.api.requests", ...sum },
                    { name: "storage.objects", ...mean },
                    { name: "storage.objects.containers", ...mean },
                    { rescale_to: "g", name: "storage.objects.size", ...mean, unit: "b" },
                ],
            },
        },
        {
            id: 6,
            display_name: "Instance traffic",
            type: "internal",
            name: "instance_traffic",
            definition: {
                metrics: [
                    "incoming_public_traffic",
                    "incoming_private_traffic",
                    "outgoing_public_traffic",
                    "outgoing_private_traffic",
                    "total_private_traffic",
                    "total_public_traffic",
                    "total_traffic",
                ].map((name) => ({ name })),
                attributes: [str("availability_zone"), str("instance_type"), str("display_name"), str("cell_name"), dt("launched_at"), str("state"), int("vcpus"), int("root_gb", "g"), str("os_type"), str("os_version")],
            },
        },
        {
            id: 7,
            display_name: "Ceph object storage",
            type: "metric",
            name: "ceph_account",
            definition: {
                metrics: [
                    { name: "radosgw.api.requests", ...sum },
                    { name: "radosgw.objects", ...mean },
                    { name: "radosgw.objects.containers", ...mean },
                    { rescale_to: "g", name: "radosgw.objects.size", ...mean, unit: "b" },
                ],
            },
        },
    ];
}

const cycle = (id: number, product: number, period: ProductCycle["cycle"], multiplier: number, fixedPrice: string, status: ProductCycle["status"]): ProductCycle => ({
    id,
    product,
    cycle: period,
    cycle_multiplier: multiplier,
    fixed_price: fixedPrice,
    setup_fee: "0.00",
    setup_fee_entire_quantity: true,
    currency: "EUR",
    is_relative_price: false,
    status,
});

/** openstack migration 0002_project_service: the product automatically created services use. */
const defaultOpenstackProduct: Product = {
    id: SEED_IDS.openstackProduct,
    name: "Default Openstack Product",
    code: "default_openstack",
    description: "Default Openstack product used for automatically created services",
    product_type: "openstack",
    status: "private",
    price_model: "fixed_and_dynamic",
    auto_setup: "on_order",
    requires_domain: false,
    hide_services: false,
};

const resellerProduct: Product = {
    id: SEED_IDS.resellerProduct,
    name: "Reseller",
    code: "reseller",
    description: "Resell the cloud under your own brand",
    product_type: "reseller",
    status: "public",
    price_model: "fixed_and_dynamic",
    auto_setup: "on_order",
    requires_domain: false,
    hide_services: false,
};

function factoryDb(staffToken: string): Db {
    const now = drfDateTime();
    const resources = billingResources();
    return {
        version: 2,
        seq: { users: 1, services: 0, reseller_resources: 0, plans: 0, rules: 0, rule_parts: 0, configurations: 1, cycles: 3, billing_resources: resources.length },
        users: [
            {
                id: 1,
                username: "admin",
                email: "admin@fleio.example",
                first_name: "Cloud",
                last_name: "Operator",
                password_hash: null,
                date_joined: now,
                last_login: null,
                is_active: true,
                is_staff: true,
                is_superuser: true,
                is_reseller: false,
                reseller_resources: null,
                language: "en",
                email_verified: true,
                external_billing_id: null,
            },
        ],
        tokens: [{ key: staffToken, user: 1 }],
        // core migration 0002: EUR only, the default
        currencies: [{ code: "EUR", rate: "1.000000", is_default: true }],
        clients: [],
        products: [defaultOpenstackProduct],
        cycles: [
            cycle(SEED_IDS.openstackMonthlyCycle, SEED_IDS.openstackProduct, "month", 1, "0.00", "private"),
            cycle(SEED_IDS.openstackQuarterlyCycle, SEED_IDS.openstackProduct, "month", 3, "0.00", "private"),
            cycle(SEED_IDS.openstackYearlyCycle, SEED_IDS.openstackProduct, "year", 1, "0.00", "private"),
        ],
        services: [],
        reseller_resources: [],
        // No migration creates a pricing plan: Fleio makes a staff "default" one on demand.
        plans: [],
        rules: [],
        // core migration 0003
        configurations: [{ id: SEED_IDS.defaultConfiguration, name: "default", description: "", is_default: true, reseller_resources: null, billing: {} }],
        billing_resources: resources,
    };
}

/** The demo operator's additions on top of a factory Fleio. */
function applyDemo(db: Db): Db {
    db.currencies.push({ code: "USD", rate: "1.080000", is_default: false }, { code: "GBP", rate: "0.850000", is_default: false }, { code: "RON", rate: "4.970000", is_default: false });
    db.products.push({ ...resellerProduct });
    db.cycles.push(
        cycle(SEED_IDS.resellerMonthlyCycle, SEED_IDS.resellerProduct, "month", 1, "100.00", "public"),
        cycle(SEED_IDS.resellerYearlyCycle, SEED_IDS.resellerProduct, "year", 1, "1000.00", "public"),
    );
    db.seq.cycles = SEED_IDS.resellerYearlyCycle;
    return db;
}

/** The state a new emulator (and an admin reset) starts from. */
export function seedDb(staffToken: string, setup: Setup = DEFAULT_SETUP): Db {
    const db = factoryDb(staffToken);
    return setup === "demo" ? applyDemo(db) : db;
}
