import { randomBytes } from "node:crypto";
import { FleioClient } from "../provider/client/http";
import { redact } from "../provider/client/redact";
import { settingsFromFlags } from "../provider/flag-settings";
import type { Check } from "./checks/check";
import { clients } from "./checks/clients";
import { configurations } from "./checks/configurations";
import { connection } from "./checks/connection";
import { createOptions } from "./checks/create-options";
import { filtering } from "./checks/filtering";
import { lists } from "./checks/lists";
import { pricing } from "./checks/pricing";
import { products } from "./checks/products";
import { search } from "./checks/search";
import { Probe } from "./probe";
import { CheckResult, ContractReport, summarise } from "./report";
import { writeRound } from "./write/round";

export interface ContractOptions {
    /** The Fleio site, e.g. https://billing.example.com (an API URL is accepted too); default FLEIO_URL from `env`. */
    url?: string;
    /** Default: FLEIO_TOKEN from `env`. */
    token?: string;
    apiScope?: "staff" | "reseller";
    insecureSkipVerify?: boolean;
    /** Also run the create → read → update → delete round. */
    write?: boolean;
    /** Naming space of the write round; default pf-contract-<6 random>. */
    prefix?: string;
    /** Aborting stops the --write round before its next resource; what it created is still deleted. */
    signal?: AbortSignal;
    /** Called with each result as it is recorded (the CLI prints as it goes). */
    onResult?: (r: CheckResult) => void;
    env?: NodeJS.ProcessEnv;
}

/** The read-only checks, in the order they run; later ones use what earlier ones learned. */
export const READ_CHECKS: Check[] = [connection, lists, createOptions, products, clients, pricing, configurations, filtering, search];

/** Letters, digits and inner hyphens; short enough for a configuration name (24) and a DNS label. */
export const PREFIX = /^[a-z0-9](?:[a-z0-9-]{1,18}[a-z0-9])$/;

export const randomPrefix = (): string => `pf-contract-${randomBytes(3).toString("hex")}`;

/**
 * Runs the contract suite against one Fleio. Settings go through the provider's own
 * resolveSettings and requests through its FleioClient, so the token is handled and
 * redacted exactly as in a `pulumi up`. Throws only on bad options (a usage error).
 */
export async function runContract(options: ContractOptions): Promise<ContractReport> {
    const env = options.env ?? process.env;
    const prefix = options.prefix ?? randomPrefix();
    if (!PREFIX.test(prefix)) throw new UsageError(`--prefix must be 3-20 lowercase letters, digits and inner hyphens (it becomes part of names and a domain), got ${JSON.stringify(prefix)}`);
    const settings = settingsFromFlags(options, env, (m) => new UsageError(m));
    const probe = new Probe(new FleioClient(settings), settings, options.onResult);

    for (const check of READ_CHECKS) {
        if (check.staffOnly && settings.apiScope !== "staff") {
            probe.info(check.name, "staff API only; not checked with --api-scope reseller");
            continue;
        }
        let outcome: void | "stop" = undefined;
        try {
            outcome = await check.run(probe);
        } catch (e) {
            probe.fail(check.name, redact(e instanceof Error ? e.message : String(e)));
        }
        if (outcome === "stop") return summarise(probe.results);
    }
    if (options.write) {
        try {
            // The provider's own context reads the same settings, already resolved (so a token
            // from options.env reaches it too).
            const resolved: Record<string, string> = {
                "fleio:url": settings.siteUrl,
                "fleio:token": settings.token,
                "fleio:apiScope": settings.apiScope,
                "fleio:insecureSkipVerify": String(settings.insecureSkipVerify),
                "fleio:maxConcurrency": String(settings.maxConcurrency),
                "fleio:timeoutSeconds": String(settings.timeoutMs / 1000),
                "fleio:maxRetries": String(settings.retries),
                "fleio:deleteTimeoutSeconds": String(settings.deleteTimeoutMs / 1000),
            };
            await writeRound(probe, prefix, (key) => resolved[key], options.signal);
        } catch (e) {
            probe.fail("write", redact(e instanceof Error ? e.message : String(e)));
        }
    }
    return summarise(probe.results);
}

/** Bad options: the CLI answers these with exit code 2. */
export class UsageError extends Error {}
