import * as path from "node:path";
import { Command, Option } from "commander";
import { discover, DiscoverUsageError, formatDiscoverReport, STAFF_PLANS, StaffPlans } from "../discover";
import { CliError } from "./errors";

interface DiscoverFlags {
    out: string;
    url?: string;
    apiScope: "staff" | "reseller";
    insecureSkipVerify?: boolean;
    json?: boolean;
    importFile?: string;
    staffPlans: StaffPlans;
}

/** `pulumi-fleio discover --out <folder>`: a data file per reseller a live Fleio has. Exit 0 done, 1 failed, 2 usage. */
export function discoverCommand(parent: Command, done: (code: number) => void): Command {
    return parent
        .command("discover")
        .description(
            "Reads a live Fleio (GET requests only) and writes one data file per reseller (docs/gitops-format.md) into --out,\n" +
                "and the plans several resellers share (the plan catalog) into <out>/plans/,\n" +
                "every object with the adopt id of the Fleio object it describes, so `fleet up` over the folder takes them over unchanged.\n" +
                "What the format cannot describe is listed in <out>/discover-report.md with why. The token comes from FLEIO_TOKEN.\n" +
                "Exit code 0: files written; 1: Fleio could not be read, or has no reseller feature (nothing written); 2: usage error.",
        )
        .requiredOption("--out <folder>", "folder for the data files (made when missing; files of an earlier discover are updated)")
        .option("--url <url>", "the Fleio site, e.g. https://billing.example.com (default FLEIO_URL)")
        .addOption(new Option("--api-scope <scope>", "which API the token is for (discover needs staff)").choices(["staff", "reseller"]).default("staff"))
        .option("--insecure-skip-verify", "accept an untrusted TLS certificate (a test Fleio only)")
        .option("--import-file <file>", "also write Pulumi's bulk import file for `pulumi import --file` (native plugin): every object of the data files by its Fleio id")
        .addOption(
            new Option("--staff-plans <which>", "staff plans that price no reseller, described in the catalog too: none, default (the staff default plan) or all (plans resellers are on always are)")
                .choices([...STAFF_PLANS])
                .default("none"),
        )
        .option("--json", "print the summary as one JSON document (progress still goes to stderr)")
        .action(async (o: DiscoverFlags) => {
            const outDir = path.resolve(o.out);
            try {
                const report = await discover({
                    outDir,
                    url: o.url,
                    apiScope: o.apiScope,
                    insecureSkipVerify: o.insecureSkipVerify,
                    importFile: o.importFile === undefined ? undefined : path.resolve(o.importFile),
                    staffPlans: o.staffPlans,
                    onProgress: (e) => console.error(`[discover] ${e.detail}`),
                });
                console.log(o.json ? JSON.stringify({ outDir, ...report }, null, 2) : formatDiscoverReport(report, o.out));
                done(0);
            } catch (e) {
                if (e instanceof DiscoverUsageError) throw new CliError(`discover: ${e.message}`, 2);
                throw new CliError(`discover: ${e instanceof Error ? e.message : String(e)}`);
            }
        });
}
