import * as pulumi from "@pulumi/pulumi";

/**
 * The onboarding component's arguments, checked before anything is declared: a bad
 * argument is a message naming it and the fix, never a TypeError from deep inside or
 * the engine's "Duplicate resource URN".
 */

/** Lower-case letters, digits and dashes: a rule's key is part of a Pulumi resource name. */
export const RULE_KEY = /^[a-z0-9][a-z0-9-]{0,62}$/;

export function slug(text: string): string {
    return text.toLowerCase().replace(/[^a-z0-9]+/g, "-").replace(/^-|-$/g, "").slice(0, 63).replace(/-$/, "") || "rule";
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);
const isOutputLike = (v: unknown) => pulumi.Output.isInstance(v) || v instanceof Promise;
const typeName = (v: unknown) => (v === null ? "null" : Array.isArray(v) ? "a list" : pulumi.Output.isInstance(v) ? "an Output" : typeof v);

/** Problems with the arguments, each "argument: what is wrong — the fix". */
export function argumentProblems(args: unknown, mode: { template: "allowed" | "use-factory" }): string[] {
    if (!isObject(args)) return [`args must be an object with client, resellerPlan, service and domain, got ${typeName(args)}`];
    const out: string[] = [];
    if (!isObject(args.client)) out.push(`client is required: the reseller client's details (firstName, lastName, email, …, currency), got ${typeName(args.client)}`);
    if (!isObject(args.service)) out.push(`service is required: { productName, cycle } or { productId, productCycleId }, got ${typeName(args.service)}`);
    out.push(...domainProblems(args.domain));
    if (args.configuration !== undefined && !isObject(args.configuration)) out.push(`configuration must be an object such as { name: "acme-retail" }, got ${typeName(args.configuration)}`);
    out.push(...(isObject(args.resellerPlan) && args.resellerPlan.planId !== undefined ? existingPlanProblems(args.resellerPlan) : planProblems("resellerPlan", args.resellerPlan, true, mode)));
    if (args.endUserPlan !== undefined) out.push(...planProblems("endUserPlan", args.endUserPlan, false, mode));
    if (args.configuration !== undefined && args.configurations !== undefined) out.push("give configuration (one) or configurations (a list), not both");
    if (args.endUserPlan !== undefined && args.endUserPlans !== undefined) out.push("give endUserPlan (one) or endUserPlans (a list), not both");
    out.push(...listProblems("configurations", args.configurations, (at, c) => (isObject(c) ? [] : [`${at} must be an object such as { key: "retail", name: "acme-retail" }, got ${typeName(c)}`])));
    out.push(...listProblems("endUserPlans", args.endUserPlans, (at, p) => planProblems(at, p, false, mode, { emptyRules: true })));
    return out;
}

/** A reseller plan the component does not own: `{ planId }`, nothing else. */
function existingPlanProblems(plan: Record<string, unknown>): string[] {
    const extra = ["name", "rules", "fromTemplate", "adopt", "currency", "isDefault"].filter((k) => plan[k] !== undefined);
    if (extra.length) return [`resellerPlan: a plan given by planId is not the component's to make; drop ${extra.join(", ")} (or drop planId to make a plan of the reseller's own)`];
    const id = plan.planId;
    if (!isOutputLike(id) && !(typeof id === "string" && /^[1-9]\d{0,18}$/.test(id))) return [`resellerPlan.planId must be a Fleio plan id (a string of digits) or an Output of one, got ${typeName(id) === "string" ? JSON.stringify(id) : typeName(id)}`];
    return [];
}

/** A list of keyed children (`key` names each one's resources): each well formed, keys unique. */
function listProblems(arg: string, list: unknown, each: (at: string, item: unknown) => string[]): string[] {
    if (list === undefined) return [];
    if (!Array.isArray(list)) return [`${arg} must be a list, got ${typeName(list)}`];
    const out: string[] = [];
    const keys = new Map<string, number>();
    list.forEach((item, n) => {
        const at = `${arg}[${n}]`;
        const key = isObject(item) ? item.key : undefined;
        if (typeof key !== "string" || !RULE_KEY.test(key)) out.push(`${at}.key must be lower-case letters, digits and dashes (it names the Pulumi resources), got ${typeof key === "string" ? JSON.stringify(key) : typeName(key)}`);
        else if (keys.has(key)) out.push(`${at}.key ${JSON.stringify(key)} is also the key of ${arg}[${keys.get(key)}]; each needs its own key`);
        else keys.set(key, n);
        out.push(...each(at, item));
    });
    return out;
}

function domainProblems(domain: unknown): string[] {
    if (domain === null) return [];
    if (domain === undefined) return [`domain is required: the reseller's end-user panel domain, such as "cloud.reseller.example" (null for a reseller without one)`];
    if (isOutputLike(domain)) return [];
    if (typeof domain !== "string") return [`domain must be a string such as "cloud.reseller.example" (or an Output of one), got ${typeName(domain)}`];
    if (domain.trim() === "") return [`domain must not be empty: give the reseller's end-user panel domain, such as "cloud.reseller.example"`];
    return [];
}

function planProblems(arg: string, plan: unknown, required: boolean, mode: { template: "allowed" | "use-factory" }, allow: { emptyRules?: boolean } = {}): string[] {
    if (plan === undefined || plan === null) return required ? [`${arg} is required: { name, rules } or { name, fromTemplate: { planId, markupPercent } }`] : [];
    if (!isObject(plan)) return [`${arg} must be an object such as { name, rules }, got ${typeName(plan)}`];
    const out: string[] = [];
    if (plan.name === undefined || plan.name === null || plan.name === "") out.push(`${arg}.name is required: the plan's name in Fleio`);
    const hasRules = plan.rules !== undefined && plan.rules !== null;
    const hasTemplate = plan.fromTemplate !== undefined && plan.fromTemplate !== null;
    if (hasRules && hasTemplate) return [...out, `${arg}: give either rules or fromTemplate, not both`];
    if (!hasRules && !hasTemplate) return [...out, `${arg}: give rules (a list of pricing rules) or fromTemplate: { planId, markupPercent }`];
    if (hasTemplate) {
        if (mode.template === "use-factory")
            return [...out, `${arg}.fromTemplate needs the template's rules read before the plan is declared: use \`await ResellerOnboarding.create(name, args, opts)\` instead of \`new ResellerOnboarding(...)\``];
        return [...out, ...templateProblems(`${arg}.fromTemplate`, plan.fromTemplate)];
    }
    return [...out, ...ruleProblems(`${arg}.rules`, plan.rules, allow.emptyRules)];
}

export function templateProblems(arg: string, t: unknown): string[] {
    if (!isObject(t)) return [`${arg} must be { planId, markupPercent }, got ${typeName(t)}`];
    const out: string[] = [];
    const id = t.planId;
    if (!((typeof id === "string" || typeof id === "number") && /^[1-9]\d{0,18}$/.test(String(id).trim())))
        out.push(`${arg}.planId must be the template plan's Fleio id (a positive whole number, as a plain value), got ${typeName(id) === "string" ? JSON.stringify(id) : typeName(id)}`);
    const m = t.markupPercent;
    if (typeof m !== "number" || !Number.isFinite(m)) out.push(`${arg}.markupPercent must be a number such as 20 (for +20%), got ${typeName(m)}`);
    else if (m <= -100) out.push(`${arg}.markupPercent must be more than -100 (a price cannot fall to zero or below), got ${m}`);
    return out;
}

function ruleProblems(arg: string, rules: unknown, emptyAllowed = false): string[] {
    if (!Array.isArray(rules)) return [`${arg} must be a list of pricing rules, got ${typeName(rules)}`];
    if (rules.length === 0 && !emptyAllowed) return [`${arg} is empty: a reseller plan needs at least one pricing rule, or the reseller's usage goes unpriced`];
    const out: string[] = [];
    const keys = new Map<string, number>();
    const names = new Map<string, number>();
    rules.forEach((r, n) => {
        const at = `${arg}[${n}]`;
        if (!isObject(r)) return void out.push(`${at} must be an object such as { displayName, resourceName, prices }, got ${typeName(r)}`);
        let key: string | undefined;
        if (r.key !== undefined) {
            if (typeof r.key !== "string") return void out.push(`${at}.key must be a plain string (it names the rule's Pulumi resource), got ${typeName(r.key)}`);
            if (!RULE_KEY.test(r.key)) return void out.push(`${at}.key must be lower-case letters, digits and dashes (it names the rule's Pulumi resource), got ${JSON.stringify(r.key)}`);
            key = r.key;
        }
        if (r.displayName === undefined || r.displayName === null || r.displayName === "") return void out.push(`${at}.displayName is required: the rule's name in Fleio`);
        if (typeof r.displayName === "string") {
            const seen = names.get(r.displayName);
            if (seen !== undefined) out.push(`${at}.displayName ${JSON.stringify(r.displayName)} is also the displayName of ${arg}[${seen}]; each rule of a plan needs its own displayName`);
            else names.set(r.displayName, n);
            key ??= slug(r.displayName);
        } else if (!isOutputLike(r.displayName)) {
            return void out.push(`${at}.displayName must be a string, got ${typeName(r.displayName)}`);
        } else if (key === undefined) {
            return void out.push(`${at}: displayName is an Output, so give key, a plain string that names the rule's Pulumi resource (e.g. key: "small")`);
        }
        const other = keys.get(key);
        if (other !== undefined) out.push(`${at}.key ${JSON.stringify(key)} is also the key of ${arg}[${other}]${r.key === undefined ? " (a key defaults to a slug of displayName)" : ""}; each rule needs its own key`);
        else keys.set(key, n);
    });
    return out;
}
