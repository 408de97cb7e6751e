import * as pulumi from "@pulumi/pulumi";
import { claim, claimLater, ClaimSpec, describe, gated } from "./claims";
import { domainKey } from "../provider/validation/fields";

/**
 * What each SDK resource claims as unique in its stack (see claims.ts), and the
 * options that hold it back until its part of the program is known to be consistent.
 */

type Opts = pulumi.CustomResourceOptions | undefined;

const isPlain = (v: unknown): v is string | number => typeof v === "string" || typeof v === "number";

/** Output objects as stable keys: two rules given the same `plan.planId` share a plan. */
const outputIds = new WeakMap<object, number>();
let outputCount = 0;
function identity(v: object): string {
    let id = outputIds.get(v);
    if (id === undefined) outputIds.set(v, (id = ++outputCount));
    return `output#${id}`;
}

/** A resource that claims nothing still waits for its stretch of the program. */
export function held(name: string, opts: Opts): Opts {
    return gated(opts, {}, name, false);
}

export function claimsOfReseller(name: string, args: { externalBillingId?: pulumi.Input<string | undefined> }, opts: Opts): Opts {
    const who = describe("Reseller", name, opts);
    const owner = {};
    const id = args?.externalBillingId;
    if (id === undefined || id === null || id === "") return gated(opts, owner, name, false);
    if (isPlain(id)) {
        claim("Reseller", who, owner, [{ field: "externalBillingId", value: String(id).trim() }]);
        return gated(opts, owner, name, false);
    }
    claimLater("Reseller", who, owner, pulumi.output(id).apply((v) => ({ field: "externalBillingId", value: String(v).trim() })));
    return gated(opts, owner, `reseller-${name}`, true);
}

export function claimsOfDomain(name: string, args: { domain: pulumi.Input<string> }, opts: Opts): Opts {
    const who = describe("FrontendDomain", name, opts);
    const owner = {};
    const domain = args?.domain;
    if (typeof domain === "string") {
        claim("FrontendDomain", who, owner, [{ field: "domain", value: domainKey(domain) }]);
        return gated(opts, owner, name, false);
    }
    if (domain === undefined || domain === null) return gated(opts, owner, name, false);
    claimLater("FrontendDomain", who, owner, pulumi.output(domain).apply((v) => ({ field: "domain", value: typeof v === "string" ? domainKey(v) : String(v) })));
    return gated(opts, owner, `domain-${name}`, true);
}

export function claimsOfRule(name: string, args: { planId: pulumi.Input<string | number>; displayName: pulumi.Input<string> }, opts: Opts): Opts {
    const who = describe("PricingRule", name, opts);
    const owner = {};
    const plan = args?.planId;
    const display = args?.displayName;
    // Same Pulumi name, type and parent is the same URN: say so before the engine does.
    const specs: ClaimSpec[] = [
        { field: "Pulumi resource name", scope: opts?.parent ? "the same parent" : undefined, scopeKey: `parent:${opts?.parent ? identity(opts.parent) : ""}`, value: name },
    ];
    if (plan === undefined || plan === null || display === undefined || display === null) {
        claim("PricingRule", who, owner, specs);
        return gated(opts, owner, name, false);
    }
    const planKnown = isPlain(plan);
    const planScope = planKnown ? { scope: `plan ${plan}`, scopeKey: `plan:${plan}` } : { scope: "the same plan", scopeKey: `plan:${identity(plan as object)}` };
    if (typeof display === "string") {
        // An Output plan id (usually `plan.planId` of a plan not yet created) still
        // identifies its plan by the Output object, so preview sees the collision.
        specs.push({ field: "displayName", ...planScope, value: display });
        claim("PricingRule", who, owner, specs);
        return gated(opts, owner, name, false);
    }
    claim("PricingRule", who, owner, specs);
    claimLater(
        "PricingRule",
        who,
        owner,
        pulumi.all([plan, display]).apply(([p, d]) => ({ field: "displayName", scope: `plan ${p}`, scopeKey: `plan:${p}`, value: String(d) })),
    );
    return gated(opts, owner, `rule-${name}`, true);
}
