import { CatalogPlanFileInput, configurationKey, ResellerFileInput } from "../sdk/gitops/format";

/** One entry of Pulumi's bulk import file (`pulumi import --file`). */
export interface ImportEntry {
    type: string;
    name: string;
    id: string;
}

/** The file `pulumi import --file` reads: `{ "resources": [...] }`. */
export interface ImportFile {
    resources: ImportEntry[];
}

const entry = (kind: string, name: string, id: string | undefined): ImportEntry[] => (id === undefined ? [] : [{ type: `fleio:index:${kind}`, name, id }]);

/**
 * Pulumi's bulk import file for what discover wrote: every object of every data file and
 * of the plan catalog, by the id its `adopt` names, for the native plugin
 * (bin/pulumi-resource-fleio). Each resource gets the logical name the GitOps program
 * gives it (`<file>-client`, `<file>-reseller-plan-<rule key>`, `catalog-<key>-plan`,
 * `<file>-configuration-<key>`, …), so the generated code reads like that program; the
 * GitOps program nests them under components, which an import into a plain program has
 * not, so the URNs are not the same. A panel domain's id is its reseller service's
 * (FrontendDomain's import mapping). Objects left out of the data files are left out
 * here too: the report says why.
 */
export function importFile(files: ReadonlyMap<string, ResellerFileInput>, catalog: ReadonlyMap<string, CatalogPlanFileInput> = new Map()): ImportFile {
    const resources: ImportEntry[] = [];
    const rules = (plan: string, rs: ResellerFileInput["pricing"] | undefined) => (rs ?? []).flatMap((r) => entry("PricingRule", `${plan}-${r.key}`, r.adopt === undefined ? undefined : String(r.adopt)));
    for (const [key, p] of [...catalog].sort(([a], [b]) => a.localeCompare(b))) resources.push(...entry("OpenstackPlan", `catalog-${key}-plan`, adoptOf(p)), ...rules(`catalog-${key}-plan`, p.pricing));
    for (const [name, f] of [...files].sort(([a], [b]) => a.localeCompare(b))) {
        resources.push(
            ...entry("Reseller", `${name}-client`, f.client.adopt),
            ...(f.plan?.catalog === undefined ? [...entry("OpenstackPlan", `${name}-reseller-plan`, adoptOf(f.plan)), ...rules(`${name}-reseller-plan`, f.pricing)] : []),
            ...entry("ResellerService", `${name}-service`, adoptOf(f.service)),
            ...(f.domain !== undefined ? entry("FrontendDomain", `${name}-domain`, adoptOf(f.service)) : []),
            ...entry("Configuration", `${name}-configuration`, adoptOf(f.configuration)),
            ...(f.configurations ?? []).flatMap((c) => entry("Configuration", `${name}-configuration-${configurationKey(c)}`, adoptOf(c))),
            ...entry("OpenstackPlan", `${name}-enduser-plan`, adoptOf(f.endUserPlan)),
            ...rules(`${name}-enduser-plan`, f.endUserPlan?.pricing),
            ...(f.endUserPlans ?? []).flatMap((p) => [...entry("OpenstackPlan", `${name}-enduser-plan-${p.key}`, adoptOf(p)), ...rules(`${name}-enduser-plan-${p.key}`, p.pricing)]),
        );
    }
    return { resources };
}

const adoptOf = (o: { adopt?: string | number } | undefined) => (o?.adopt === undefined ? undefined : String(o.adopt));
