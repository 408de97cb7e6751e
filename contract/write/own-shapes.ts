import { attempt, conforms, Probe } from "../probe";
import { clientDetail, configuration, plan, priceRule, resellerServices, serviceDetail } from "../shapes";
import type { RoundContext } from "./cases";
import type { z } from "zod";

/**
 * The shapes of the round's own objects, read straight from Fleio: on a fresh Fleio
 * the read-only checks had nothing to look at, so this is where those shapes are seen.
 */
export async function ownShapes(p: Probe, ctx: RoundContext): Promise<void> {
    const o = (label: string, field: string) => {
        const v = ctx.outs[label]?.[field];
        return v === undefined || v === "" ? undefined : String(v);
    };
    const one = async (check: string, path: string | undefined, schema: z.ZodType, what: string, more?: (body: unknown) => string) => {
        if (!path) return;
        await attempt(p, check, async () => {
            const body = await p.api.get<unknown>(path);
            if (conforms(p, check, path, schema, body)) p.pass(check, `the test ${what} (${path}) parses${more ? `; ${more(body)}` : ""}`);
        });
    };
    const clientId = o("Reseller", "clientId");
    const serviceId = o("ResellerService", "serviceId");
    await one("shape:clients", clientId && `clients/${clientId}`, clientDetail, "client");
    await one("shape:reseller_services", serviceId && clientId && `clients/${clientId}/reseller_services`, resellerServices, "reseller's reseller_services answer");
    await one("shape:reseller_services", serviceId && `billing/services/${serviceId}`, serviceDetail, "reseller service");
    await one("shape:plans", o("OpenstackPlan", "planId") && `openstack/billing/plan/${o("OpenstackPlan", "planId")}`, plan(p.scope), "plan");
    await one("shape:pricerules", o("PricingRule", "ruleId") && `openstack/billing/pricerule/${o("PricingRule", "ruleId")}`, priceRule, "price rule", (body) => {
        const price = (body as z.output<typeof priceRule>).pricing.prices[0]?.p;
        return `its price comes back as ${typeof price === "number" ? `a number (${price})` : `a string (${JSON.stringify(price)})`}`;
    });
    await one("shape:configurations", o("Configuration", "configurationId") && `configurations/${o("Configuration", "configurationId")}`, configuration(p.scope), "configuration");
}
