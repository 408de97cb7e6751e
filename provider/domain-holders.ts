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
 * written back; fleet/unique.ts checks that no two of its resellers share a domain.
 *
 * The file may serve a whole pipeline run (`fleet --domain-holders`: the matrix's jobs
 * share one scan instead of each reading every reseller). That is safe because every
 * job applies the same checked data: a domain the scan misses was set by another job
 * of the run, to a reseller of the same data, which cannot also be this job's. A domain
 * set outside the fleet after the scan is missed for the rest of the run, as it is in
 * one stack that scans once; a scan older than {@link SCAN_MAX_AGE_MS} is not used.
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

/** How long a scan serves (a pipeline run's jobs start within minutes of each other). */
export const SCAN_MAX_AGE_MS = 60 * 60 * 1000;

const holderFile = z.strictObject({
    /** The Fleio the scan read: a scan of another Fleio is never used. */
    siteUrl: z.string(),
    /** When the scan started (ms since the epoch). */
    scannedAt: z.number(),
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
        const scannedAt = Date.now();
        const scanned = await scan();
        write(file, siteUrl, scanned, scannedAt);
        return scanned;
    } finally {
        await release();
    }
}

/**
 * Scans now and leaves the scan in `file` for the stacks of a pipeline run (the CLI's
 * `fleet scan-domains`: one job scans, the matrix's jobs get the file as an artifact).
 */
export async function scanToFile(file: string, siteUrl: string, scan: () => Promise<DomainHolders>): Promise<number> {
    const scannedAt = Date.now();
    const holders = await scan();
    write(file, siteUrl, holders, scannedAt);
    return holders.size;
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

/** A scan left in the file, if it is one of this Fleio and recent; only a cache, so anything unreadable means scanning again. */
function read(file: string, siteUrl: string): DomainHolders | undefined {
    let data: unknown;
    try {
        data = JSON.parse(fs.readFileSync(file, "utf8"));
    } catch {
        return undefined;
    }
    const parsed = holderFile.safeParse(data);
    if (!parsed.success || parsed.data.siteUrl !== siteUrl || !(Date.now() - parsed.data.scannedAt < SCAN_MAX_AGE_MS)) return undefined;
    return new Map(Object.entries(parsed.data.holders));
}

/** Readable by this user only: it lists customers' domains. */
function write(file: string, siteUrl: string, holders: DomainHolders, scannedAt: number): void {
    const body: z.infer<typeof holderFile> = { siteUrl, scannedAt, holders: Object.fromEntries(holders) };
    fs.writeFileSync(file, JSON.stringify(body), { mode: 0o600 });
}
