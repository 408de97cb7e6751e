import { resumesCreate } from "./resumed-creates";
import { z } from "zod";
import type * as dynamic from "@pulumi/pulumi/dynamic";
import { ProviderContext, providerContext, runState } from "../context";
import { FleioApiError } from "../client/errors";
import { redact } from "../client/redact";
import { quietError } from "../quiet-error";
import { checkContext, reportSkipped } from "../validation/remote-budget";
import { cut, withSecrets } from "../validation/echo";
import { sameValue } from "./same-value";
import { notice, warning } from "../notice";

/** The engine's placeholder for a value not known until apply (`runtime/rpc.ts`). */
export const UNKNOWN = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";
const PROVIDER_KEY = "__provider";
/** How the engine marks a secret value (`runtime/rpc.ts` specialSigKey / specialSecretSig). */
const SIG_KEY = "4dabf18193072939515e22adb298388d";
const SECRET_SIG = "1b47061264138c4ac30d75fd1eb44270";
/** Longest failure reason (in characters) check() returns, whatever went into it. */
const MAX_REASON = 280;

export type Issue = { property: string; reason: string };
type AnyObject = z.ZodObject<z.ZodRawShape>;

/**
 * Everything that differs between resources. Validation, diffing and error handling
 * are shared; a spec says only how its object maps to Fleio.
 */
export interface ResourceSpec<S extends AnyObject, O extends Record<string, unknown>> {
    /** Type name, e.g. "Reseller" (the token is fleio:index:Reseller). */
    kind: string;
    /** Inputs after normalisation. Strict: an unknown key is a failure, not silently dropped. Descriptions via .describe(). */
    inputs: S;
    /** The outputs beyond the inputs, described: feeds the native schema and the docs (never used to validate). */
    outputs?: AnyObject;
    /** Rules that involve more than one field; run only when every field is known. */
    crossCheck?: (inputs: z.output<S>) => Issue[];
    /**
     * Shapes Fleio accepts but that make little sense for billing: shown as warnings
     * by check() (so in the preview), never refused. The provider is never stricter than
     * Fleio about what Fleio already holds.
     */
    advise?: (inputs: z.output<S>) => string[];
    /**
     * Checks only Fleio can answer (validation/remote.ts). Run by check() only for a new
     * resource or a changed value of `fields`, with one brief try; skipped with a warning
     * when Fleio cannot be asked (validation/remote-budget.ts).
     */
    remoteCheck?: {
        fields: readonly (keyof z.output<S> & string)[];
        /** What it makes sure of, for the warning when Fleio could not be asked ("whether Fleio offers its currency"); default: the fields. */
        what?: string;
        /**
         * `before`: the old inputs, normalised, when this is a change of an existing resource;
         * `changed`: which of `fields` are new or changed (compared canonically, as diff() does).
         */
        run(ctx: ProviderContext, inputs: z.output<S>, written: Record<string, unknown>, before: Record<string, unknown> | undefined, changed: string[]): Promise<Issue[]>;
    };
    /** Inputs Fleio cannot change in place. */
    replaceOnChange: readonly (keyof z.output<S> & string)[];
    /**
     * Outputs an update never changes (the object's own id, its owner's scope, what a
     * replace-only input resolved to): a preview of an update keeps them known, so what
     * is keyed on them is not shown replaced.
     */
    stableOutputs?: readonly string[];
    /** Inputs that only matter at create (e.g. `adopt`): a later change is not a diff. */
    createOnly?: readonly (keyof z.output<S> & string)[];
    /** Delete the old object first when replacing (Fleio allows only one at a time). */
    deleteBeforeReplace?: boolean;
    /** `resumed`: an interrupted run began this very create (resumed-creates.ts). */
    create(ctx: ProviderContext, inputs: z.output<S>, resumed?: boolean): Promise<{ id: string; outs: O }>;
    /** Take over an existing object: verify it fits, converge it to the inputs. */
    adopt?(ctx: ProviderContext, id: string, inputs: z.output<S>): Promise<{ id: string; outs: O }>;
    /** Current state in Fleio, or undefined when the object is gone. */
    read(ctx: ProviderContext, id: string, olds: O): Promise<O | undefined>;
    /**
     * The import mapping: `pulumi import` reads with only the Fleio id, so this derives what
     * read() needs beyond it (e.g. the owning client) from Fleio. Inputs Fleio never returns
     * (e.g. a client's externalBillingId) are named in their description instead.
     */
    importState?(ctx: ProviderContext, id: string): Promise<Partial<O>>;
    update(ctx: ProviderContext, id: string, olds: O, news: z.output<S>): Promise<O>;
    delete(ctx: ProviderContext, id: string, olds: O): Promise<void>;
}

/**
 * What a resource does, whatever protocol asks: check, diff and CRUD over plain JS
 * values in the engine's encoding (secrets as signature-wrapped objects, unknowns as
 * UNKNOWN), with no `__provider`. The dynamic provider (below) and the native plugin
 * (provider/plugin) are thin adapters over it, so no validation, diff or CRUD logic
 * exists twice.
 */
export interface ResourceCore {
    kind: string;
    // The spec itself, for what only a schema needs (descriptions, types, replace rules).
    spec: ResourceSpec<AnyObject, Record<string, unknown>>;
    check(olds: Record<string, unknown> | undefined, news: Record<string, unknown>): Promise<{ inputs: Record<string, unknown>; failures: Issue[] }>;
    /**
     * `changed`: inputs whose value differs (createOnly ones never); `replaces`: those Fleio
     * cannot change in place; `stables`: properties an update leaves as they are.
     */
    diff(olds: Record<string, unknown>, news: Record<string, unknown>): Promise<{ changed: string[]; replaces: string[]; stables: string[]; deleteBeforeReplace: boolean }>;
    /**
     * The outputs a preview of an update can promise: the new inputs, the stable outputs
     * as they are, and every other output unknown (`olds` undefined: a create, all unknown).
     */
    planned(news: Record<string, unknown>, olds?: Record<string, unknown>): Record<string, unknown>;
    create(inputs: Record<string, unknown>): Promise<{ id: string; outs: Record<string, unknown> }>;
    /** Current outputs, or undefined when the object is gone from Fleio. `importing`: only the id is known (`pulumi import`). */
    read(id: string, olds: Record<string, unknown>, importing?: boolean): Promise<Record<string, unknown> | undefined>;
    update(id: string, olds: Record<string, unknown>, news: Record<string, unknown>): Promise<Record<string, unknown>>;
    delete(id: string, olds: Record<string, unknown>): Promise<void>;
}

/** The protocol-neutral core of a spec. */
export function resourceCore<S extends AnyObject, O extends Record<string, unknown>>(spec: ResourceSpec<S, O>): ResourceCore {
    const keys = Object.keys(spec.inputs.shape);
    const createOnly = new Set<string>(spec.createOnly ?? []);
    const replaceOnChange = new Set<string>(spec.replaceOnChange);
    const stable = new Set<string>(spec.stableOutputs ?? []);
    const outputOnly = Object.keys(spec.outputs?.shape ?? {});
    return {
        kind: spec.kind,
        spec: spec as unknown as ResourceSpec<AnyObject, Record<string, unknown>>,
        async check(olds, news) {
            const checked = checkInputs(spec, news);
            if (checked.data && !checked.failures.length && checked.unknownKeys.length === 0 && spec.advise)
                for (const said of spec.advise(checked.data as z.output<S>)) warning(`${spec.kind}: ${said}`);
            if (checked.failures.length || !checked.data || !spec.remoteCheck) return { inputs: checked.inputs, failures: checked.failures };
            return { inputs: checked.inputs, failures: await checkRemotely(spec, olds, checked) };
        },
        async diff(olds, news) {
            const before = normaliseOld(spec, olds);
            const changed = keys.filter((k) => !createOnly.has(k) && !sameValue(before[k], news[k]));
            const replaces = changed.filter((k) => replaceOnChange.has(k));
            return {
                changed,
                replaces,
                // An update never touches these; a replacement makes them new anyway.
                stables: [...stable, ...spec.replaceOnChange.filter((k) => !changed.includes(k))],
                // Said on every diff, not only with a replacement: after an `up` that failed
                // between a delete-before-replace's delete and its create, the engine keeps the
                // old object as pendingReplacement and finishes the replacement on the next run
                // whatever the diff says. Told delete-before-replace it just creates; told
                // nothing it creates and then deletes the old object a second time, which for
                // these kinds undoes the create (a panel URL cleared, a service suspended).
                deleteBeforeReplace: spec.deleteBeforeReplace === true,
            };
        },
        planned(news, olds) {
            // A stable output the object does not have (absent in olds) stays absent.
            const known = (k: string) => olds !== undefined && stable.has(k);
            return { ...news, ...Object.fromEntries(outputOnly.map((k) => [k, known(k) ? olds![k] : UNKNOWN])) };
        },
        async create(inputs) {
            const clean = inputs as z.output<S>;
            const adoptId = (clean as { adopt?: string }).adopt;
            // providerContext() inside guard: invalid settings are an expected failure too.
            const res = await guard(spec.kind, "create", async () => {
                const ctx = providerContext();
                const made = adoptId && spec.adopt ? await spec.adopt(ctx, adoptId, clean) : await spec.create(ctx, clean, resumesCreate(spec.kind, inputs));
                const held = heldThisRun(ctx, spec.kind);
                // Two resources of this stack that found one object by its natural key (or
                // adopt) in one run would both own it; the second is refused, with the fix.
                if (held.has(made.id))
                    throw new Error(
                        `${spec.kind} ${made.id} is already held by another resource of this stack (made or taken over earlier in this run): ` +
                            "two resources cannot own one Fleio object; remove one of them, or change what identifies it (e.g. externalBillingId, name, adopt)",
                    );
                held.add(made.id);
                return made;
            });
            return { id: res.id, outs: dropUndefined(res.outs) };
        },
        async read(id, olds, importing = false) {
            // providerContext() inside guard: invalid settings are an expected failure too.
            const now = await guard(spec.kind, "read", async () => {
                const ctx = providerContext();
                const known = importing && spec.importState ? { ...(await spec.importState(ctx, id)), ...olds } : olds;
                try {
                    return await spec.read(ctx, id, known as O);
                } catch (e) {
                    // Fleio refused the token (or could not be reached) on an earlier read of this
                    // run, which failed with the fix, so the run fails anyway. The other reads keep
                    // what the state holds rather than each adding the same error: a refresh after a
                    // token rotation printed one "Preview failed" per resource.
                    if (e instanceof FleioApiError && e.notSent && !importing && Object.keys(olds).length > 0) return olds as O;
                    throw e;
                }
            });
            return now && dropUndefined(now);
        },
        async update(id, olds, news) {
            return dropUndefined(await guard(spec.kind, "update", async () => spec.update(providerContext(), id, olds as O, news as z.output<S>)));
        },
        async delete(id, olds) {
            await guard(spec.kind, "delete", async () => {
                const ctx = providerContext();
                if (heldThisRun(ctx, spec.kind).has(id)) {
                    // A resource renamed or moved within the stack: its new name found this
                    // object earlier in the run and holds it now. Deleting it would leave that
                    // resource's state pointing at nothing.
                    notice(`${spec.kind} ${id} is held by another resource of this stack now (it took the object over earlier in this run): only this resource's state entry is removed; the object stays in Fleio`);
                    return;
                }
                try {
                    await spec.delete(ctx, id, olds as O);
                } catch (e) {
                    // Already gone is what delete wanted; the user should still learn of it.
                    if (e instanceof FleioApiError && e.isNotFound) {
                        notice(`${spec.kind} ${id} was already gone from Fleio: it is dropped from the stack`);
                        return;
                    }
                    throw e;
                }
            });
        },
    };
}

/**
 * The Fleio ids of `kind` this provider process's creates made or took over in this run.
 * One process serves a whole run (the dynamic provider's, or the native plugin's per
 * provider), so a later delete in the same run sees them: removing a resource whose
 * object another resource now holds (a renamed resource, a renamed data file) drops it
 * from state instead of deleting what the stack still declares.
 */
const heldThisRun = (ctx: ProviderContext, kind: string) => runState(ctx, `owners/held/${kind}`, () => new Set<string>());

/** Turns a spec into the object the dynamic provider host calls; `core` is what the native plugin serves. */
export function defineResource<S extends AnyObject, O extends Record<string, unknown>>(spec: ResourceSpec<S, O>): dynamic.ResourceProvider & { readonly core: ResourceCore } {
    return dynamicAdapter(resourceCore(spec));
}

/** The dynamic provider's view of a core: the host adds `__provider` to every value, which the core never sees. */
function dynamicAdapter(core: ResourceCore): dynamic.ResourceProvider & { readonly core: ResourceCore } {
    return {
        core,
        async check(olds, news) {
            const { inputs, failures } = await core.check(olds && stripProvider(olds), stripProvider(news));
            return { inputs, failures: failures.map(forEngine) };
        },
        async diff(_id, olds, news) {
            const d = await core.diff(olds, news);
            // The dynamic provider host (3.248) neither forwards `stables` nor takes part in
            // previews: there a preview of an update sees only the inputs. The SDK keeps the
            // outputs that are the resource's id known from the id instead (sdk/types.ts idOutput).
            return { changes: d.changed.length > 0, replaces: d.replaces, stables: d.stables, deleteBeforeReplace: d.deleteBeforeReplace };
        },
        create: (inputs) => core.create(stripProvider(inputs)),
        async read(id, props) {
            const now = await core.read(id, stripProvider(props));
            // No id tells the engine the object is gone, so refresh drops it from state.
            return now ? { id, props: now } : {};
        },
        async update(id, olds, news) {
            return { outs: await core.update(id, stripProvider(olds), stripProvider(news)) };
        },
        delete: (id, props) => core.delete(id, stripProvider(props)),
    };
}

interface Checked {
    inputs: Record<string, unknown>;
    failures: Issue[];
    /** The parsed inputs, when they passed; unknown fields absent. */
    data?: Record<string, unknown>;
    /** The inputs as written, secrets unwrapped. */
    written: Record<string, unknown>;
    unknownKeys: string[];
    secretLeaves: unknown[];
}

/** Validation shared by every resource. */
function checkInputs<S extends AnyObject, O extends Record<string, unknown>>(
    spec: Pick<ResourceSpec<S, O>, "inputs" | "crossCheck">,
    news: Record<string, unknown>,
): Checked {
    const given = stripProvider(news);
    const secretLeaves: unknown[] = [];
    const raw = unwrapSecrets(given, secretLeaves) as Record<string, unknown>;
    // Values that are unknown during preview are validated at apply, when they are known.
    const unknownKeys = Object.keys(raw).filter((k) => containsUnknown(raw[k]));
    const known = Object.fromEntries(Object.entries(raw).filter(([k]) => !unknownKeys.includes(k)));
    const mask = Object.fromEntries(unknownKeys.filter((k) => k in spec.inputs.shape).map((k) => [k, true])) as Record<string, true>;
    const schema = unknownKeys.length ? spec.inputs.omit(mask) : spec.inputs;
    // Messages may echo a value: the secret ones are masked (validation/echo.ts).
    return withSecrets(secretLeaves, (): Checked => {
        const parsed = schema.safeParse(known);
        if (!parsed.success) {
            return { inputs: given, failures: parsed.error.issues.map(toFailure), written: raw, unknownKeys, secretLeaves };
        }
        const data = parsed.data as Record<string, unknown>;
        // A value that arrived as a secret leaves as one.
        const rewrapped = Object.fromEntries(Object.entries(data).map(([k, v]) => [k, containsSecret(given[k]) ? secretValue(v) : v]));
        const inputs = dropUndefined({ ...rewrapped, ...Object.fromEntries(unknownKeys.map((k) => [k, given[k]])) });
        const failures = unknownKeys.length === 0 && spec.crossCheck ? spec.crossCheck(data as z.output<S>).map(bounded) : [];
        return { inputs, failures, data, written: raw, unknownKeys, secretLeaves };
    });
}

/**
 * The remote part of check(), kept to new resources and changed values: a preview
 * with no change never calls Fleio (design.md "Cost rules"); see validation/remote.ts.
 */
async function checkRemotely<S extends AnyObject, O extends Record<string, unknown>>(spec: ResourceSpec<S, O>, olds: Record<string, unknown> | undefined, checked: Checked): Promise<Issue[]> {
    const remote = spec.remoteCheck!;
    const data = checked.data!;
    const previous = unwrapSecrets(stripProvider(olds ?? {}), []) as Record<string, unknown>;
    const before = Object.keys(previous).length ? normaliseOld(spec, previous) : undefined;
    const changed = remote.fields.filter((f) => !checked.unknownKeys.includes(f) && data[f] !== undefined && (!before || !sameValue(before[f], data[f])));
    if (changed.length === 0) return [];
    let ctx: ProviderContext;
    try {
        ctx = providerContext();
    } catch {
        // No usable settings at preview: apply reports them, with the fix.
        return [];
    }
    try {
        const issues = await withSecrets(checked.secretLeaves, () => remote.run(checkContext(ctx), data as z.output<S>, checked.written, before, changed));
        return issues.map(bounded);
    } catch (e) {
        reportSkipped(ctx, spec.kind, remote.what ?? `its ${remote.fields.join(", ")}`, e);
        return [];
    }
}

function toFailure(issue: z.core.$ZodIssue): Issue {
    const path = issue.path.map((p, i) => (typeof p === "number" ? `[${p}]` : i === 0 ? String(p) : `.${String(p)}`)).join("");
    if (issue.code === "unrecognized_keys") {
        const names = issue.keys.slice(0, 5).map((k) => cut(k, 40)).join(", ") + (issue.keys.length > 5 ? ` and ${issue.keys.length - 5} more` : "");
        return bounded({ property: path || issue.keys[0], reason: `unknown input ${names}: remove it or check its spelling` });
    }
    return bounded({ property: path, reason: issue.message });
}

/**
 * A failure in the form the engine prints well. The engine renders a failure with a
 * property as `property <p> value {<v>} has a problem: <reason>`, reading <v> from the
 * *top-level* inputs by the name <p>; for a nested path such as prices[0].price that
 * lookup finds nothing and prints `{<nil>}` although the value is set (CLI v3.248,
 * pkg/resource/deploy/step_generator.go issueCheckErrors). A nested failure therefore
 * goes without a property, its path leading the reason, which the engine prints as
 * `<type> resource '<name>' has a problem: prices[0].price must be 0 or more (got -1)`.
 */
export function forEngine(issue: Issue): Issue {
    if (issue.property === "" || /^[A-Za-z_$][\w$]*$/.test(issue.property)) return issue;
    return { property: "", reason: cut(`${issue.property} ${issue.reason}`, MAX_REASON) };
}

/** Whatever a message was built from, it reaches the console at a readable length. */
function bounded(issue: Issue): Issue {
    return { property: cut(issue.property, 64), reason: cut(issue.reason, MAX_REASON) };
}

/**
 * Old outputs in the shape of today's inputs. State written by an older version of
 * this provider may lack a field or carry a retired one: parse leniently, and fall
 * back to the raw value per field, so an upgrade never shows up as a change.
 */
function normaliseOld<S extends AnyObject>(spec: Pick<ResourceSpec<S, Record<string, unknown>>, "inputs">, olds: Record<string, unknown>): Record<string, unknown> {
    const out: Record<string, unknown> = {};
    for (const [k, field] of Object.entries(spec.inputs.shape)) {
        const parsed = (field as z.ZodType).safeParse(olds[k]);
        out[k] = parsed.success ? parsed.data : olds[k];
    }
    return out;
}

/**
 * The engine's wire format (protobuf Struct) has no `undefined`: an absent optional
 * field must be left out, or the host fails with "Unexpected struct type".
 */
export function dropUndefined<T>(v: T): T {
    if (Array.isArray(v)) return v.map(dropUndefined) as T;
    if (v && typeof v === "object") {
        return Object.fromEntries(Object.entries(v).filter(([, x]) => x !== undefined).map(([k, x]) => [k, dropUndefined(x)])) as T;
    }
    return v;
}

function containsUnknown(v: unknown): boolean {
    if (v === UNKNOWN) return true;
    if (Array.isArray(v)) return v.some(containsUnknown);
    if (v && typeof v === "object") return Object.values(v).some(containsUnknown);
    return false;
}

/** A value wrapped as the engine marks a secret. */
export const secretValue = (value: unknown) => ({ [SIG_KEY]: SECRET_SIG, value });

export function isSecretWrapped(v: unknown): v is { value: unknown } {
    return typeof v === "object" && v !== null && (v as Record<string, unknown>)[SIG_KEY] === SECRET_SIG;
}

export function containsSecret(v: unknown): boolean {
    if (isSecretWrapped(v)) return true;
    if (Array.isArray(v)) return v.some(containsSecret);
    if (v && typeof v === "object") return Object.values(v).some(containsSecret);
    return false;
}

/** The plain value for validation; the scalars that were secret go to `leaves`. */
export function unwrapSecrets(v: unknown, leaves: unknown[] = [], inSecret = false): unknown {
    if (isSecretWrapped(v)) return unwrapSecrets(v.value, leaves, true);
    if (Array.isArray(v)) return v.map((x) => unwrapSecrets(x, leaves, inSecret));
    if (v && typeof v === "object") return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, unwrapSecrets(x, leaves, inSecret)]));
    if (inSecret) leaves.push(v);
    return v;
}

function stripProvider(props: Record<string, unknown>): Record<string, unknown> {
    const { [PROVIDER_KEY]: _ignored, ...rest } = props ?? {};
    return rest;
}

/** Errors leave here labelled with the resource and step, and with no secret in them. */
async function guard<T>(kind: string, step: string, run: () => Promise<T>): Promise<T> {
    try {
        return await run();
    } catch (e) {
        if (e instanceof PartialCreate) throw e;
        const message = e instanceof Error ? e.message : String(e);
        // An expected failure (Fleio refused, bad settings) shows its message only; a bug
        // in this provider keeps its stack trace, which is what its report needs.
        const text = redact(`fleio:${kind} ${step}: ${message}`);
        const err = isBug(e) ? Object.assign(new Error(text), { stack: redact(`${text}\n${String(e.stack).split("\n").slice(1).join("\n")}`) }) : quietError(text);
        if (e instanceof FleioApiError) Object.assign(err, { status: e.status, fields: e.fields });
        throw err;
    }
}

const isBug = (e: unknown): e is Error => e instanceof TypeError || e instanceof ReferenceError || e instanceof RangeError || e instanceof SyntaxError;

/**
 * Thrown when Fleio created the object but a follow-up step failed: the engine records
 * the id (and these outputs) in state, so the next `up` updates instead of creating twice.
 */
export class PartialCreate extends Error {
    readonly id: string;
    readonly properties: Record<string, unknown>;
    readonly reasons: string[];
    constructor(kind: string, id: string, properties: Record<string, unknown>, cause: unknown) {
        const reason = redact(cause instanceof Error ? cause.message : String(cause));
        super(`fleio:${kind} ${id} was created but not finished: ${reason}`);
        this.id = id;
        this.properties = properties;
        this.reasons = [reason];
    }
}
