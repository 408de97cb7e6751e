import type { ResourceKind } from "../../provider/registry";

type Props = Record<string, unknown>;

/** What the cases are built from: the naming space and what the read-only checks learned. */
export interface RoundContext {
    prefix: string;
    currency: string;
    /** A billing resource name the provider resolves, e.g. "Instance". */
    resourceName: string;
    resellerProduct?: { id: number; cycleId: number };
    scope: "staff" | "reseller";
    /**
     * Whether the caller's plan scope already has a default plan. Fleio refuses to save a
     * plan in a scope without one, so a reseller's first plan must be its default. A staff
     * test plan never is: it would become the operator's default and stay (the last plan of
     * a scope cannot be deleted); the provider makes Fleio's own "default" plan instead.
     */
    scopeHasDefaultPlan: boolean;
    /** Outputs of the objects created so far, by case label. */
    outs: Record<string, Props>;
}

/** Only a reseller's own first plan is its scope's default (see scopeHasDefaultPlan). */
const firstPlanIsDefault = (c: RoundContext) => c.scope === "reseller" && !c.scopeHasDefaultPlan;

/**
 * One resource's create → read → update → read, as data: the inputs, the changed
 * inputs, and the output fields that must show each (stripe's paired
 * create/update fixtures, in one place).
 */
export interface RoundCase {
    kind: ResourceKind;
    label: string;
    staffOnly?: boolean;
    needsResellerProduct?: boolean;
    inputs(c: RoundContext): Props;
    /** Omitted for a helper object (only created, read and deleted). */
    update?(c: RoundContext, before: Props): Props;
    /** Output fields that must equal these after create, and after update. */
    expectCreated(c: RoundContext): Props;
    expectUpdated?(c: RoundContext): Props;
    /** A short description for the result line. */
    describe(outs: Props, id: string): string;
}

const id = (c: RoundContext, label: string, field: string) => String(c.outs[label]?.[field] ?? "");

export const CASES: RoundCase[] = [
    {
        kind: "Reseller",
        label: "Reseller",
        staffOnly: true,
        inputs: (c) => ({
            firstName: "Contract",
            lastName: c.prefix,
            company: `${c.prefix} (pulumi-fleio contract test)`,
            email: `${c.prefix}@example.com`,
            phone: "+10000000000",
            address1: "1 Contract Street",
            city: "Testville",
            zipCode: "10000",
            country: "DE",
            currency: c.currency,
            externalBillingId: c.prefix,
        }),
        update: (_c, before) => ({ ...before, city: "Updated City" }),
        expectCreated: (c) => ({ lastName: c.prefix, city: "Testville", currency: c.currency }),
        expectUpdated: () => ({ city: "Updated City" }),
        describe: (o, i) => `client ${i} (status ${String(o.status)})`,
    },
    {
        kind: "OpenstackPlan",
        label: "OpenstackPlan",
        inputs: (c) => ({ name: `${c.prefix} plan`, currency: c.currency, isDefault: firstPlanIsDefault(c) }),
        update: (c, before) => ({ ...before, name: `${c.prefix} plan renamed` }),
        expectCreated: (c) => ({ name: `${c.prefix} plan`, currency: c.currency, isDefault: firstPlanIsDefault(c) }),
        expectUpdated: (c) => ({ name: `${c.prefix} plan renamed` }),
        describe: (o, i) => `plan ${i} "${String(o.name)}"`,
    },
    {
        // A second plan, so the reseller service can be moved from one plan to another.
        kind: "OpenstackPlan",
        label: "OpenstackPlan (second)",
        staffOnly: true,
        needsResellerProduct: true,
        inputs: (c) => ({ name: `${c.prefix} plan B`, currency: c.currency }),
        expectCreated: (c) => ({ name: `${c.prefix} plan B` }),
        describe: (o, i) => `plan ${i} "${String(o.name)}"`,
    },
    {
        kind: "PricingRule",
        label: "PricingRule",
        inputs: (c) => ({
            planId: id(c, "OpenstackPlan", "planId"),
            displayName: `${c.prefix} instance hour`,
            resourceName: c.resourceName,
            timeUnit: "h",
            prices: [{ from: 0, price: "0.05" }],
        }),
        update: (c, before) => ({ ...before, displayName: `${c.prefix} instance hour v2`, prices: [{ from: 0, price: "0.0425" }] }),
        expectCreated: (c) => ({ displayName: `${c.prefix} instance hour`, prices: [{ from: "0", price: "0.05" }], timeUnit: "h" }),
        expectUpdated: (c) => ({ displayName: `${c.prefix} instance hour v2`, prices: [{ from: "0", price: "0.0425" }] }),
        describe: (o, i) => `rule ${i} on plan ${String(o.planId)}, resource ${String(o.resolvedResourceId)}`,
    },
    {
        kind: "ResellerService",
        label: "ResellerService",
        staffOnly: true,
        needsResellerProduct: true,
        inputs: (c) => ({
            clientId: id(c, "Reseller", "clientId"),
            productId: String(c.resellerProduct?.id),
            productCycleId: String(c.resellerProduct?.cycleId),
            planId: id(c, "OpenstackPlan", "planId"),
        }),
        update: (c, before) => ({ ...before, planId: id(c, "OpenstackPlan (second)", "planId") }),
        expectCreated: (c) => ({ planId: id(c, "OpenstackPlan", "planId") }),
        expectUpdated: (c) => ({ planId: id(c, "OpenstackPlan (second)", "planId") }),
        describe: (o, i) => `service ${i} (status ${String(o.status)}), reseller resources ${String(o.resellerResourcesId)}, plan ${String(o.planId)}`,
    },
    {
        kind: "FrontendDomain",
        label: "FrontendDomain",
        staffOnly: true,
        needsResellerProduct: true,
        inputs: (c) => ({ clientId: id(c, "Reseller", "clientId"), serviceId: id(c, "ResellerService", "serviceId"), domain: `${c.prefix}.example.com` }),
        update: (c, before) => ({ ...before, domain: `${c.prefix}-2.example.com` }),
        expectCreated: (c) => ({ domain: `${c.prefix}.example.com`, enduserPanelUrl: `https://${c.prefix}.example.com/` }),
        expectUpdated: (c) => ({ domain: `${c.prefix}-2.example.com` }),
        describe: (o) => `end-user panel ${String(o.enduserPanelUrl)} on service ${String(o.serviceId)}`,
    },
    {
        kind: "Configuration",
        label: "Configuration",
        inputs: (c) => ({
            name: c.prefix,
            description: "pulumi-fleio contract test",
            // Owned by the test reseller where there is one: the reseller's own Settings → Configurations.
            ...(c.outs.ResellerService ? { resellerClientId: id(c, "Reseller", "clientId") } : {}),
        }),
        update: (_c, before) => ({ ...before, description: "pulumi-fleio contract test, updated" }),
        expectCreated: (c) => ({ name: c.prefix, description: "pulumi-fleio contract test" }),
        expectUpdated: () => ({ description: "pulumi-fleio contract test, updated" }),
        describe: (o, i) => `configuration ${i} "${String(o.name)}"${o.resellerResourcesId ? ` of reseller resources ${String(o.resellerResourcesId)}` : " (staff)"}`,
    },
];
