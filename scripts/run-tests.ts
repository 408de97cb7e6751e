/**
 * The project's one test command (`npm test`): runs the compiled mocha suites and
 * ends with the line CI reads, `tests: N passed, N failed`.
 *
 *   node dist/scripts/run-tests.js [--only unit|emulator|integration] [--grep text]
 *
 * Integration tests need the pulumi CLI: it is located (or built once, then cached)
 * by scripts/get-pulumi.sh before they start; the fleet's S3 tests need SeaweedFS,
 * built and cached the same way by scripts/get-seaweedfs.sh.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import Mocha from "mocha";
import { Command } from "commander";
import { ensurePulumiCli, ensurePulumiYaml } from "./pulumi-cli";
import { ensureWeed } from "./seaweedfs";

const root = path.resolve(__dirname, "../..");
const SUITES = ["unit", "emulator", "integration"] as const;
type Suite = (typeof SUITES)[number];

function testFiles(suite: Suite): string[] {
    const dir = path.join(root, "dist", "tests", suite);
    if (!fs.existsSync(dir)) return [];
    return (fs.readdirSync(dir, { recursive: true }) as string[])
        .filter((f) => f.endsWith(".test.js"))
        .sort()
        .map((f) => path.join(dir, f));
}

async function main(): Promise<void> {
    const opts = new Command()
        .option("--only <suites>", "comma-separated: unit, emulator, integration")
        .option("--grep <text>", "only tests whose title contains this")
        .parse()
        .opts<{ only?: string; grep?: string }>();
    const suites = (opts.only ? opts.only.split(",") : [...SUITES]) as Suite[];
    for (const s of suites) if (!SUITES.includes(s)) throw new Error(`--only: unknown suite "${s}" (use ${SUITES.join(", ")})`);

    if (suites.includes("integration")) process.env.PULUMI_FLEIO_CLI_DIR = ensurePulumiCli();
    // The YAML language host, for the native plugin's YAML programs (examples/yaml).
    if (suites.includes("integration") && (!opts.grep || /yaml|native|import|migrat/i.test(opts.grep))) process.env.PULUMI_FLEIO_YAML_DIR = ensurePulumiYaml();
    // SeaweedFS (the S3 state backend of the fleet tests) is built once like the CLI,
    // before mocha's timeouts start, and only when an S3 test can be selected.
    if (suites.includes("integration") && (!opts.grep || /s3|seaweed|fleet/i.test(opts.grep))) process.env.PULUMI_FLEIO_WEED = ensureWeed();

    const mocha = new Mocha({ reporter: "spec", timeout: 20_000, grep: opts.grep });
    for (const s of suites) for (const f of testFiles(s)) mocha.addFile(f);

    let passed = 0;
    let failed = 0;
    await new Promise<void>((resolve) => {
        const runner = mocha.run(() => resolve());
        runner.on("pass", () => passed++);
        runner.on("fail", () => failed++);
    });
    if (passed + failed === 0) failed = 1; // no test ran: that is not a pass.
    console.log(`tests: ${passed} passed, ${failed} failed`);
    process.exitCode = failed > 0 ? 1 : 0;
}

main().catch((e) => {
    console.error(e instanceof Error ? e.message : e);
    console.log("tests: 0 passed, 1 failed");
    process.exitCode = 1;
});
