#!/usr/bin/env node
/**
 * Checks a Fleio before the first `pulumi up`:
 *
 *   FLEIO_TOKEN=… npm run contract -- --url https://billing.example.com [--write]
 *
 * Exit code 0: this Fleio fits pulumi-fleio; 1: it does not; 2: usage error.
 */
import { Command, CommanderError, Option } from "commander";
import { formatJson, formatLine } from "./report";
import { runContract, UsageError } from "./run";

interface CliOptions {
    url: string;
    write?: boolean;
    apiScope: "staff" | "reseller";
    insecureSkipVerify?: boolean;
    prefix?: string;
    json?: boolean;
}

function parse(argv: string[]): CliOptions {
    return new Command("contract")
        .description(
            "Checks whether a Fleio fits pulumi-fleio, before the first `pulumi up`. Read-only by default (GET requests only).\n" +
                "The token comes from the environment variable FLEIO_TOKEN and is never printed.",
        )
        .requiredOption("--url <url>", "the Fleio site, e.g. https://billing.example.com")
        .option("--write", "also run a create → read → update → delete round of every resource, in a throw-away naming space")
        .addOption(new Option("--api-scope <scope>", "which API the token is for").choices(["staff", "reseller"]).default("staff"))
        .option("--insecure-skip-verify", "accept an untrusted TLS certificate (a test Fleio only)")
        .option("--prefix <name>", "naming space of the --write round (default pf-contract-<random 6>)")
        .option("--json", "print one JSON document instead of lines")
        .exitOverride()
        .configureOutput({ writeErr: (s) => process.stderr.write(s) })
        .parse(argv)
        .opts<CliOptions>();
}

async function main(): Promise<number> {
    let opts: CliOptions;
    try {
        opts = parse(process.argv);
    } catch (e) {
        if (e instanceof CommanderError) return e.code === "commander.helpDisplayed" || e.code === "commander.help" || e.code === "commander.version" ? 0 : 2;
        throw e;
    }
    const interrupt = new AbortController();
    if (opts.write) {
        // Ctrl-C during --write: finish the step under way, then delete what the round created.
        process.on("SIGINT", () => {
            if (interrupt.signal.aborted) process.exit(130);
            console.error("contract: interrupted; finishing the current step, then deleting what the round created (Ctrl-C again to quit at once and leave them in Fleio)");
            interrupt.abort();
        });
    }
    try {
        const report = await runContract({
            signal: interrupt.signal,
            url: opts.url,
            apiScope: opts.apiScope,
            insecureSkipVerify: opts.insecureSkipVerify === true,
            write: opts.write === true,
            prefix: opts.prefix,
            // Lines go out as the checks answer; a slow Fleio shows progress.
            onResult: opts.json ? undefined : (r) => console.log(formatLine(r)),
        });
        console.log(opts.json ? formatJson(report) : report.verdictLine);
        return report.exitCode;
    } catch (e) {
        if (e instanceof UsageError) {
            console.error(`contract: ${e.message}`);
            return 2;
        }
        throw e;
    }
}

main().then(
    (code) => (process.exitCode = code),
    (e) => {
        console.error(`contract: ${e instanceof Error ? e.message : String(e)}`);
        process.exitCode = 1;
    },
);
