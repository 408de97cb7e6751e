import type { ProviderContext } from "../context";
import { FleioApiError } from "../client/errors";

/**
 * Sends a create exactly once in effect. A POST is never retried blindly (the client
 * refuses to); when its answer was lost, this looks for the object by natural key
 * and uses it, and only sends again when it is certain the first one did not land.
 */
export async function createOnce<T extends { id: number | string }>(
    _ctx: ProviderContext,
    opts: {
        what: string;
        send: () => Promise<string>;
        findExisting: () => Promise<T[]>;
        matches: (o: T) => boolean;
        /** When the natural key is not unique: note what matched before, to tell ours apart. */
        snapshotFirst: boolean;
    },
): Promise<string> {
    const before = opts.snapshotFirst ? new Set((await opts.findExisting()).filter(opts.matches).map((o) => String(o.id))) : new Set<string>();
    try {
        return await opts.send();
    } catch (e) {
        if (!(e instanceof FleioApiError) || !e.maybeApplied) throw e;
        const found = (await opts.findExisting()).filter(opts.matches).map((o) => String(o.id)).filter((id) => !before.has(id));
        if (found.length === 1) return found[0];
        if (found.length > 1)
            throw new Error(`${e.message}. Fleio may have created ${opts.what} more than once (ids ${found.join(", ")}); delete the extras in Fleio, then adopt the one to keep`);
        // Nothing landed: sending again cannot duplicate it.
        return opts.send();
    }
}
