/**
 * The fleet runner's command line:
 *
 *   npm run fleet -- up|preview|destroy --data examples/gitops/resellers \
 *       --backend file://$PWD/.state/fleet --shards 4 --parallel 2 --budget 8 --fleio-url https://billing.example.com
 *
 * The token comes from FLEIO_TOKEN (never a flag: command lines are visible to every
 * user of the machine) and is stored in each stack as a secret, encrypted with
 * PULUMI_CONFIG_PASSPHRASE. For an S3 backend, the usual AWS_* variables apply.
 */
import * as path from "node:path";
import { Command } from "commander";
import { formatReport, runFleet, FleetOperation } from "../fleet";
import { repoRoot } from "./engine";

async function main(): Promise<void> {
    const program = new Command()
        .argument("<operation>", "preview, up or destroy")
        .requiredOption("--data <dir>", "folder of reseller files, one per reseller")
        .requiredOption("--backend <url>", "Pulumi state backend: file://<dir> or s3://<bucket>?endpoint=…&s3ForcePathStyle=true&region=…")
        .option("--shards <n>", "stacks the resellers are spread over", "4")
        .option("--parallel <n>", "stacks running at once", "2")
        .option("--budget <n>", "Fleio requests in flight across the fleet", "8")
        .option("--fleio-url <url>", "Fleio URL (default FLEIO_URL)")
        .option("--api-scope <scope>", "staff or reseller", "staff")
        .option("--project <name>", "Pulumi project name of the fleet's stacks", "fleio-fleet")
        .option("--work-dir <dir>", "project directories (inside a tree with node_modules)", path.join(repoRoot, ".state", "fleet", "projects"))
        .parse();
    const [operation] = program.args;
    const o = program.opts<{ data: string; backend: string; shards: string; parallel: string; budget: string; fleioUrl?: string; apiScope: string; project: string; workDir: string }>();
    if (!["preview", "up", "destroy"].includes(operation)) throw new Error(`operation must be preview, up or destroy (got "${operation}")`);
    const fleioUrl = o.fleioUrl ?? process.env.FLEIO_URL;
    if (!fleioUrl) throw new Error("--fleio-url is not set: pass --fleio-url https://billing.example.com or set FLEIO_URL");
    const fleioToken = process.env.FLEIO_TOKEN;
    if (!fleioToken) throw new Error("FLEIO_TOKEN is not set: export FLEIO_TOKEN=<token> (it is stored in each stack as a secret)");
    const passphrase = process.env.PULUMI_CONFIG_PASSPHRASE;
    if (!passphrase) throw new Error("PULUMI_CONFIG_PASSPHRASE is not set: it encrypts the token in each stack's config; use the same one for every run");
    if (o.apiScope !== "staff" && o.apiScope !== "reseller") throw new Error(`--api-scope must be staff or reseller (got "${o.apiScope}")`);
    const report = await runFleet({
        operation: operation as FleetOperation,
        dataDir: path.resolve(o.data),
        backendUrl: o.backend,
        shards: Number(o.shards),
        parallel: Number(o.parallel),
        budget: Number(o.budget),
        fleioUrl,
        fleioToken,
        apiScope: o.apiScope,
        passphrase,
        projectName: o.project,
        workDir: path.resolve(o.workDir),
        env: pick(process.env, ["AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_REGION", "AWS_PROFILE"]),
        onEvent: (e) => console.error(`[fleet] ${e.stack} ${e.event}${e.detail ? `: ${e.detail}` : ""}`),
    });
    console.log(formatReport(report));
    process.exitCode = report.ok ? 0 : 1;
}

function pick(env: NodeJS.ProcessEnv, keys: string[]): Record<string, string> {
    return Object.fromEntries(keys.filter((k) => env[k]).map((k) => [k, env[k]!]));
}

main().catch((e) => {
    console.error(e instanceof Error ? e.message : e);
    process.exitCode = 1;
});
