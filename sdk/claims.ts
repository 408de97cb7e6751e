import * as pulumi from "@pulumi/pulumi";

/**
 * What one program run declares that must be unique within its stack: a reseller's
 * domain, its external billing id, a rule's name and display name within a plan, a
 * component's name. Two declarations of the same value fail at construction, naming
 * both and the field, so `preview` fails before any call to Fleio.
 *
 * Creation is held back too: every SDK resource waits for the "gate" of the stretch of
 * the program it was declared in (the synchronous run of constructors, extended while a
 * template is being read). A conflict or a failed template read rejects that gate, so
 * none of the stretch's resources is registered and `up` creates nothing — not even the
 * first of two conflicting declarations. Without the gate, the engine would create the
 * resources already declared while it waits for the failed program to finish.
 *
 * Values that are Outputs are checked when they resolve, by a resource hook that fails
 * that resource's create or update cleanly (an input that throws would leave the
 * resource's outputs pending forever and hang the run).
 */

interface Claim {
    /** e.g. `FrontendDomain "acme-domain" (in ResellerOnboarding "acme")` */
    declaredBy: string;
    owner: object;
}

interface Gate {
    promise: Promise<never[]>;
    failure?: Error;
    settle(): void;
    scheduled: boolean;
}

interface Run {
    label: string;
    claims: Map<string, Claim>;
    /** conflicts found when an Output resolved, by the resource that must not be created */
    late: WeakMap<object, Error>;
    gate?: Gate;
    /** template reads in flight: the gate stays shut while the program is still declaring */
    pending: number;
}

const runs = new WeakMap<object, Run>();
/** Without an engine (plain node, e.g. a type-check script) there is one run per process. */
const processRun = {};
const labels = new WeakMap<object, string>();
let hookCount = 0;

/** The run of the program that is executing now: one per engine connection (or mock). */
function currentRun(): Run {
    const key = (pulumi.runtime.getMonitor() as object | undefined) ?? processRun;
    let run = runs.get(key);
    if (!run) {
        run = { label: `${pulumi.getProject()}/${pulumi.getStack()}`, claims: new Map(), late: new WeakMap(), pending: 0 };
        runs.set(key, run);
    }
    return run;
}

/** How a resource is named in conflict messages, with the component that declared it. */
export function describe(kind: string, name: string, opts?: pulumi.ResourceOptions): string {
    const parent = opts?.parent && labels.get(opts.parent);
    return `${kind} "${name}"${parent ? ` (in ${parent})` : ""}`;
}

/** Remembers a component's label so its children name it in conflicts. */
export function label(resource: object, text: string): void {
    labels.set(resource, text);
}

export class ProgramError extends pulumi.RunError {}

/** One value that must be unique in the stack. */
export interface ClaimSpec {
    /** e.g. "domain", "externalBillingId", "displayName" */
    field: string;
    /** what the value is unique within, shown in the message, e.g. `plan 42`; default the stack */
    scope?: string;
    /** part of the key, not shown (e.g. the identity of an Output plan id) */
    scopeKey?: string;
    value: string;
}

const keyOf = (kind: string, c: ClaimSpec) => JSON.stringify([kind, c.field, c.scopeKey ?? c.scope ?? "", c.value]);

function conflict(run: Run, who: string, c: ClaimSpec, other: Claim): ProgramError {
    const within = c.scope ? ` within ${c.scope}` : ` in stack ${run.label}`;
    return new ProgramError(`${who}: ${c.field} ${JSON.stringify(c.value)} is also declared by ${other.declaredBy}; each ${c.field} must be unique${within} — change one of the two declarations`);
}

/** The first existing claim another owner holds on one of these values, as an error. */
export function findConflict(kind: string, who: string, owner: object, specs: ClaimSpec[]): ProgramError | undefined {
    const run = currentRun();
    for (const c of specs) {
        const other = run.claims.get(keyOf(kind, c));
        if (other && other.owner !== owner) return conflict(run, who, c, other);
    }
    return undefined;
}

/**
 * Claims plain values for `owner`, or throws the conflict (and shuts the current gate,
 * so nothing declared in this stretch is created). Claims are recorded only when all
 * of them are free.
 */
export function claim(kind: string, who: string, owner: object, specs: ClaimSpec[]): void {
    const err = findConflict(kind, who, owner, specs);
    if (err) fail(err);
    const run = currentRun();
    for (const c of specs) run.claims.set(keyOf(kind, c), { declaredBy: who, owner });
}

/** Fails the program with `err`, after making sure nothing of this stretch gets registered. */
export function fail(err: Error): never {
    const gate = currentRun().gate;
    if (gate) gate.failure ??= err;
    throw err;
}

/**
 * Claims a value that is an Output when it resolves. A conflict then blocks this
 * resource's create/update through `hookFor`'s hook; a plain value goes to `claim`.
 */
export function claimLater(kind: string, who: string, owner: object, parts: pulumi.Input<ClaimSpec>): void {
    const run = currentRun();
    pulumi.output(parts).apply((c) => {
        if (!c || c.value === undefined || c.value === null) return;
        const other = run.claims.get(keyOf(kind, c));
        if (other && other.owner !== owner) run.late.set(owner, conflict(run, who, c, other));
        else run.claims.set(keyOf(kind, c), { declaredBy: who, owner });
    });
}

/**
 * Options that hold the resource back until its stretch of the program has declared
 * everything, and (when some claimed value is an Output) fail its create or update on
 * a conflict found when that value resolved.
 */
export function gated<T extends pulumi.ResourceOptions>(opts: T | undefined, owner: object, name: string, withHook: boolean): T {
    const run = currentRun();
    const gate = openGate(run);
    const out = { ...(opts ?? {}) } as T;
    const deps: unknown[] = [gate.promise];
    if (opts?.dependsOn !== undefined) deps.push(opts.dependsOn);
    // The gate comes first: the engine gathers dependsOn before any input, so a shut gate
    // fails the registration before it waits on inputs that will never resolve.
    out.dependsOn = deps as pulumi.Input<pulumi.Resource>[];
    if (withHook) {
        const hook = new pulumi.ResourceHook(
            `fleio-claims-${++hookCount}-${name}`,
            () => {
                const err = run.late.get(owner);
                if (err) throw err;
            },
            { onDryRun: true },
        );
        const hooks = { ...(opts as pulumi.ResourceOptions | undefined)?.hooks };
        hooks.beforeCreate = [...(hooks.beforeCreate ?? []), hook];
        hooks.beforeUpdate = [...(hooks.beforeUpdate ?? []), hook];
        (out as pulumi.ResourceOptions).hooks = hooks;
    }
    return out;
}

/**
 * Resolves when the current stretch's gate opens; never settles if it shuts. A
 * component's registerOutputs waits for the component's URN, which a shut gate never
 * gives: it must wait for this, or the failed run would never end.
 */
export function admission(): Promise<unknown> {
    const gate = currentRun().gate;
    return gate ? gate.promise.then(() => undefined, () => new Promise(() => undefined)) : Promise.resolve();
}

/**
 * Runs a read the program needs before it can declare its resources (a template's
 * rules). While it runs, the gate stays shut; if it fails, the stretch's resources are
 * not created.
 */
export async function preparing<T>(work: () => Promise<T>): Promise<T> {
    const run = currentRun();
    run.pending++;
    try {
        return await work();
    } catch (e) {
        const gate = run.gate;
        if (gate && e instanceof Error) gate.failure ??= e;
        throw e;
    } finally {
        run.pending--;
        if (run.pending === 0 && run.gate && !run.gate.scheduled) schedule(run, run.gate);
    }
}

function openGate(run: Run): Gate {
    if (run.gate) return run.gate;
    let resolve!: (v: never[]) => void;
    let reject!: (e: Error) => void;
    const promise = new Promise<never[]>((res, rej) => {
        resolve = res;
        reject = rej;
    });
    // A shut gate rejects every registration waiting on it with the same error; the
    // engine reports it once (it de-duplicates by error object).
    promise.catch(() => undefined);
    const gate: Gate = {
        promise,
        scheduled: false,
        settle: () => {
            if (run.gate === gate) run.gate = undefined;
            if (gate.failure) reject(gate.failure);
            else resolve([]);
        },
    };
    run.gate = gate;
    schedule(run, gate);
    return gate;
}

/** The gate opens once the program yields to I/O with no template read in flight. */
function schedule(run: Run, gate: Gate): void {
    gate.scheduled = true;
    setImmediate(() => {
        gate.scheduled = false;
        if (run.pending > 0) return; // re-scheduled when the last read ends
        gate.settle();
    });
}
