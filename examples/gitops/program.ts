import * as path from "node:path";
import * as fleio from "pulumi-fleio";
import { loadResellers, ruleConditions } from "./data";

/**
 * GitOps: every file in resellers/ is one reseller, onboarded by one component.
 * CI runs `pulumi preview` on a pull request and `pulumi up` on merge (pipeline.ts,
 * .github/workflows/fleio.yml). `only` (reseller names, i.e. file names without
 * .yaml) keeps a subset: a fleet runs one stack per shard of the same folder.
 * `renamed` (new file name → old) lets a renamed file keep its resources: the old name
 * becomes the component's alias, and its children, named after it, follow.
 */
export function gitopsProgram(dir = path.join(__dirname, "..", "..", "..", "examples", "gitops", "resellers"), only?: ReadonlySet<string>, renamed?: ReadonlyMap<string, string>) {
    const panels: Record<string, unknown> = {};
    for (const [name, r] of loadResellers(dir)) {
        if (only && !only.has(name)) continue;
        const onboarding = new fleio.ResellerOnboarding(name, {
            client: r.client as unknown as fleio.ResellerArgs,
            resellerPlan: {
                name: `Reseller pricing - ${name}`,
                rules: r.pricing.map((p) => ({
                    key: p.key,
                    displayName: p.displayName,
                    resourceName: p.resource,
                    timeUnit: p.timeUnit,
                    attribute: p.attribute,
                    attributeUnit: p.attributeUnit,
                    prices: [{ from: 0, price: p.price }],
                    conditions: ruleConditions(p),
                })),
            },
            service: { productName: r.product, cycle: r.cycle },
            domain: r.domain,
            configuration: r.configuration,
        }, renamed?.has(name) ? { aliases: [{ name: renamed.get(name)! }] } : undefined);
        panels[name] = onboarding.endUserPanelUrl;
    }
    return panels;
}
