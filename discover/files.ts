import type { ApiRule } from "../provider/resources/pricing-rule";
import type { ApiPlan } from "../provider/resources/openstack-plan";
import { crossCheck as ruleCrossCheck, pricingRuleInputs } from "../provider/resources/pricing-rule";
import { resellerInputs } from "../provider/resources/reseller";
import { panelUrl, parsePanelUrl } from "../provider/resources/frontend-domain";
import { canonicalDecimal } from "../provider/validation/decimal";
import { idOf } from "../provider/resources/reseller-resources";
import { CatalogPlanFileInput, catalogPlanFile, GITOPS_FORMAT_VERSION, ResellerFileInput, resellerFile } from "../sdk/gitops/format";
import { slug } from "../sdk/onboarding-args";
import type { ApiConfiguration, FleioSnapshot, ReadReseller } from "./read";

/** Something discover found in Fleio and did not write to a data file, and why. */
export interface LeftOut {
    /** e.g. "reseller Acme (client 123456)", "plan 7 (Gold)", "configuration 3 (eu) of reseller Acme (client 123456)". */
    object: string;
    why: string;
}

/** Which staff plans that price no reseller the catalog describes: none, the staff default plan, or every staff plan. */
export type StaffPlans = "none" | "default" | "all";
export const STAFF_PLANS: readonly StaffPlans[] = ["none", "default", "all"];

export interface DiscoverChoices {
    /** Default "none": staff plans that price no reseller are reported, not written. */
    staffPlans?: StaffPlans;
    /** The file name an earlier discover (or a person) gave a client, by its id. */
    names?: ReadonlyMap<string, string>;
    /** The catalog key an earlier discover (or a person) gave a plan, by its id. */
    catalogKeys?: ReadonlyMap<string, string>;
}

export interface Discovered {
    /** Reseller name (the file's name without extension) → the file's content. */
    files: Map<string, ResellerFileInput>;
    /** Catalog key (plans/<key>.yaml) → the plan's file. */
    catalog: Map<string, CatalogPlanFileInput>;
    leftOut: LeftOut[];
}

type FileRule = NonNullable<ResellerFileInput["pricing"]>[number];
const blank = (v: string | null | undefined) => (v === null || v === undefined || v.trim() === "" ? undefined : v);
/** A reseller as an operator knows it: its name and its client id, so no API call is needed to find it. */
export const resellerLabel = (r: { id: number; company?: string | null; first_name: string; last_name: string }) => `${r.company || `${r.first_name} ${r.last_name}`} (client ${r.id})`;
const KEY = /^[a-z0-9][a-z0-9-]{0,62}$/;

/**
 * Turns what was read into one data file per reseller and a catalog of the staff plans
 * that price several resellers (or the staff default plan, or the staff plans the
 * operator asks for), each object with the `adopt` id of the object it describes, so an
 * up over the files takes everything over and changes nothing. What the format cannot
 * hold is left out, each object once, with why and the resellers it concerns: a file
 * that describes an object differently from Fleio would change it at the next up. A
 * part of a reseller that cannot be described (a rule, a panel URL, a configuration)
 * is left out on its own, the reseller is still written: an undeclared object stays as
 * it is.
 */
export function discoveredFiles(s: FleioSnapshot, choices: DiscoverChoices = {}): Discovered {
    const leftOut: LeftOut[] = [];
    const staffPlans = choices.staffPlans ?? "none";
    const byRr = new Map<number, ReadReseller>(s.resellers.map((r) => [r.resources.id, r]));
    const users = new Map<number, ReadReseller[]>();
    for (const r of s.resellers) if (r.resources.plan) users.set(r.resources.plan.id, [...(users.get(r.resources.plan.id) ?? []), r]);
    const concerning = (plan: ApiPlan) => {
        const on = users.get(plan.id) ?? [];
        return on.length ? `it prices ${on.map((r) => resellerLabel(r.client)).join(", ")}` : "it prices no reseller";
    };

    // The catalog: staff plans described once, whichever resellers they price.
    const catalog = new Map<string, CatalogPlanFileInput>();
    const catalogKeyOf = new Map<number, string>();
    const takenKeys = new Set<string>();
    const own = new Map<number, FileRule[]>(); // staff plans that one reseller's file carries, with their rules
    for (const p of s.plans.filter((x) => (x.reseller_resources ?? null) === null).sort((a, b) => a.id - b.id)) {
        const on = users.get(p.id) ?? [];
        const label = `plan ${p.id} (${p.name})`;
        const rules = planRules(s, p.id, label, concerning(p), leftOut);
        // A reseller file's own plan is not its scope's default and has rules; anything else a reseller is on goes to the catalog.
        if (on.length === 1 && !p.is_default && rules.length > 0 && p.currency) {
            own.set(p.id, rules);
            continue;
        }
        const wanted = on.length > 0 || staffPlans === "all" || (staffPlans === "default" && p.is_default);
        if (!wanted) {
            leftOut.push({ object: label, why: `a staff plan${p.is_default ? " (the staff default plan)" : ""} that prices no reseller; \`discover --staff-plans ${p.is_default ? "default" : "all"}\` describes it in the catalog` });
            continue;
        }
        if (!p.currency) {
            leftOut.push({ object: label, why: `has no currency, which a catalog plan states; ${concerning(p)}, each left out with it` });
            continue;
        }
        const key = uniqueKey(choices.catalogKeys?.get(String(p.id)), slug(p.name), p.id, takenKeys, "plan");
        const entry: CatalogPlanFileInput = { formatVersion: GITOPS_FORMAT_VERSION as 2, name: p.name, currency: p.currency, ...(p.is_default ? { isDefault: true } : {}), adopt: String(p.id), pricing: rules };
        const valid = catalogPlanFile.safeParse(entry);
        if (!valid.success) {
            leftOut.push({ object: label, why: `its catalog file would not load (${issues(valid.error.issues)}); ${concerning(p)}` });
            continue;
        }
        catalog.set(key, entry);
        catalogKeyOf.set(p.id, key);
    }

    const files = new Map<string, ResellerFileInput>();
    const takenNames = new Set<string>();
    const written = new Set<number>(); // reseller resources ids of written resellers
    for (const r of s.resellers) {
        const problems: string[] = [];
        const file = resellerData(s, r, { catalogKeyOf, own }, problems, leftOut);
        if (problems.length || !file) {
            leftOut.push({ object: `reseller ${resellerLabel(r.client)}`, why: `${problems.join("; ")}; left unmanaged and unchanged` });
            continue;
        }
        files.set(uniqueKey(choices.names?.get(String(r.client.id)), slug(r.client.company || `${r.client.first_name} ${r.client.last_name}`), r.client.id, takenNames, "reseller"), file);
        written.add(r.resources.id);
    }
    for (const [id] of own) if (!s.resellers.some((r) => written.has(r.resources.id) && r.resources.plan?.id === id)) {
        const p = s.plans.find((x) => x.id === id)!;
        leftOut.push({ object: `plan ${p.id} (${p.name})`, why: `the own plan of a reseller that is left out: ${concerning(p)}` });
    }

    // Objects in a reseller's scope whose reseller is not written, and staff configurations: once each.
    const scopeOf = (rrId: number, plan?: ApiPlan) => {
        const r = byRr.get(rrId);
        if (r) return `reseller ${resellerLabel(r.client)}`;
        const c = (plan as { reseller_client?: { id: number; name?: string } | null } | undefined)?.reseller_client;
        return c ? `reseller ${c.name ?? ""} (client ${c.id})` : `reseller resources ${rrId}, whose reseller has no live reseller service`;
    };
    for (const p of s.plans) if (p.reseller_resources != null && !written.has(p.reseller_resources))
        leftOut.push({ object: `plan ${p.id} (${p.name}) of ${scopeOf(p.reseller_resources, p)}`, why: "a plan in the scope of a reseller that is not written here" });
    for (const c of s.configurations) {
        if (c.reseller_resources == null) leftOut.push({ object: `staff configuration ${c.id} (${c.name})`, why: "the format describes the configurations of resellers only" });
        else if (!written.has(c.reseller_resources) && !fleioMade(c)) leftOut.push({ object: `configuration ${c.id} (${c.name}) of ${scopeOf(c.reseller_resources)}`, why: "a configuration of a reseller that is not written here" });
    }
    if (s.otherClients) leftOut.push({ object: `${s.otherClients} clients`, why: "listed with a reseller service filter but without a live reseller service: not resellers" });
    return { files, catalog, leftOut };
}

/**
 * The "default" configuration Fleio makes in a reseller's scope with its reseller service
 * (emulator/domain/reseller.ts): part of the service, neither declared nor left out.
 */
const fleioMade = (c: { name: string; is_default: boolean }) => c.name === "default" && c.is_default;

const issues = (list: { path: PropertyKey[]; message: string }[]) => list.map((i) => `${i.path.join(".")}: ${i.message}`).join(", ");

/** A name for a file or key: the one it had, else its slug, else the slug with the Fleio id when taken. */
function uniqueKey(known: string | undefined, base: string, id: number, taken: Set<string>, fallback: string): string {
    const b = KEY.test(base) ? base : fallback;
    const name = known && !taken.has(known) ? known : taken.has(b) ? `${b.slice(0, 50)}-${id}` : b;
    taken.add(name);
    return name;
}

/** One reseller's file, or undefined with the reasons in `problems`; its parts that cannot be described go to `leftOut`. */
function resellerData(
    s: FleioSnapshot,
    r: ReadReseller,
    plans: { catalogKeyOf: ReadonlyMap<number, string>; own: ReadonlyMap<number, FileRule[]> },
    problems: string[],
    leftOut: LeftOut[],
): ResellerFileInput | undefined {
    const c = r.client;
    const who = resellerLabel(c);
    const client: Record<string, string> = {};
    const fields: [string, string | null | undefined][] = [
        ["firstName", c.first_name], ["lastName", c.last_name], ["company", c.company], ["email", c.email], ["phone", c.phone], ["fax", c.fax],
        ["address1", c.address1], ["address2", c.address2], ["city", c.city], ["state", c.state], ["zipCode", c.zip_code], ["country", c.country],
        ["currency", c.currency], ["vatId", c.vat_id],
    ];
    for (const [k, v] of fields) if (blank(v) !== undefined) client[k] = v!;
    const checked = resellerInputs.safeParse(client);
    if (!checked.success) problems.push(`the client does not fit a Reseller's inputs (${issues(checked.error.issues)})`);
    client.adopt = String(c.id);

    // The service: its product by name and its cycle by period, as the format says them.
    const rr = r.resources;
    const cycleId = idOf(r.service.cycle);
    const cycle = s.cycles.find((x) => String(x.id) === cycleId);
    const product = cycle && s.products.find((p) => p.id === cycle.product);
    let service: { product: string; cycle: "hour" | "month" | "year" } | undefined;
    if (!cycle || !product) problems.push(`its reseller service ${r.service.id} has cycle ${cycleId ?? "unknown"}, which is not in Fleio's product cycles`);
    else {
        const namesakes = s.products.filter((p) => p.product_type === "reseller" && p.name === product.name);
        const sameCycles = s.cycles.filter((x) => x.product === product.id && x.cycle === cycle.cycle && x.cycle_multiplier === 1);
        if (!["hour", "month", "year"].includes(cycle.cycle) || cycle.cycle_multiplier !== 1) problems.push(`its reseller service ${r.service.id} is on a ${cycle.cycle_multiplier} ${cycle.cycle} cycle; the format holds 1 hour, month or year`);
        else if (namesakes.length !== 1) problems.push(`its reseller service ${r.service.id} is of product "${product.name}", which is not one reseller product by that name`);
        else if (sameCycles.length !== 1) problems.push(`product "${product.name}" has ${sameCycles.length} cycles of 1 ${cycle.cycle} (currencies), which the format cannot tell apart`);
        else service = { product: product.name, cycle: cycle.cycle as "hour" | "month" | "year" };
    }

    // The plan that prices the reseller: a catalog plan, or one of its own in the staff scope.
    const plan = rr.plan ? s.plans.find((p) => p.id === rr.plan!.id) : undefined;
    let planPart: Pick<ResellerFileInput, "plan" | "pricing"> | undefined;
    if (!rr.plan || !plan) problems.push(`its reseller service ${r.service.id} has no pricing plan`);
    else if ((plan.reseller_resources ?? null) !== null) problems.push(`its pricing plan ${plan.id} (${plan.name}) is in the scope of a reseller, not the staff scope, which the format holds`);
    else if (plans.catalogKeyOf.has(plan.id)) planPart = { plan: { catalog: plans.catalogKeyOf.get(plan.id)! } };
    else if (plans.own.has(plan.id)) planPart = { plan: { name: plan.name, ...(plan.currency !== c.currency ? { currency: plan.currency! } : {}), adopt: String(plan.id) }, pricing: plans.own.get(plan.id)! };
    else problems.push(`its pricing plan ${plan.id} (${plan.name}) is left out (see that plan)`);
    if (problems.length || !service || !planPart) return undefined;

    // The end-user panel: the URL must be exactly what the provider would write, else it is left as it is.
    let domain: string | undefined;
    let scheme: "https" | "http" | undefined;
    if (rr.enduser_panel_url) {
        const parsed = parsePanelUrl(rr.enduser_panel_url);
        if (!parsed || panelUrl(parsed) !== rr.enduser_panel_url)
            leftOut.push({ object: `end-user panel URL of reseller ${who}`, why: `${JSON.stringify(rr.enduser_panel_url)} is not of the form <scheme>://<domain>/ the provider writes; the reseller's file has no domain, so the URL stays as it is` });
        else [domain, scheme] = [parsed.domain, parsed.scheme];
    }

    // What the reseller owns: its configurations and the plans it sells, each with a key unique in the file.
    const configs = s.configurations.filter((x) => x.reseller_resources === rr.id && !fleioMade(x)).sort((a, b) => a.id - b.id);
    const configKeys = new Set<string>();
    const configurations = configs.map((x: ApiConfiguration) => {
        const key = uniqueKey(undefined, slug(x.name), x.id, configKeys, "configuration");
        return { ...(key !== slug(x.name) ? { key } : {}), name: x.name, ...(x.description ? { description: x.description } : {}), ...(x.is_default ? { isDefault: true } : {}), adopt: String(x.id) };
    });
    const planKeys = new Set<string>();
    const endUserPlans = s.plans
        .filter((p) => p.reseller_resources === rr.id)
        .sort((a, b) => a.id - b.id)
        .flatMap((p) => {
            const label = `plan ${p.id} (${p.name}) of reseller ${who}`;
            if (!p.currency) {
                leftOut.push({ object: label, why: "has no currency, which the format states" });
                return [];
            }
            const pricing = planRules(s, p.id, label, `it is a plan of reseller ${who}`, leftOut);
            return [{ key: uniqueKey(undefined, slug(p.name), p.id, planKeys, "plan"), name: p.name, ...(p.currency !== c.currency ? { currency: p.currency } : {}), ...(p.is_default ? { isDefault: true } : {}), adopt: String(p.id), pricing }];
        });

    // One configuration and one default end-user plan with rules keep version 1's single forms (and their resource names).
    const single = endUserPlans.length === 1 && endUserPlans[0].isDefault && endUserPlans[0].pricing.length > 0 ? endUserPlans[0] : undefined;
    const file: ResellerFileInput = {
        formatVersion: GITOPS_FORMAT_VERSION,
        client,
        ...(domain ? { domain, scheme } : {}),
        product: service.product,
        cycle: service.cycle,
        service: { adopt: String(r.service.id) },
        ...planPart,
        ...(configurations.length === 1 && !configurations[0].key ? { configuration: configurations[0] } : configurations.length ? { configurations } : {}),
        ...(single ? { endUserPlan: { name: single.name, ...(single.currency ? { currency: single.currency } : {}), adopt: single.adopt, pricing: single.pricing } } : endUserPlans.length ? { endUserPlans } : {}),
    };
    const valid = resellerFile.safeParse(file);
    if (!valid.success) return void problems.push(`its data would not load (${issues(valid.error.issues)})`);
    return file;
}

/**
 * A plan's rules as the format writes them, each with its adopt id and a key unique in
 * the plan. A rule the format or the provider cannot hold as Fleio has it is left out on
 * its own (an undeclared rule stays as it is), reported once with whom it concerns.
 */
function planRules(s: FleioSnapshot, planId: number, label: string, concern: string, leftOut: LeftOut[]): FileRule[] {
    const rules = s.rules.filter((x) => x.plan === planId).sort((a, b) => a.id - b.id);
    const names = new Map<string, number>();
    const keys = new Set<string>();
    return rules.flatMap((x) => {
        const problems: string[] = [];
        if (names.has(x.display_name)) problems.push(`${label} has another rule named "${x.display_name}" (${names.get(x.display_name)}); the format names each rule of a plan once`);
        else names.set(x.display_name, x.id);
        const rule = problems.length ? undefined : fileRule(s, x, keys, problems);
        if (!rule) leftOut.push({ object: `rule ${x.id} (${x.display_name}) of ${label}`, why: `${problems.join("; ")}; ${concern}` });
        return rule ? [rule] : [];
    });
}

function fileRule(s: FleioSnapshot, x: ApiRule, keys: Set<string>, problems: string[]): FileRule | undefined {
    const res = s.billingResources.find((b) => b.id === x.resource);
    if (!res) return void problems.push(`it prices billing resource ${x.resource}, which create_options does not list`);
    const norm = (v: string) => v.trim().toLowerCase().replace(/[\s_-]+/g, "_");
    const ambiguous = s.billingResources.filter((b) => norm(b.name) === norm(res.name)).length > 1;
    const key = uniqueKey(undefined, slug(x.display_name), x.id, keys, "rule");
    const orUndefined = <T>(v: T | null | undefined) => (v === null || v === undefined || v === "" ? undefined : v);
    const tiers = x.pricing.prices.map((t) => ({ from: canonicalDecimal(String(t.f)), price: canonicalDecimal(String(t.p)) }));
    const rule: FileRule = {
        key,
        displayName: x.display_name,
        resource: res.name,
        ...(ambiguous ? { resourceType: res.type } : {}),
        timeUnit: x.pricing.time_unit ?? "bc",
        priority: x.priority,
        ...(orUndefined(x.pricing.attribute) ? { attribute: x.pricing.attribute! } : {}),
        ...(orUndefined(x.pricing.attribute_unit) ? { attributeUnit: x.pricing.attribute_unit! } : {}),
        ...(tiers.length === 1 && Number(tiers[0].from) === 0 ? { price: tiers[0].price } : { prices: tiers }),
        ...((x.conditions ?? []).length
            ? { conditions: x.conditions!.map((c) => ({ name: c.name, attribute: c.attribute, ...(orUndefined(c.attribute_unit) ? { attributeUnit: c.attribute_unit! } : {}), operator: c.operator, value: c.value as string })) }
            : {}),
        ...((x.modifiers ?? []).length
            ? {
                  modifiers: x.modifiers!.map((m) => ({
                      name: m.name,
                      attribute: m.attribute,
                      ...(orUndefined(m.attribute_unit) ? { attributeUnit: m.attribute_unit! } : {}),
                      operator: m.operator,
                      value: m.value as string,
                      price: canonicalDecimal(String(m.price)),
                      timeUnit: m.time_unit,
                      pricePercent: m.price_is_percent,
                  })),
              }
            : {}),
        adopt: String(x.id),
    };
    // The provider must accept the rule exactly as Fleio holds it, or the up would fail or change it.
    const inputs = pricingRuleInputs.safeParse({
        planId: String(x.plan), displayName: rule.displayName, resourceName: rule.resource, resourceType: rule.resourceType, priority: rule.priority, timeUnit: rule.timeUnit,
        attribute: rule.attribute, attributeUnit: rule.attributeUnit, prices: rule.prices ?? [{ from: 0, price: rule.price! }], conditions: rule.conditions ?? [], modifiers: rule.modifiers ?? [],
    });
    const found = inputs.success ? ruleCrossCheck(inputs.data).map((i) => `${i.property}: ${i.reason}`) : inputs.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`);
    if (found.length) return void problems.push(`it does not fit a PricingRule's inputs (${found.join(", ")})`);
    return rule;
}
