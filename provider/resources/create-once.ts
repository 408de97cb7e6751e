import { FleioApiError } from "../client/errors";
import { notice } from "../notice";

/**
 * Sends a create so that it lands exactly once, even across a lost answer or an
 * interrupted run.
 *
 * - Before sending, `existing` (when given) lists objects that already carry this
 *   create's natural key. With a unique key ("unique") such an object is the one an
 *   earlier, interrupted run created: it is taken over. With a key Fleio does not keep
 *   unique ("ambiguous", e.g. plan names) it may be someone else's: the create stops
 *   with its id and the `adopt` that resolves it, instead of making a duplicate.
 * - A POST that may have been applied (5xx, dropped connection) is never re-sent
 *   blindly: `lookup` tells whether it landed. One new object is ours; none means
 *   Fleio did not create it, so it is sent again, within the retry budget.
 */
export interface CreateOnce<T extends { id: number | string }> {
    what: string;
    send: () => Promise<T>;
    /** Objects with this natural key as Fleio lists them now, filtered here on their own fields. */
    lookup: () => Promise<T[]>;
    /**
     * One object by id, as Fleio renders it on its own. A list may render objects
     * shorter than a create's answer (Fleio's client list has no address or zip code):
     * the object a look-up found is read through this before it is returned, so outputs
     * built from it are those of an answered create, and the next preview is empty.
     */
    get: (id: string) => Promise<T | undefined>;
    /** The same before sending, possibly from a per-run scan; default: none (the key is checked by Fleio itself). */
    existing?: () => Promise<T[]>;
    identity: "unique" | "ambiguous";
    adoptHint: (found: T) => string;
    /** How often a create that certainly did not land is sent again. */
    retries?: number;
    /**
     * This create repeats one an interrupted run began (resumed-creates.ts): one object
     * with an ambiguous key is then that run's, and is taken over.
     */
    resumed?: boolean;
}

export interface Created<T> {
    object: T;
    /** "found": the object was already in Fleio (taken over); the caller converges it to the inputs. */
    how: "created" | "found";
}

/** The object a look-up found after a lost answer, read whole. */
async function settle<T extends { id: number | string }>(o: CreateOnce<T>, found: T, failure: FleioApiError): Promise<T> {
    let whole: T | undefined;
    try {
        whole = await o.get(String(found.id));
    } catch {
        // The object exists and is ours: keep its id in state with what the list said. The
        // fields a list leaves out then show as a change, which the next `up` writes.
        return found;
    }
    if (!whole) throw new Error(`${failure.message}; Fleio made ${o.what} (id ${found.id}), but it was gone when read again: run \`pulumi up\` again`);
    return whole;
}

export async function createOnce<T extends { id: number | string }>(o: CreateOnce<T>): Promise<Created<T>> {
    const before = o.existing ? await o.existing() : [];
    if (before.length > 0) {
        if (o.identity === "unique" && before.length === 1) return { object: before[0], how: "found" };
        if (o.resumed && before.length === 1) {
            notice(`took over ${o.what} (id ${before[0].id}), made by the interrupted run this one resumes`);
            return { object: before[0], how: "found" };
        }
        const ids = before.map((x) => String(x.id)).join(", ");
        throw new Error(`${o.what} already exists in Fleio (id ${ids}), perhaps made by an interrupted run; ${o.adoptHint(before[0])}`);
    }
    const seen = new Set(before.map((x) => String(x.id)));
    const retries = o.retries ?? 2;
    for (let attempt = 0; ; attempt++) {
        let failure: FleioApiError;
        try {
            return { object: await o.send(), how: "created" };
        } catch (e) {
            if (!(e instanceof FleioApiError) || !e.maybeApplied) throw e;
            failure = e;
        }
        let found: T[];
        try {
            found = (await o.lookup()).filter((x) => !seen.has(String(x.id)));
        } catch (e) {
            // The request that failed is the create; the look-up only failed to settle it.
            throw new Error(`${failure.message}; looking for ${o.what} afterwards failed too (${e instanceof Error ? e.message : String(e)}), so it may or may not exist: run \`pulumi refresh\`, then \`pulumi up\` again`);
        }
        if (found.length === 1) return { object: await settle(o, found[0], failure), how: "created" };
        if (found.length > 1)
            throw new Error(`${failure.message}; Fleio may have created ${o.what} more than once (ids ${found.map((x) => x.id).join(", ")}): delete the extras in Fleio, then ${o.adoptHint(found[0])}`);
        // Nothing landed: sending again cannot duplicate it.
        if (attempt >= retries) throw failure;
    }
}
