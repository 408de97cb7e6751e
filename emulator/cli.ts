#!/usr/bin/env node
/**
 * Runs the Fleio API emulator in the foreground:
 *
 *   node dist/emulator/cli.js [--port 8787] [--data .emulator-data/fleio.json] [--seed 1] [--log]
 *
 * It prints the URL and the staff token (the emulator's own seed token), and stops
 * cleanly on SIGINT/SIGTERM.
 */
import { Command, InvalidArgumentError } from "commander";
import { FaultConfig } from "./faults";
import { DEFAULT_SETUP, Setup, SETUPS } from "./seed";
import { startEmulator } from "./index";

const int = (name: string) => (v: string) => {
    if (!/^\d+$/.test(v)) throw new InvalidArgumentError(`${name} must be a non-negative integer`);
    return Number(v);
};
const rate = (name: string) => (v: string) => {
    const n = Number(v);
    if (!Number.isFinite(n) || n < 0 || n > 1) throw new InvalidArgumentError(`${name} must be a number from 0 to 1`);
    return n;
};

interface CliOptions {
    port: number;
    data: string;
    memory?: boolean;
    staffToken?: string;
    seed?: number;
    deleteDelayMs?: number;
    latencyMs?: number;
    rate429?: number;
    rate5xx?: number;
    rateDrop?: number;
    retryAfter?: number;
    log?: boolean;
    setup: Setup;
    resellerFeature: boolean;
}

const setupName = (v: string): Setup => {
    if (!(SETUPS as readonly string[]).includes(v)) throw new InvalidArgumentError(`--setup must be one of ${SETUPS.join(", ")}`);
    return v as Setup;
};

async function main(): Promise<void> {
    const o = new Command()
        .name("fleio-emulator")
        .description("A Fleio API emulator (staff, reseller and end-user APIs) on 127.0.0.1")
        .option("--port <n>", "port to listen on (0 = any free port)", int("--port"), 8787)
        .option("--data <file>", "JSON data file, loaded at start and written after every change", ".emulator-data/fleio.json")
        .option("--memory", "keep data in memory only (ignore --data)")
        .option("--staff-token <hex40>", "staff API token (default: the documented seed token, or the one in the data file)")
        .option("--seed <n>", "seed for client ids and random faults", int("--seed"))
        .option("--delete-delay-ms <n>", "how long a deleted client stays in status 'deleting'", int("--delete-delay-ms"))
        .option("--latency-ms <n>", "extra latency on every API request", int("--latency-ms"))
        .option("--rate-429 <r>", "share of API requests answered 429 (0..1)", rate("--rate-429"))
        .option("--rate-5xx <r>", "share of API requests answered 500/502/503 (0..1)", rate("--rate-5xx"))
        .option("--rate-drop <r>", "share of API requests whose connection is dropped (0..1)", rate("--rate-drop"))
        .option("--retry-after <s>", "Retry-After seconds on 429s", int("--retry-after"))
        .option("--log", "log requests to stderr (tokens are never logged)")
        .option("--setup <name>", `what a new data file starts from: factory (a fresh Fleio) or demo (plus a Reseller product, USD/GBP/RON)`, setupName, DEFAULT_SETUP)
        .option("--no-reseller-feature", "answer as a Fleio released after the reseller feature was removed (after 2022): no reseller API or actions, no reseller product")
        .parse()
        .opts<CliOptions>();

    const faults: FaultConfig = {};
    if (o.latencyMs !== undefined) faults.latencyMs = o.latencyMs;
    if (o.rate429 !== undefined) faults.rate429 = o.rate429;
    if (o.rate5xx !== undefined) faults.rate5xx = o.rate5xx;
    if (o.rateDrop !== undefined) faults.rateDrop = o.rateDrop;
    if (o.retryAfter !== undefined) faults.retryAfterSeconds = o.retryAfter;

    const em = await startEmulator({
        port: o.port,
        dataFile: o.memory ? undefined : o.data,
        staffToken: o.staffToken,
        seed: o.seed,
        deleteDelayMs: o.deleteDelayMs,
        faults,
        log: o.log === true,
        setup: o.setup,
        resellerFeature: o.resellerFeature,
        adminToken: process.env.FLEIO_EMULATOR_ADMIN_TOKEN || undefined,
    });
    console.log(`Fleio API emulator listening on ${em.url}`);
    console.log(`  staff API:    ${em.url}/backend/staffapi`);
    console.log(`  reseller API: ${em.url}/backend/resellerapi`);
    console.log(`  admin:        ${em.url}/__emulator/stats`);
    console.log(`  data:         ${o.memory ? "in memory" : o.data}`);
    console.log(`  setup:        ${o.setup}${o.resellerFeature ? "" : ", without the reseller feature"}`);
    console.log(`  staff token:  ${em.staffToken}`);

    let stopping = false;
    const stop = (signal: string) => {
        if (stopping) return;
        stopping = true;
        console.log(`\n${signal}: stopping`);
        em.close().then(
            () => process.exit(0),
            (e) => {
                console.error(e);
                process.exit(1);
            },
        );
    };
    process.on("SIGINT", () => stop("SIGINT"));
    process.on("SIGTERM", () => stop("SIGTERM"));
}

main().catch((e) => {
    console.error(e instanceof Error ? e.message : e);
    process.exit(1);
});
