import * as fs from "node:fs";
import * as path from "node:path";
import { Command, Option } from "commander";
import { formatReport, runFleet, FleetOperation, FleetReport } from "../fleet";
import { withoutCommandLine } from "../fleet/errors";
import { CliError, fromEnv, positiveInt, usage } from "./errors";
import { settingsFromFlags } from "../provider/flag-settings";
import { contextFor } from "../provider/context";
import { scanToFile } from "../provider/domain-holders";
import { scanDomainHolders } from "../provider/resources/frontend-domain";

interface FleetFlags {
    data: string;
    backend: string;
    shards?: string;
    shard: string[];
    parallel: string;
    budget: string;
    fleioUrl?: string;
    url?: string;
    apiScope: "staff" | "reseller";
    project: string;
    workDir: string;
    pulumi?: string;
    json?: boolean;
    skipCheckpoints?: boolean;
    provider?: "dynamic" | "native";
    releaseLock?: boolean;
    domainHolders?: string;
}

/**
 * `pulumi-fleio fleet preview|up|destroy`: a folder of GitOps reseller files over
 * several stacks under one Fleio request budget. The token comes from FLEIO_TOKEN (never
 * a flag: command lines are visible to every user of the machine) and is stored in each
 * stack as a secret, encrypted with PULUMI_CONFIG_PASSPHRASE. For an S3 backend, the
 * usual AWS_* variables apply. Exit 0: every stack succeeded; 1: one failed; 2: usage.
 */
export function fleetCommand(parent: Command, done: (code: number) => void): Command {
    const fleet = parent
        .command("fleet")
        .description(
            "Runs preview, up or destroy over a folder of reseller files (docs/gitops-format.md), spread over several stacks;\n" +
                "`fleet summary` merges the --json reports of several runs (one CI job per shard).",
        );
    const about: Record<FleetOperation, string> = { preview: "previews every stack", up: "applies every stack", destroy: "destroys every stack" };
    for (const operation of ["preview", "up", "destroy"] as const) {
        fleet
            .command(operation)
            .summary(about[operation])
            .description(
                `${about[operation]} of the fleet.\n` +
                    "Credentials: FLEIO_URL (or --fleio-url) and FLEIO_TOKEN; PULUMI_CONFIG_PASSPHRASE encrypts the token in each stack.\n" +
                    "Exit code 0: every stack succeeded; 1: a stack failed; 2: usage error.",
            )
            .requiredOption("--data <dir>", "folder of reseller files, one per reseller (YAML or JSON)")
            .requiredOption("--backend <url>", "Pulumi state backend: file://<dir> or s3://<bucket>?endpoint=…&s3ForcePathStyle=true&region=…")
            .option("--shards <n>", "stacks the resellers are spread over (default: enough stacks of the size the measured stack-size curve recommends)")
            .addOption(
                new Option("--shard <name>", "run only this shard's stack (repeatable), e.g. one CI job per shard; `catalog` is the plan catalog's stack")
                    .argParser((v: string, all: string[]) => [...all, v])
                    .default([] as string[], "every shard"),
            )
            .option("--parallel <n>", "stacks running at once", "2")
            .option("--budget <n>", "Fleio requests in flight across the fleet (or across this run's shards)", "8")
            .option("--fleio-url <url>", "Fleio URL (default FLEIO_URL)")
            .addOption(new Option("--url <url>", "the same as --fleio-url").hideHelp())
            .addOption(new Option("--api-scope <scope>", "which API the token is for").choices(["staff", "reseller"]).default("staff"))
            .option("--project <name>", "Pulumi project name of the fleet's stacks", "fleio-fleet")
            .option("--work-dir <dir>", "project directories, inside a folder whose node_modules has pulumi-fleio", path.join(".pulumi-fleio", "fleet"))
            .option("--pulumi <path>", "the pulumi CLI binary (default: pulumi on PATH)")
            .option("--domain-holders <file>", "one scan of who holds which domain for the whole pipeline run, shared by its jobs (the first that needs it scans Fleio and writes it; used for an hour)")
            .option("--json", "print the summary as one JSON document (progress still goes to stderr)")
            .addOption(new Option("--provider <provider>", "what serves the resources: the dynamic provider or the native plugin (default: the data folder's .fleio-fleet `provider:`, else dynamic)").choices(["dynamic", "native"]))
            .option("--release-lock", "a lock on this run's stacks is the one of a run that has ended (e.g. a killed job on another runner): release it")
            .option("--skip-checkpoints", "up: write each stack's state once at its end (PULUMI_SKIP_CHECKPOINTS; default: PULUMI_FLEIO_SKIP_CHECKPOINTS=true)")
            .action((o: FleetFlags) => runOperation(operation, o, done));
    }
    fleet
        .command("scan-domains")
        .summary("scans once who holds which end-user panel domain, for a pipeline run's jobs")
        .description(
            "Reads every reseller's end-user panel URL from Fleio once and writes the scan to --out, for the jobs of one pipeline run\n" +
                "(`fleet up … --domain-holders <file>`): on separate runners, hand the file to the matrix's jobs as an artifact. The scan serves for an hour.\n" +
                "Credentials: FLEIO_URL (or --fleio-url) and FLEIO_TOKEN. The file lists customers' domains: it is written readable by this user only.",
        )
        .requiredOption("--out <file>", "where to write the scan")
        .option("--fleio-url <url>", "Fleio URL (default FLEIO_URL)")
        .addOption(new Option("--api-scope <scope>", "which API the token is for").choices(["staff", "reseller"]).default("staff"))
        .action(async (o: { out: string; fleioUrl?: string; apiScope: string }) => {
            const settings = settingsFromFlags({ url: o.fleioUrl, apiScope: o.apiScope }, process.env, (m) => usage(`fleet scan-domains: ${m.replace("--url", "--fleio-url")}`));
            const ctx = contextFor(settings);
            try {
                const held = await scanToFile(path.resolve(o.out), settings.siteUrl, () => scanDomainHolders(ctx));
                console.error(`[fleet] ${held} end-user panel domains held in Fleio, written to ${o.out}`);
                done(0);
            } catch (e) {
                throw new CliError(`fleet scan-domains: ${redact(e instanceof Error ? e.message : String(e), settings.token)}`);
            }
        });
    fleet
        .command("summary")
        .summary("merges the --json reports of several runs")
        .description("Merges the `--json` reports of several fleet runs (e.g. one per CI job) into one summary.\nExit code 0: every stack of every report succeeded; 1: one failed or a report is missing or unreadable.")
        .argument("<reports...>", "JSON files written by `fleet … --json`, listed by name (a glob would leave out the report of a job that wrote none)")
        .option("--json", "print the merged report as one JSON document")
        .action((files: string[], o: { json?: boolean }) => {
            const read = files.map((f) => ({ file: f, ...readReport(f) }));
            const bad = read.filter((r) => r.problem);
            if (bad.length) throw new CliError(`fleet summary: ${bad.length} of ${files.length} reports cannot be used: ${bad.map((r) => `${r.file}: ${r.problem}`).join("; ")}`);
            const merged = mergeReports(read.map((r) => r.report!));
            console.log(o.json ? JSON.stringify(merged, null, 2) : formatReport(merged));
            done(merged.ok ? 0 : 1);
        });
    return fleet;
}

/**
 * One report file, or what is wrong with it. A report is what `fleet … --json` prints;
 * anything else (JSON null, another document, a cut-off file) would otherwise merge into
 * a summary that says less than it seems to.
 */
export function readReport(file: string): { report?: FleetReport; problem?: string } {
    let text: string;
    try {
        text = fs.readFileSync(file, "utf8");
    } catch (e) {
        const code = (e as NodeJS.ErrnoException).code;
        return { problem: code === "ENOENT" ? "missing (did that job run and write its report?)" : `unreadable (${code ?? (e as Error).message})` };
    }
    let doc: unknown;
    try {
        doc = JSON.parse(text);
    } catch (e) {
        return { problem: `not JSON (${(e as Error).message.split("\n")[0]})${text.trim() ? "" : ": the file is empty"}` };
    }
    const r = doc as Partial<FleetReport> | null;
    const shape =
        r !== null && typeof r === "object" && !Array.isArray(r) &&
        ["preview", "up", "destroy"].includes(r.operation as string) &&
        typeof r.ok === "boolean" &&
        Array.isArray(r.stacks) &&
        r.stacks.every((s) => s !== null && typeof s === "object" && typeof s.stack === "string" && s.changes !== null && typeof s.changes === "object");
    if (!shape) return { problem: `not a fleet report (expected the JSON that \`fleet preview|up|destroy --json\` prints, found ${r === null ? "null" : Array.isArray(r) ? "an array" : typeof r === "object" ? `an object with ${Object.keys(r).slice(0, 5).join(", ") || "no keys"}` : typeof r})` };
    return { report: r as FleetReport };
}

/** Several runs' reports as one: every stack, the slowest run's time, ok only if all were. */
export function mergeReports(reports: FleetReport[]): FleetReport {
    if (!reports.length) throw new CliError("fleet summary: no report given");
    const ops = new Set(reports.map((r) => r.operation));
    if (ops.size > 1) throw new CliError(`fleet summary: the reports are of different operations (${[...ops].join(", ")})`);
    return {
        operation: reports[0].operation,
        stacks: reports.flatMap((r) => r.stacks).sort((a, b) => a.stack.localeCompare(b.stack)),
        parallel: reports.reduce((n, r) => n + r.parallel, 0),
        perStackConcurrency: Math.max(...reports.map((r) => r.perStackConcurrency)),
        seconds: Math.max(...reports.map((r) => r.seconds)),
        ok: reports.every((r) => r.ok && r.stacks.every((s) => !s.error)),
        // Reports written before moves and waits existed have neither.
        moves: [...new Set(reports.flatMap((r) => r.moves ?? []))],
        waits: [...new Set(reports.flatMap((r) => r.waits ?? []))],
        warnings: [...new Set(reports.flatMap((r) => r.warnings ?? []))],
    };
}

async function runOperation(operation: FleetOperation, o: FleetFlags, done: (code: number) => void): Promise<void> {
    const fleioUrl = o.fleioUrl ?? o.url ?? process.env.FLEIO_URL;
    if (!fleioUrl) throw usage("the Fleio URL is not set: pass --fleio-url https://billing.example.com or set FLEIO_URL");
    const fleioToken = fromEnv("FLEIO_TOKEN", "export FLEIO_TOKEN=<token> (it is stored in each stack as a secret)");
    const passphrase = fromEnv("PULUMI_CONFIG_PASSPHRASE", "it encrypts the token in each stack's config; use the same one for every run");
    const shards = o.shards === undefined ? undefined : positiveInt("--shards", o.shards);
    const parallel = positiveInt("--parallel", o.parallel);
    const budget = positiveInt("--budget", o.budget);
    let report;
    try {
        report = await runFleet({
            operation,
            dataDir: path.resolve(o.data),
            backendUrl: o.backend,
            shards,
            only: o.shard,
            parallel,
            budget,
            fleioUrl,
            fleioToken,
            apiScope: o.apiScope,
            passphrase,
            projectName: o.project,
            workDir: path.resolve(o.workDir),
            pulumi: o.pulumi,
            provider: o.provider,
            releaseLock: o.releaseLock,
            skipCheckpoints: o.skipCheckpoints ?? process.env.PULUMI_FLEIO_SKIP_CHECKPOINTS === "true",
            domainHolders: o.domainHolders,
            env: pick(process.env, ["AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_REGION", "AWS_PROFILE"]),
            onEvent: (e) => console.error(`[fleet] ${e.stack} ${e.event}${e.detail ? `: ${e.detail}` : ""}`),
        });
    } catch (e) {
        // Before any stack runs: a bad data file, a clash across files, no pulumi CLI, an unknown shard.
        // Never the CLI's path or command line: only what went wrong.
        throw new CliError(`fleet: ${redact(withoutCommandLine(e instanceof Error ? e.message : String(e)), fleioToken)}`);
    }
    console.log(o.json ? JSON.stringify(report, null, 2) : formatReport(report));
    done(report.ok ? 0 : 1);
}

/** The token never reaches the terminal, even inside an error from deep inside. */
const redact = (text: string, token: string) => (token.length >= 8 ? text.split(token).join("[redacted]") : text);

function pick(env: NodeJS.ProcessEnv, keys: string[]): Record<string, string> {
    return Object.fromEntries(keys.filter((k) => env[k]).map((k) => [k, env[k]!]));
}
