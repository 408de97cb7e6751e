import type { z } from "zod";
import type { Check } from "./check";
import { attempt, conforms } from "../probe";
import { planCreateOptions, ruleCreateOptions } from "../shapes";

/**
 * The two create_options answers the provider parses: currencies (plans) and billing
 * resources (price rules are given a resource by name and resolved through these).
 */
export const createOptions: Check = {
    name: "create-options",
    async run(p) {
        const planPath = "openstack/billing/plan/create_options";
        await attempt(p, "plan-options", async () => {
            const res = await p.api.get<unknown>(planPath);
            if (!conforms(p, "plan-options", planPath, planCreateOptions, res)) return;
            const listed = (res as z.output<typeof planCreateOptions>).currencies;
            const codes = listed.map((c) => (typeof c === "string" ? c : c.code));
            const marked = listed.find((c) => typeof c !== "string" && c.is_default === true);
            p.facts.currencies = codes;
            p.facts.defaultCurrency = marked && typeof marked !== "string" ? marked.code : codes.includes("EUR") ? "EUR" : codes[0];
            if (!codes.length) p.fail("plan-options", `${planPath} lists no currency: a plan needs one; add a currency in Fleio (Settings → Currencies)`);
            else p.pass("plan-options", `currencies: ${codes.join(", ")} (default ${p.facts.defaultCurrency})`);
        });

        const rulePath = "openstack/billing/pricerule/create_options";
        await attempt(p, "rule-options", async () => {
            const res = await p.api.get<unknown>(rulePath);
            if (!conforms(p, "rule-options", rulePath, ruleCreateOptions, res)) return;
            const resources = (res as z.output<typeof ruleCreateOptions>).resources;
            p.facts.billingResources = resources.map((r) => ({ id: r.id, type: r.type, name: r.name }));
            if (!resources.length) {
                p.fail("rule-options", `${rulePath} lists no billing resource: price rules need one (instance, volume, …); check Fleio's OpenStack billing setup`);
                return;
            }
            const withoutAttributes = resources.filter((r) => r.attributes === undefined).map((r) => r.name);
            p.pass("rule-options", `${resources.length} billing resources: ${resources.map((r) => `${r.name} (${r.type})`).join(", ")}`);
            if (withoutAttributes.length) p.info("rule-options", `no "attributes" listed for ${withoutAttributes.join(", ")} (the provider does not need them)`);
        });
    },
};
