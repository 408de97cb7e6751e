import { Command, Option } from "commander";
import { formatJson, formatLine } from "../contract/report";
import { runContract, UsageError } from "../contract/run";
import { CliError } from "./errors";

interface ContractFlags {
    url?: string;
    write?: boolean;
    apiScope: "staff" | "reseller";
    insecureSkipVerify?: boolean;
    prefix?: string;
    json?: boolean;
}

/** `pulumi-fleio contract`: is this Fleio one pulumi-fleio can manage? Exit 0 fits, 1 does not, 2 usage error. */
export function contractCommand(parent: Command, done: (code: number) => void): Command {
    return parent
        .command("contract")
        .description(
            "Checks whether a Fleio fits pulumi-fleio, before the first `pulumi up`. Read-only by default (GET requests only).\n" +
                "The token comes from the environment variable FLEIO_TOKEN and is never printed.\n" +
                "Exit code 0: this Fleio fits; 1: it does not; 2: usage error.",
        )
        .option("--url <url>", "the Fleio site, e.g. https://billing.example.com (default FLEIO_URL)")
        .option("--write", "also run a create → read → update → delete round of every resource, in a throw-away naming space")
        .addOption(new Option("--api-scope <scope>", "which API the token is for").choices(["staff", "reseller"]).default("staff"))
        .option("--insecure-skip-verify", "accept an untrusted TLS certificate (a test Fleio only)")
        .option("--prefix <name>", "naming space of the --write round (default pf-contract-<random 6>)")
        .option("--json", "print one JSON document instead of lines")
        .action(async (opts: ContractFlags) => {
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
                done(report.exitCode);
            } catch (e) {
                if (e instanceof UsageError) throw new CliError(`contract: ${e.message}`, 2);
                throw e;
            }
        });
}
