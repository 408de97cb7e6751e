import { drfDateTime } from "./clock";
import { BillingResource, Db } from "./model";

/** The staff token when none is given; documented in the README, so it is no secret. */
export const DEFAULT_STAFF_TOKEN = "f1e10e0000000000000000000000000000000001";

/** Fixed random-looking ids, as Fleio's RandomId gives products. */
export const SEED_IDS = {
    resellerProduct: 5218440395,
    openstackProduct: 7021337918,
} as const;

const resources: BillingResource[] = [
    {
        id: 1,
        display_name: "Instance",
        type: "service",
        name: "instance",
        definition: {
            attributes: [
                { type: "string", name: "availability_zone" },
                { type: "string", name: "instance_type" },
                { type: "string", name: "flavor" },
                { type: "string", name: "display_name" },
                { type: "datetime", name: "launched_at" },
                { type: "string", name: "state" },
                { type: "integer", name: "vcpus" },
                { type: "integer", name: "ram", value_size: "m" },
                { type: "integer", name: "root_gb", value_size: "g" },
                { type: "string", name: "os_type" },
                { type: "string", name: "os_version" },
            ],
        },
    },
    {
        id: 2,
        display_name: "Volume",
        type: "service",
        name: "volume",
        definition: {
            attributes: [
                { type: "integer", name: "size", value_size: "g" },
                { type: "string", name: "type" },
                { type: "string", name: "volume_type" },
                { type: "string", name: "display_name" },
            ],
        },
    },
    {
        id: 3,
        display_name: "Image",
        type: "service",
        name: "image",
        definition: {
            attributes: [
                { type: "integer", name: "size", value_size: "b" },
                { type: "string", name: "status" },
                { type: "string", name: "name" },
            ],
        },
    },
    {
        id: 4,
        display_name: "Instance traffic",
        type: "metric",
        name: "instance_traffic",
        definition: {
            metrics: ["incoming_public_traffic", "outgoing_public_traffic", "total_public_traffic", "total_traffic"].map((name) => ({ name })),
            attributes: [
                { type: "string", name: "instance_type" },
                { type: "integer", name: "vcpus" },
            ],
        },
    },
    {
        id: 5,
        display_name: "Network",
        type: "metric",
        name: "network",
        definition: { metrics: [{ name: "bandwidth", rescale_to: "g", aggregation: "sum", unit: "b" }] },
    },
];

/** What a fresh Fleio with the reseller feature looks like: the state `reset` goes back to. */
export function seedDb(staffToken: string): Db {
    const now = drfDateTime();
    return {
        version: 1,
        seq: { users: 1, services: 0, reseller_resources: 0, plans: 1, rules: 0, rule_parts: 0, configurations: 1, cycles: 3, billing_resources: resources.length },
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
        currencies: [
            { code: "EUR", rate: "1.000000", is_default: true },
            { code: "USD", rate: "1.080000", is_default: false },
            { code: "GBP", rate: "0.850000", is_default: false },
            { code: "RON", rate: "4.970000", is_default: false },
        ],
        clients: [],
        products: [
            {
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
            },
            {
                id: SEED_IDS.openstackProduct,
                name: "OpenStack",
                code: "openstack",
                description: "Pay-as-you-go OpenStack project",
                product_type: "openstack",
                status: "public",
                price_model: "fixed_and_dynamic",
                auto_setup: "on_order",
                requires_domain: false,
                hide_services: false,
            },
        ],
        cycles: [
            { id: 1, product: SEED_IDS.resellerProduct, cycle: "month", cycle_multiplier: 1, fixed_price: "100.00", setup_fee: "0.00", setup_fee_entire_quantity: true, currency: "EUR", is_relative_price: false, status: "public" },
            { id: 2, product: SEED_IDS.resellerProduct, cycle: "year", cycle_multiplier: 1, fixed_price: "1000.00", setup_fee: "0.00", setup_fee_entire_quantity: true, currency: "EUR", is_relative_price: false, status: "public" },
            { id: 3, product: SEED_IDS.openstackProduct, cycle: "month", cycle_multiplier: 1, fixed_price: "0.00", setup_fee: "0.00", setup_fee_entire_quantity: true, currency: "EUR", is_relative_price: false, status: "public" },
        ],
        services: [],
        reseller_resources: [],
        plans: [{ id: 1, name: "Default", currency: "EUR", is_default: true, reseller_resources: null }],
        rules: [],
        configurations: [{ id: 1, name: "default", description: "", is_default: true, reseller_resources: null }],
        billing_resources: resources,
    };
}
