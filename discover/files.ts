import type { ApiRule } from "../provider/resources/pricing-rule";
import { crossCheck as ruleCrossCheck, pricingRuleInputs } from "../provider/resources/pricing-rule";
import { resellerInputs } from "../provider/resources/reseller";
import { panelUrl, parsePanelUrl } from "../provider/resources/frontend-domain";
import { canonicalDecimal } from "../provider/validation/decimal";
import { idOf } from "../provider/resources/reseller-resources";
import { GITOPS_FORMAT_VERSION, ResellerFileInput, resellerFile } from "../sdk/gitops/format";
import { slug } from "../sdk/onboarding-args";
import type { FleioSnapshot, ReadReseller } from "./read";

/** Something discover found in Fleio and did not write to a data file, and why. */
export interface LeftOut {
    /** e.g. "reseller client 123456", "plan 7", "configuration 3". */
    object: string;
    why: string;
}

export interface Discovered {
    /** Reseller name (the file's name without extension) → the file's content. */
    files: Map<string, ResellerFileInput>;
    leftOut: LeftOut[];
}

type FileRule = NonNullable<ResellerFileInput["pricing"]>[number];
const blank = (v: string | null | undefined) => (v === null || v === undefined || v.trim() === "" ? undefined : v);
const clientLabel = (r: ReadReseller) => `reseller client ${r.client.id} (${r.client.company || `${r.client.first_name} ${r.client.last_name}`})`;

/**
 * Turns what was read into one data file per reseller, each object with the `adopt` id of
 * the object it describes, so an up over the files takes everything over and changes
 * nothing. What the format cannot hold is left out whole and listed with why: a file
 * that describes an object differently from Fleio would change it at the next up.
 * `names` keeps the file name an earlier discover gave a client (by its adopt id).
 */
export function discoveredFiles(s: FleioSnapshot, names: ReadonlyMap<string, string> = new Map()): Discovered {
    const leftOut: LeftOut[] = [];
    const files = new Map<string, ResellerFileInput>();
    const planUsers = new Map<number, ReadReseller[]>();
    for (const r of s.resellers) if (r.resources.plan) planUsers.set(r.resources.plan.id, [...(planUsers.get(r.resources.plan.id) ?? []), r]);
    const taken = new Set<string>();
    const written = new Set<string>();

    for (const r of s.resellers) {
        const problems: string[] = [];
        const file = resellerData(s, r, planUsers, problems);
        if (problems.length || !file) {
            leftOut.push({ object: clientLabel(r), why: `${problems.join("; ")}; left unmanaged and unchanged` });
            continue;
        }
        const name = fileName(r, names, taken);
        files.set(name, file);
        for (const id of ownedObjects(file)) written.add(id);
    }
    // Objects no written file describes: staff plans and configurations outside any reseller.
    for (const p of s.plans) if (!written.has(`plan ${p.id}`)) {
        const owner = p.reseller_resources ? `the scope of reseller resources ${p.reseller_resources}` : "the staff scope";
        leftOut.push({ object: `plan ${p.id} (${p.name})`, why: `in ${owner}, not the plan of any reseller written here; the format describes a reseller's plans only` });
    }
    for (const c of s.configurations) if (!written.has(`configuration ${c.id}`) && !(c.reseller_resources && fleioMade(c))) {
        leftOut.push({ object: `configuration ${c.id} (${c.name})`, why: c.reseller_resources ? `owned by reseller resources ${c.reseller_resources}, whose reseller is not written here or has another configuration` : "a staff configuration; the format describes a reseller's own configuration only" });
    }
    if (s.otherClients) leftOut.push({ object: `${s.otherClients} clients`, why: "listed with a reseller service filter but without a live reseller service: not resellers" });
    return { files, leftOut };
}

/**
 * The "default" configuration Fleio makes in a reseller's scope with its reseller service
 * (emulator/domain/reseller.ts): part of the service, neither declared nor left out.
 */
const fleioMade = (c: { name: string; is_default: boolean }) => c.name === "default" && c.is_default;

function ownedObjects(f: ResellerFileInput): string[] {
    const ids = [`plan ${f.plan?.adopt}`];
    if (f.endUserPlan?.adopt) ids.push(`plan ${f.endUserPlan.adopt}`);
    if (f.configuration?.adopt) ids.push(`configuration ${f.configuration.adopt}`);
    return ids;
}

function fileName(r: ReadReseller, names: ReadonlyMap<string, string>, taken: Set<string>): string {
    const known = names.get(String(r.client.id));
    const base = slug(r.client.company || `${r.client.first_name} ${r.client.last_name}`);
    const name = known && !taken.has(known) ? known : taken.has(base) ? `${base}-${r.client.id}` : base;
    taken.add(name);
    return name;
}

/** One reseller's file, or undefined with the reasons in `problems`. */
function resellerData(s: FleioSnapshot, r: ReadReseller, planUsers: Map<number, ReadReseller[]>, problems: string[]): ResellerFileInput | undefined {
    const c = r.client;
    const client: Record<string, string> = {};
    const fields: [string, string | null | undefined][] = [
        ["firstName", c.first_name], ["lastName", c.last_name], ["company", c.company], ["email", c.email], ["phone", c.phone], ["fax", c.fax],
        ["address1", c.address1], ["address2", c.address2], ["city", c.city], ["state", c.state], ["zipCode", c.zip_code], ["country", c.country],
        ["currency", c.currency], ["vatId", c.vat_id],
    ];
    for (const [k, v] of fields) if (blank(v) !== undefined) client[k] = v!;
    const checked = resellerInputs.safeParse(client);
    if (!checked.success) problems.push(`the client does not fit a Reseller's inputs (${checked.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join(", ")})`);
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

    // The plan that prices the reseller: its own, in the staff scope.
    const plan = rr.plan ? s.plans.find((p) => p.id === rr.plan!.id) : undefined;
    if (!rr.plan || !plan) problems.push(`its reseller service ${r.service.id} has no pricing plan`);
    else {
        const sharing = planUsers.get(plan.id) ?? [];
        if (sharing.length > 1)
            problems.push(`plan ${plan.id} ("${plan.name}") also prices ${sharing.filter((x) => x !== r).map((x) => `client ${x.client.id}`).join(", ")}; the format gives each reseller its own plan, and a change to one reseller's prices would change the others'`);
        if (plan.is_default) problems.push(`plan ${plan.id} ("${plan.name}") is the default plan of its scope; a reseller's plan is declared not default, so taking it over would change that`);
        if ((plan.reseller_resources ?? null) !== null) problems.push(`plan ${plan.id} ("${plan.name}") belongs to reseller resources ${plan.reseller_resources}, not the staff scope`);
        if (!plan.currency) problems.push(`plan ${plan.id} ("${plan.name}") has no currency`);
    }
    const pricing = plan ? planRules(s, plan.id, `plan ${plan.id}`, problems) : [];

    // The end-user panel: the URL must be exactly what the provider would write.
    let domain: string | undefined;
    let scheme: "https" | "http" | undefined;
    if (rr.enduser_panel_url) {
        const parsed = parsePanelUrl(rr.enduser_panel_url);
        if (!parsed || panelUrl(parsed) !== rr.enduser_panel_url) problems.push(`its end-user panel URL ${JSON.stringify(rr.enduser_panel_url)} is not of the form <scheme>://<domain>/ the provider writes`);
        else [domain, scheme] = [parsed.domain, parsed.scheme];
    }

    // What the reseller owns: one configuration and one end-user plan (its scope's default).
    const configs = s.configurations.filter((x) => x.reseller_resources === rr.id && !fleioMade(x)).sort((a, b) => a.id - b.id);
    if (configs.length > 1) problems.push(`it owns ${configs.length} configurations (${configs.map((x) => x.id).join(", ")}); the format holds one`);
    const config = configs[0];
    const owned = s.plans.filter((p) => p.reseller_resources === rr.id).sort((a, b) => a.id - b.id);
    if (owned.length > 1) problems.push(`it owns ${owned.length} plans (${owned.map((p) => p.id).join(", ")}); the format holds one end-user plan`);
    const own = owned[0];
    if (own && !own.is_default) problems.push(`its plan ${own.id} ("${own.name}") is not its scope's default, as the format's end-user plan is`);
    const ownRules = own ? planRules(s, own.id, `end-user plan ${own.id}`, problems) : [];
    if (own && ownRules.length === 0) problems.push(`its end-user plan ${own.id} has no pricing rules; the format's end-user plan has at least one`);
    if (pricing.length === 0 && plan) problems.push(`plan ${plan.id} has no pricing rules; the format's reseller plan has at least one`);
    if (problems.length || !service || !plan) return undefined;

    const file: ResellerFileInput = {
        formatVersion: GITOPS_FORMAT_VERSION,
        client,
        ...(domain ? { domain, scheme } : {}),
        product: service.product,
        cycle: service.cycle,
        service: { adopt: String(r.service.id) },
        plan: { name: plan.name, ...(plan.currency !== c.currency ? { currency: plan.currency! } : {}), adopt: String(plan.id) },
        pricing,
        ...(config ? { configuration: { name: config.name, ...(config.description ? { description: config.description } : {}), ...(config.is_default ? { isDefault: true } : {}), adopt: String(config.id) } } : {}),
        ...(own ? { endUserPlan: { name: own.name, ...(own.currency !== c.currency ? { currency: own.currency ?? undefined } : {}), adopt: String(own.id), pricing: ownRules } } : {}),
    };
    const valid = resellerFile.safeParse(file);
    if (!valid.success) return void problems.push(`its data would not load (${valid.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join(", ")})`);
    return file;
}

/** A plan's rules as the format writes them, each with its adopt id and a key unique in the plan. */
function planRules(s: FleioSnapshot, planId: number, label: string, problems: string[]): FileRule[] {
    const rules = s.rules.filter((x) => x.plan === planId).sort((a, b) => a.id - b.id);
    const names = new Map<string, number>();
    for (const x of rules) {
        if (names.has(x.display_name)) problems.push(`${label} has two rules named "${x.display_name}" (${names.get(x.display_name)}, ${x.id}); the format names each rule of a plan once`);
        names.set(x.display_name, x.id);
    }
    const keys = new Set<string>();
    return rules.flatMap((x) => {
        const rule = fileRule(s, x, keys, label, problems);
        return rule ? [rule] : [];
    });
}

function fileRule(s: FleioSnapshot, x: ApiRule, keys: Set<string>, label: string, problems: string[]): FileRule | undefined {
    const res = s.billingResources.find((b) => b.id === x.resource);
    if (!res) return void problems.push(`rule ${x.id} of ${label} prices billing resource ${x.resource}, which create_options does not list`);
    const norm = (v: string) => v.trim().toLowerCase().replace(/[\s_-]+/g, "_");
    const ambiguous = s.billingResources.filter((b) => norm(b.name) === norm(res.name)).length > 1;
    let key = slug(x.display_name);
    if (keys.has(key)) key = `${key.slice(0, 50)}-${x.id}`;
    keys.add(key);
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
    const issues = inputs.success ? ruleCrossCheck(inputs.data).map((i) => `${i.property}: ${i.reason}`) : inputs.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`);
    if (issues.length) return void problems.push(`rule ${x.id} ("${x.display_name}") of ${label} does not fit a PricingRule's inputs (${issues.join(", ")})`);
    return rule;
}
