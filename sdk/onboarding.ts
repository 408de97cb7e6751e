import * as pulumi from "@pulumi/pulumi";
import { shortStackForNextResource } from "./short-stack";
import type { z } from "zod";
import type { ApiRule, pricingRuleInputs } from "../provider/resources/pricing-rule";
import { admission, claim, fail, findConflict, gated, label, preparing, ProgramError } from "./claims";
import { exactDecimal, FLEIO_PRICE_PLACES, FLEIO_TIER_PRICE_PLACES, raiseByPercent } from "./decimal";
import { getPlanRules } from "./lookups";
import { argumentProblems, RULE_KEY, slug, templateProblems } from "./onboarding-args";
import { Configuration, FrontendDomain, OpenstackPlan, PricingRule, Reseller, ResellerArgs, ResellerService } from "./resources";
import type { Inputs } from "./types";
import { domainKey } from "../provider/validation/fields";

/** A pricing rule of a plan the component creates; planId is filled in. */
export type RuleSpec = Omit<Inputs<z.input<typeof pricingRuleInputs>>, "planId" | "adopt"> & {
    /** Id of an existing rule of the plan to take over instead of creating one. */
    adopt?: string;
    /**
     * Stable name of the rule's Pulumi resource (lower-case letters, digits, dashes);
     * defaults to a slug of displayName. A plain string: it names a resource.
     */
    key?: string;
};

/** Copy an existing plan's rules with every absolute price raised by `markupPercent`. */
export interface TemplateSpec {
    /** The template plan's Fleio id (a plain value: it is read before anything is declared). */
    planId: string | number;
    /** 20 = +20%; decimals and negative values (a discount, above -100) work too. */
    markupPercent: number;
}

export interface PlanSpec {
    name: pulumi.Input<string>;
    /** Defaults to the reseller's currency. */
    currency?: pulumi.Input<string>;
    /**
     * Whether the plan is its scope's default. The end-user plan defaults to true: it is
     * the reseller's first plan, and Fleio refuses to save a plan of a scope that has no
     * default. The reseller plan (a staff plan) defaults to false: the provider makes
     * Fleio's own "default" staff plan if Fleio has none (docs/guides/first-reseller.md, "Fleio's default plans").
     */
    isDefault?: pulumi.Input<boolean>;
    /** The rules, given one by one … */
    rules?: RuleSpec[];
    /** … or derived from a template plan: only with `await ResellerOnboarding.create(...)`. */
    fromTemplate?: TemplateSpec;
    /** Id of an existing plan to take over instead of creating one. */
    adopt?: string;
}

/**
 * A plan the component does not own (e.g. a plan of a catalog shared by many
 * resellers): the service is put on it, and nothing of it is declared, changed or deleted.
 */
export interface ExistingPlan {
    planId: pulumi.Input<string>;
    /** What must exist before the reseller is put on the plan (its rules, when declared in the same stack). */
    dependsOn?: pulumi.Input<pulumi.Resource>[];
}

export interface ResellerOnboardingArgs {
    /** The reseller client (step 3). */
    client: ResellerArgs;
    /** The plan that prices the reseller (step 2): a staff plan, made with its rules, or an existing plan `{ planId }` it does not own. */
    resellerPlan: PlanSpec | ExistingPlan;
    /** The reseller service's product and cycle (by name or id). */
    service: {
        productName?: pulumi.Input<string>;
        productId?: pulumi.Input<string>;
        cycle?: pulumi.Input<"hour" | "month" | "year" | "onetime">;
        productCycleId?: pulumi.Input<string>;
        /** Id of the client's existing reseller service to take over. */
        adopt?: string;
    };
    /**
     * The end-user panel domain (step 4), e.g. "cloud.reseller.example"; `null` for a
     * reseller without one (its panel URL is then neither set nor cleared).
     */
    domain: pulumi.Input<string> | null;
    scheme?: pulumi.Input<"https" | "http">;
    /** The service id whose existing panel URL is taken over (with `service.adopt`: the same id). */
    domainAdopt?: string;
    /** The reseller's own configuration (step 5). */
    configuration?: ConfigurationSpec;
    /** Several configurations of the reseller (instead of `configuration`); `key` names each one's resource (`<name>-configuration-<key>`). */
    configurations?: (ConfigurationSpec & { key: string })[];
    /** The plan the reseller sells to its own customers (step 5), owned by the reseller. */
    endUserPlan?: PlanSpec;
    /** Several plans the reseller sells (instead of `endUserPlan`); `key` names each one's resources (`<name>-enduser-plan-<key>`). They may have no rules. */
    endUserPlans?: (PlanSpec & { key: string })[];
}

export interface ConfigurationSpec {
    name: pulumi.Input<string>;
    description?: pulumi.Input<string>;
    isDefault?: pulumi.Input<boolean>;
    adopt?: string;
}

/** Whether the reseller plan is one the component does not own. */
export const isExistingPlan = (p: PlanSpec | ExistingPlan): p is ExistingPlan => (p as ExistingPlan).planId !== undefined;

const TYPE = "fleio:index:ResellerOnboarding";
const who = (name: string) => `ResellerOnboarding "${name}"`;

/**
 * One reseller, onboarded end to end: client → reseller plan with its rules →
 * reseller service on that plan (once its rules exist) → end-user panel domain → the
 * reseller's own configuration and plan. Every child is named after the component, so
 * adding a reseller is adding one call, and removing it removes exactly its objects.
 *
 * `new ResellerOnboarding(...)` takes the rules as given. A plan derived from a
 * template needs the template read first: `await ResellerOnboarding.create(...)`.
 */
export class ResellerOnboarding extends pulumi.ComponentResource {
    readonly clientId: pulumi.Output<string>;
    readonly serviceId: pulumi.Output<string>;
    readonly resellerPlanId: pulumi.Output<string>;
    /** Absent for a reseller declared with `domain: null`. */
    readonly endUserPanelUrl?: pulumi.Output<string>;
    readonly frontend?: FrontendDomain["frontend"];
    readonly configurationId?: pulumi.Output<string>;
    readonly endUserPlanId?: pulumi.Output<string>;
    /** Whether this part of the program was found consistent (see claims.ts). */
    private admitted!: Promise<unknown>;

    /**
     * Reads each plan's template (at program time, so `preview` shows the exact rules),
     * then declares the component with the derived rules. A template that is missing,
     * has no rules or cannot be read rejects with a message naming it, and nothing of
     * this part of the program is created.
     */
    static async create(name: string, args: ResellerOnboardingArgs, opts?: pulumi.ComponentResourceOptions): Promise<ResellerOnboarding> {
        checkArgs(name, args, "allowed");
        const derive = async (arg: string, spec: PlanSpec | undefined): Promise<PlanSpec | undefined> => {
            if (!spec?.fromTemplate) return spec;
            const { fromTemplate, ...rest } = spec;
            return { ...rest, rules: await deriveRules(fromTemplate, `${who(name)}: ${arg}.fromTemplate`) };
        };
        const [resellerPlan, endUserPlan] = await preparing(() =>
            Promise.all([isExistingPlan(args.resellerPlan) ? args.resellerPlan : derive("resellerPlan", args.resellerPlan), derive("endUserPlan", args.endUserPlan)]),
        );
        return new ResellerOnboarding(name, { ...args, resellerPlan: resellerPlan!, endUserPlan }, opts);
    }

    constructor(name: string, args: ResellerOnboardingArgs, opts?: pulumi.ComponentResourceOptions) {
        const owner = {};
        const admitted = ResellerOnboarding.admit(name, args, owner, opts);
        shortStackForNextResource(); // sdk/short-stack.ts: no whole-program stack in the component's state
        super(TYPE, name, {}, admitted);
        this.admitted = admission();
        label(this, who(name));
        const child = { parent: this };

        const client = new Reseller(`${name}-client`, args.client, child);
        const resellerPlan = isExistingPlan(args.resellerPlan)
            ? { planId: pulumi.output(args.resellerPlan.planId), rules: args.resellerPlan.dependsOn ?? [] }
            : this.plan(`${name}-reseller-plan`, args.resellerPlan, args.client.currency, undefined, child);
        // The service goes on the plan only once every rule of the plan exists: a reseller
        // is never priced by a plan that is still empty.
        const service = new ResellerService(
            `${name}-service`,
            { clientId: client.clientId, planId: resellerPlan.planId, ...args.service },
            { ...child, dependsOn: resellerPlan.rules },
        );
        const domain =
            args.domain === null
                ? undefined
                : // The service's id (its serviceId) stays known in a preview that updates the service
                  // (e.g. puts it on another plan); its serviceId output would not, and the panel
                  // would show a replacement `up` never makes.
                  new FrontendDomain(`${name}-domain`, { clientId: client.clientId, serviceId: service.id, domain: args.domain, scheme: args.scheme, adopt: args.domainAdopt }, child);

        // Objects the reseller owns can only exist once its service (and so its scope) does.
        const owned = { ...child, dependsOn: [service] };
        const config = args.configuration && new Configuration(`${name}-configuration`, { ...args.configuration, resellerClientId: client.clientId }, owned);
        const endUserPlan = args.endUserPlan && this.plan(`${name}-enduser-plan`, args.endUserPlan, args.client.currency, client.clientId, owned);
        for (const { key, ...c } of args.configurations ?? []) new Configuration(`${name}-configuration-${key}`, { ...c, resellerClientId: client.clientId }, owned);
        for (const { key, ...p } of args.endUserPlans ?? []) this.plan(`${name}-enduser-plan-${key}`, p, args.client.currency, client.clientId, owned);

        this.clientId = client.clientId;
        this.serviceId = service.serviceId;
        this.resellerPlanId = resellerPlan.planId;
        this.endUserPanelUrl = domain?.enduserPanelUrl;
        this.frontend = domain?.frontend;
        this.configurationId = config?.configurationId;
        this.endUserPlanId = endUserPlan?.planId;
        const outputs = {
            clientId: this.clientId,
            serviceId: this.serviceId,
            resellerPlanId: this.resellerPlanId,
            endUserPanelUrl: this.endUserPanelUrl,
            configurationId: this.configurationId,
            endUserPlanId: this.endUserPlanId,
        };
        this.registerOutputs(outputs);
    }

    /**
     * Outputs are registered once the component itself is: the engine would otherwise
     * wait forever for the URN of a component whose registration was held back. Pulumi
     * calls this once more after the constructor; the first call wins.
     */
    protected registerOutputs(outputs?: pulumi.Inputs | Promise<pulumi.Inputs> | pulumi.Output<pulumi.Inputs>): void {
        void this.admitted.then(() => super.registerOutputs(outputs));
    }

    /**
     * Everything that can be known wrong before the component exists: its arguments,
     * and values another declaration of this stack already holds. Runs before the
     * component registers, so a bad call registers nothing.
     */
    private static admit(name: string, args: ResellerOnboardingArgs, owner: object, opts?: pulumi.ComponentResourceOptions): pulumi.ComponentResourceOptions {
        checkArgs(name, args, "use-factory");
        const taken =
            findConflict("FrontendDomain", who(name), owner, typeof args.domain === "string" ? [{ field: "domain", value: domainKey(args.domain) }] : []) ??
            findConflict("Reseller", who(name), owner, typeof args.client.externalBillingId === "string" ? [{ field: "externalBillingId", value: args.client.externalBillingId.trim() }] : []);
        if (taken) fail(taken);
        claim("ResellerOnboarding", who(name), owner, [{ field: "name", value: name }]);
        return gated(opts, owner, name, false);
    }

    private plan(
        name: string,
        spec: PlanSpec,
        fallbackCurrency: pulumi.Input<string>,
        resellerClientId: pulumi.Input<string> | undefined,
        opts: pulumi.CustomResourceOptions,
    ): { planId: pulumi.Output<string>; rules: PricingRule[] } {
        // A reseller-owned plan is its scope's default unless said otherwise: Fleio refuses
        // to save plans in a scope that has no default, and a reseller's scope starts empty.
        const isDefault = spec.isDefault ?? resellerClientId !== undefined;
        return declarePlan(name, spec, fallbackCurrency, resellerClientId, isDefault, opts);
    }
}

/** A plan and its rules (`<name>` and `<name>-<rule key>`), under `opts`' parent. */
export function declarePlan(
    name: string,
    spec: PlanSpec,
    fallbackCurrency: pulumi.Input<string> | undefined,
    resellerClientId: pulumi.Input<string> | undefined,
    isDefault: pulumi.Input<boolean>,
    opts: pulumi.CustomResourceOptions,
): { planId: pulumi.Output<string>; rules: PricingRule[] } {
    const plan = new OpenstackPlan(name, { name: spec.name, currency: spec.currency ?? fallbackCurrency!, isDefault, resellerClientId, adopt: spec.adopt }, opts);
    const rules = spec.rules!.map(({ key, ...rule }) => new PricingRule(`${name}-${key ?? slug(String(rule.displayName))}`, { ...rule, planId: plan.planId }, opts));
    return { planId: plan.planId, rules };
}

function checkArgs(name: unknown, args: ResellerOnboardingArgs, template: "allowed" | "use-factory"): void {
    if (typeof name !== "string" || name.trim() === "") fail(new ProgramError(`ResellerOnboarding: name must be a non-empty string (it prefixes every child's name), got ${JSON.stringify(name)}`));
    const problems = argumentProblems(args, { template });
    if (problems.length) fail(new ProgramError(`${who(name as string)}: ${problems.join("; ")}`));
}

/**
 * The rules of a template plan, read now (during preview too), each raised by
 * `markupPercent` and keyed by a slug of its display name. Rejects with a message when
 * the template is missing, has no rules, or cannot be read.
 */
export function derivePlanRules(template: TemplateSpec): Promise<RuleSpec[]> {
    return preparing(() => deriveRules(template, "derivePlanRules"));
}

async function deriveRules(template: TemplateSpec, context: string): Promise<RuleSpec[]> {
    const problems = templateProblems("", template).map((p) => p.replace(/^\./, ""));
    if (problems.length) throw new ProgramError(`${context}: ${problems.join("; ")}`);
    const planId = String(template.planId).trim();
    let found: ApiRule[];
    try {
        found = await getPlanRules({ planId });
    } catch (e) {
        const why = e instanceof Error ? e.message : String(e);
        throw new ProgramError(`${context}: the template plan ${planId} could not be read from Fleio (${why}); nothing was declared — retry when Fleio answers`);
    }
    if (found.length === 0) throw new ProgramError(`${context}: the template plan ${planId} has no pricing rules; a plan derived from it would leave the reseller unpriced — add rules to the template or give rules directly`);
    const keys = new Map<string, ApiRule>();
    return found
        .sort((a, b) => a.id - b.id)
        .map((r) => {
            const key = slug(r.display_name);
            const other = keys.get(key);
            if (other)
                throw new ProgramError(
                    `${context}: template rules ${other.id} ("${other.display_name}") and ${r.id} ("${r.display_name}") would both be named "${key}"; rename one of them in the template plan ${planId}`,
                );
            keys.set(key, r);
            if (!RULE_KEY.test(key)) throw new ProgramError(`${context}: template rule ${r.id} has a display name that gives no usable resource name`);
            return { key, ...withMarkup(r, template.markupPercent) };
        });
}

/**
 * A template rule as inputs for a new plan: every tier price and absolute modifier
 * price raised by `markupPercent`, exactly (decimal, not floating point), rounded half
 * up to the 4 places Fleio keeps; percentage modifiers and everything else as they are.
 */
export function withMarkup(rule: ApiRule, markupPercent: number): Omit<z.input<typeof pricingRuleInputs>, "planId" | "adopt"> {
    const raise = (price: string | number, places = FLEIO_PRICE_PLACES) => raiseByPercent(price, markupPercent, places);
    const orUndefined = <T>(v: T | null | undefined) => (v === null || v === undefined ? undefined : v);
    return {
        displayName: rule.display_name,
        resourceId: String(rule.resource),
        priority: rule.priority,
        prices: rule.pricing.prices.map((t) => ({ from: exactDecimal(t.f), price: raise(t.p, FLEIO_TIER_PRICE_PLACES) })).sort((a, b) => Number(a.from) - Number(b.from)),
        attribute: orUndefined(rule.pricing.attribute),
        attributeUnit: orUndefined(rule.pricing.attribute_unit),
        timeUnit: rule.pricing.time_unit ?? "bc",
        conditions: (rule.conditions ?? []).map((c) => ({
            name: c.name,
            attribute: c.attribute,
            attributeUnit: orUndefined(c.attribute_unit),
            operator: c.operator,
            value: c.value as string,
        })),
        modifiers: (rule.modifiers ?? []).map((m) => ({
            name: m.name,
            attribute: m.attribute,
            attributeUnit: orUndefined(m.attribute_unit),
            operator: m.operator,
            value: m.value as string,
            price: m.price_is_percent ? exactDecimal(m.price) : raise(m.price),
            timeUnit: m.time_unit,
            pricePercent: m.price_is_percent,
        })),
    };
}
