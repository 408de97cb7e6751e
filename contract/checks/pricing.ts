import type { z } from "zod";
import type { Check } from "./check";
import { attempt, conformingItems, conforms } from "../probe";
import { plan, priceRule } from "../shapes";

type Rule = z.output<typeof priceRule>;

/**
 * Plans and price rules parse as OpenstackPlan and PricingRule read them. Prices may
 * come back as numbers (Fleio 2019.12) or strings; both are read as decimals.
 */
export const pricing: Check = {
    name: "pricing",
    async run(p) {
        await attempt(p, "shape:plans", async () => {
            const plans = await p.list("openstack/billing/plan");
            const ok = conformingItems(p, "shape:plans", "openstack/billing/plan", plan(p.scope), plans);
            if (!plans.length) p.info("shape:plans", "no plan in Fleio yet: the plan shape is checked by --write");
            else if (ok.length === plans.length) {
                const defaults = plans.filter((x) => (x as { is_default: boolean }).is_default).length;
                p.pass("shape:plans", `${plans.length} ${plans.length === 1 ? "plan parses" : "plans parse"} (name, currency, is_default${p.scope === "staff" ? ", reseller_resources" : ""}); ${defaults} default`);
            }
        });
        await attempt(p, "shape:pricerules", async () => {
            const rules = await p.list("openstack/billing/pricerule");
            const ok = conformingItems<Rule>(p, "shape:pricerules", "openstack/billing/pricerule", priceRule, rules);
            if (!rules.length) {
                p.info("shape:pricerules", "no price rule in Fleio yet: the rule shape is checked by --write");
                return;
            }
            if (ok.length !== rules.length) return;
            // The list and the detail are separate serializers: read one detail too.
            const detailPath = `openstack/billing/pricerule/${ok[0].id}`;
            const detail = await p.api.get<unknown>(detailPath);
            if (!conforms(p, "shape:pricerules", detailPath, priceRule, detail)) return;
            const prices = ok.flatMap((r) => r.pricing.prices.map((t) => t.p));
            const kinds = [...new Set(prices.map((x) => typeof x))];
            p.pass("shape:pricerules", `${rules.length} ${rules.length === 1 ? "rule parses" : "rules parse"} (plan, resource, priority, pricing.prices f/p, conditions, modifiers); prices come back as ${kinds.map((k) => (k === "number" ? "numbers" : "strings")).join(" and ") || "no tiers"}`);
        });
    },
};
