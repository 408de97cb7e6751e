import * as fs from "node:fs";
import * as lockfile from "proper-lockfile";
import { z } from "zod";

/**
 * Which reseller service holds which end-user panel domain, as the FrontendDomain
 * provider scans it (once per run: Fleio has no way to ask who holds one domain, so
 * the scan reads every reseller's services).
 *
 * A fleet runs many stacks of one Fleio at once, and each would scan the same
 * resellers. The fleet runner names a file for its run in {@link DOMAIN_HOLDERS_ENV}:
 * the first stack that needs the holders scans and leaves its scan there, and the
 * other stacks take that instead of scanning again. A stack's own claims are never
 * written back; fleet/run.ts checks that no two of its resellers share a domain.
 */
export type DomainHolders = Map<string, { clientId: string; serviceId: string }>;

/** The environment variable naming the file for one fleet run's scan. */
export const DOMAIN_HOLDERS_ENV = "PULUMI_FLEIO_DOMAIN_HOLDERS";

const LOCK_OPTIONS = {
    realpath: false,
    // A lock whose holder died (killed run) is taken over after `stale`.
    stale: 20_000,
    retries: { retries: 600, minTimeout: 50, maxTimeout: 250 },
};

const holderFile = z.strictObject({
    /** The Fleio the scan read: a scan of another Fleio is never used. */
    siteUrl: z.string(),
    holders: z.record(z.string(), z.strictObject({ clientId: z.string(), serviceId: z.string() })),
});

/**
 * The holders for this run: with a fleet run's file, the scan the first stack that
 * needed it left there (the others wait for it under a lock rather than scan at the
 * same moment); without one, `scan()`.
 */
export async function sharedScan(siteUrl: string, scan: () => Promise<DomainHolders>): Promise<DomainHolders> {
    const file = process.env[DOMAIN_HOLDERS_ENV];
    if (!file) return scan();
    const release = await lockfile.lock(file, LOCK_OPTIONS);
    try {
        const left = read(file, siteUrl);
        if (left) return left;
        const scanned = await scan();
        write(file, siteUrl, scanned);
        return scanned;
    } finally {
        await release();
    }
}

/**
 * Drops a fleet run's scan, so the next stack that needs it scans again: the fleet runner
 * calls it before a stack that takes a domain another stack of the run has let go of.
 * Under the scan's lock, so a scan still being written is not left behind stale.
 */
export async function forgetSharedScan(file: string): Promise<void> {
    const release = await lockfile.lock(file, LOCK_OPTIONS);
    try {
        fs.rmSync(file, { force: true });
    } finally {
        await release();
    }
}

/** A scan left in the file, if it is one of this Fleio; only a cache, so anything unreadable means scanning again. */
function read(file: string, siteUrl: string): DomainHolders | undefined {
    let data: unknown;
    try {
        data = JSON.parse(fs.readFileSync(file, "utf8"));
    } catch {
        return undefined;
    }
    const parsed = holderFile.safeParse(data);
    return parsed.success && parsed.data.siteUrl === siteUrl ? new Map(Object.entries(parsed.data.holders)) : undefined;
}

/** Readable by this user only: it lists customers' domains. */
function write(file: string, siteUrl: string, holders: DomainHolders): void {
    const body: z.infer<typeof holderFile> = { siteUrl, holders: Object.fromEntries(holders) };
    fs.writeFileSync(file, JSON.stringify(body), { mode: 0o600 });
}
