import * as assert from "node:assert/strict";
import * as pulumi from "@pulumi/pulumi";
import * as fleio from "../../sdk";

/**
 * ResellerOnboarding refuses bad arguments with a message that names the argument,
 * before anything is registered: no TypeError from deep inside, no "Duplicate resource
 * URN" from the engine. Pulumi's runtime mocks stand in for the engine and record
 * every registration.
 */

const client = (): fleio.ResellerArgs => ({
    firstName: "Ada",
    lastName: "Operator",
    email: "ops@acme.example",
    phone: "+49 30 1234567",
    address1: "1 Cloud Street",
    city: "Berlin",
    zipCode: "10115",
    country: "DE",
    currency: "EUR",
    externalBillingId: "acme",
});
const small = { displayName: "m1.small per hour", resourceName: "instance", prices: [{ from: 0, price: "0.02" }] };
const large = { displayName: "m1.large per hour", resourceName: "instance", prices: [{ from: 0, price: "0.08" }] };
const good = (): fleio.ResellerOnboardingArgs => ({
    client: client(),
    resellerPlan: { name: "Acme pricing", rules: [small, large] },
    service: { productName: "Reseller", cycle: "month" },
    domain: "cloud.acme.example",
});

/** `good()` with one argument replaced; `undefined` removes it. */
const withArg = (path: string[], value: unknown): fleio.ResellerOnboardingArgs => {
    const args = good() as unknown as Record<string, any>;
    let at = args;
    for (const k of path.slice(0, -1)) at = at[k];
    if (value === undefined) delete at[path[path.length - 1]];
    else at[path[path.length - 1]] = value;
    return args as fleio.ResellerOnboardingArgs;
};
const rules = (...list: unknown[]) => withArg(["resellerPlan", "rules"], list);

const cases: { title: string; args: () => unknown; names: RegExp; name?: string; factory?: boolean }[] = [
    { title: "no args at all", args: () => undefined, names: /args must be an object with client, resellerPlan, service and domain, got undefined/ },
    { title: "args is null", args: () => null, names: /args must be an object .* got null/ },
    { title: "client is null", args: () => withArg(["client"], null), names: /client is required: .* got null/ },
    { title: "client is missing", args: () => withArg(["client"], undefined), names: /client is required: .* got undefined/ },
    { title: "resellerPlan is missing", args: () => withArg(["resellerPlan"], undefined), names: /resellerPlan is required: \{ name, rules \}/ },
    { title: "resellerPlan has no name", args: () => withArg(["resellerPlan", "name"], undefined), names: /resellerPlan\.name is required/ },
    {
        title: "both rules and fromTemplate",
        args: () => withArg(["resellerPlan", "fromTemplate"], { planId: "1", markupPercent: 10 }),
        names: /resellerPlan: give either rules or fromTemplate, not both/,
    },
    { title: "neither rules nor fromTemplate", args: () => withArg(["resellerPlan", "rules"], undefined), names: /resellerPlan: give rules \(a list of pricing rules\) or fromTemplate/ },
    {
        title: "fromTemplate with the synchronous constructor",
        args: () => withArg(["resellerPlan"], { name: "Acme pricing", fromTemplate: { planId: "1", markupPercent: 10 } }),
        names: /resellerPlan\.fromTemplate needs the template's rules read before .* use `await ResellerOnboarding\.create\(name, args, opts\)`/,
    },
    { title: "an empty rules list", args: () => rules(), names: /resellerPlan\.rules is empty: a reseller plan needs at least one pricing rule/ },
    { title: "rules is not a list", args: () => withArg(["resellerPlan", "rules"], { small }), names: /resellerPlan\.rules must be a list of pricing rules, got object/ },
    { title: "a rule is null", args: () => rules(small, null), names: /resellerPlan\.rules\[1\] must be an object .* got null/ },
    { title: "a rule's key is an Output", args: () => rules({ ...small, key: pulumi.output("small") }), names: /resellerPlan\.rules\[0\]\.key must be a plain string \(it names the rule's Pulumi resource\), got an Output/ },
    { title: "a rule's key has spaces", args: () => rules({ ...small, key: "Small Rule" }), names: /resellerPlan\.rules\[0\]\.key must be lower-case letters, digits and dashes .* got "Small Rule"/ },
    { title: "two rules with one key", args: () => rules({ ...small, key: "vm" }, { ...large, key: "vm" }), names: /resellerPlan\.rules\[1\]\.key "vm" is also the key of resellerPlan\.rules\[0\]/ },
    {
        title: "two rules with one displayName",
        args: () => rules(small, { ...large, key: "large", displayName: small.displayName }),
        names: /resellerPlan\.rules\[1\]\.displayName "m1\.small per hour" is also the displayName of resellerPlan\.rules\[0\]/,
    },
    {
        title: "two displayNames with the same slug",
        args: () => rules(small, { ...large, displayName: "M1 Small, per hour" }),
        names: /resellerPlan\.rules\[1\]\.key "m1-small-per-hour" is also the key of resellerPlan\.rules\[0\] \(a key defaults to a slug of displayName\)/,
    },
    {
        title: "a displayName from an Output with no key",
        args: () => rules({ ...small, displayName: pulumi.output("m1.small per hour") }),
        names: /resellerPlan\.rules\[0\]: displayName is an Output, so give key, a plain string that names the rule's Pulumi resource/,
    },
    { title: "a rule without a displayName", args: () => rules({ ...small, displayName: undefined }), names: /resellerPlan\.rules\[0\]\.displayName is required/ },
    { title: "a displayName that is a number", args: () => rules({ ...small, displayName: 7 }), names: /resellerPlan\.rules\[0\]\.displayName must be a string, got number/ },
    { title: "domain is a number", args: () => withArg(["domain"], 42), names: /domain must be a string such as "cloud\.reseller\.example" \(or an Output of one\), got number/ },
    { title: "domain is an object", args: () => withArg(["domain"], { fqdn: "cloud.acme.example" }), names: /domain must be a string .* got object/ },
    { title: "domain is missing", args: () => withArg(["domain"], undefined), names: /domain is required: the reseller's end-user panel domain/ },
    { title: "domain is empty", args: () => withArg(["domain"], "  "), names: /domain must not be empty/ },
    { title: "service is missing", args: () => withArg(["service"], undefined), names: /service is required: \{ productName, cycle \} or \{ productId, productCycleId \}/ },
    { title: "configuration is a string", args: () => withArg(["configuration"], "acme-retail"), names: /configuration must be an object such as \{ name: "acme-retail" \}, got string/ },
    { title: "endUserPlan with an empty rules list", args: () => withArg(["endUserPlan"], { name: "Retail", rules: [] }), names: /endUserPlan\.rules is empty/ },
    { title: "an empty component name", args: () => good(), name: "", names: /ResellerOnboarding: name must be a non-empty string \(it prefixes every child's name\)/ },
    {
        title: "create(): markupPercent that is not a number",
        factory: true,
        args: () => withArg(["resellerPlan"], { name: "Acme pricing", fromTemplate: { planId: "7", markupPercent: "20" } }),
        names: /resellerPlan\.fromTemplate\.markupPercent must be a number such as 20 \(for \+20%\), got string/,
    },
    {
        title: "create(): a template planId from an Output",
        factory: true,
        args: () => withArg(["resellerPlan"], { name: "Acme pricing", fromTemplate: { planId: pulumi.output("7"), markupPercent: 20 } }),
        names: /resellerPlan\.fromTemplate\.planId must be the template plan's Fleio id \(a positive whole number, as a plain value\), got an Output/,
    },
    {
        title: "create(): a markup that would make prices zero or negative",
        factory: true,
        args: () => withArg(["resellerPlan"], { name: "Acme pricing", fromTemplate: { planId: "7", markupPercent: -100 } }),
        names: /resellerPlan\.fromTemplate\.markupPercent must be more than -100/,
    },
];

describe("ResellerOnboarding: bad arguments are named, and nothing is registered", () => {
    let registered: string[];

    beforeEach(async () => {
        registered = [];
        await pulumi.runtime.setMocks(
            {
                newResource: (a) => {
                    registered.push(`${a.type}::${a.name}`);
                    return { id: `${a.name}-id`, state: a.inputs };
                },
                call: () => ({}),
            },
            "project",
            "stack",
            true,
        );
    });

    // Registration is asynchronous (inputs resolve, the provider is serialized): give it
    // time to happen, so "nothing registered" is not just "not yet".
    const settle = async (until: () => boolean, capMs: number) => {
        const start = Date.now();
        while (Date.now() - start < capMs && !until()) await new Promise((r) => setTimeout(r, 10));
        return Date.now() - start;
    };
    // How long the good arguments take to register their first resource here; bad
    // arguments are given several times that before "nothing registered" is believed.
    let firstRegistrationMs = 0;

    it("the good arguments the table varies do register the whole chain", async () => {
        new fleio.ResellerOnboarding("acme", good());
        await settle(() => registered.length >= 7, 5000);
        assert.ok(registered.includes("fleio:index:ResellerOnboarding::acme"), registered.join("\n"));
        assert.ok(registered.some((r) => r.endsWith("::acme-reseller-plan-m1-large-per-hour")), registered.join("\n"));
        assert.equal(registered.length, 7, registered.join("\n"));
        // Once warm (the provider's code is serialized once per process), as in the cases below.
        const before = registered.length;
        new fleio.ResellerOnboarding("again", { ...good(), client: { ...client(), externalBillingId: "again" }, domain: "cloud.again.example" });
        firstRegistrationMs = await settle(() => registered.length > before, 5000);
    });

    for (const c of cases) {
        it(`${c.title}`, async () => {
            const name = c.name ?? "acme";
            const make = c.factory
                ? () => fleio.ResellerOnboarding.create(name, c.args() as fleio.ResellerOnboardingArgs)
                : async () => new fleio.ResellerOnboarding(name, c.args() as fleio.ResellerOnboardingArgs);
            await assert.rejects(make(), (e: Error) => {
                assert.ok(e instanceof fleio.ProgramError, `a ProgramError (shown without a stack trace), got ${e.constructor.name}: ${e.message}`);
                assert.match(e.message, c.names);
                if (name) assert.match(e.message, /^ResellerOnboarding "acme": /);
                return true;
            });
            await settle(() => registered.length > 0, Math.max(200, 2 * firstRegistrationMs));
            assert.deepEqual(registered, [], "nothing registered");
        });
    }
});
