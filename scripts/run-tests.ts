/**
 * The project's one test command (`npm test`): runs the compiled mocha suites and
 * ends with the line CI reads, `tests: N passed, N failed`.
 *
 *   node dist/scripts/run-tests.js [--only unit|emulator|integration] [--grep text] [--jobs N]
 *
 * Engine tests spend most of their time waiting on the pulumi CLI, its provider
 * processes and I/O, so they run side by side: every integration file is a job of its
 * own, and the unit and emulator suites together are one more. `--jobs` worker
 * processes (default: one more than the cores) take the jobs longest first, by the
 * times the last run recorded in .state/test-times.json. Mocha runs the tests of one
 * file in order; files never share on-disk state, because each job gets its own
 * .state/tests/<job>/ (scripts/engine.ts's stateArea). A job's output is buffered and
 * printed whole when it ends, so a failing file reads as it would alone.
 *
 * Integration tests need the pulumi CLI: it is located (or built once, then cached)
 * by scripts/get-pulumi.sh before they start; the fleet's S3 tests need SeaweedFS,
 * built and cached the same way by scripts/get-seaweedfs.sh.
 */
import { fork } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { Command, InvalidArgumentError } from "commander";
import { ensurePulumiCli, ensurePulumiYaml } from "./pulumi-cli";
import { ensureWeed } from "./seaweedfs";
import type { WorkerResult } from "./test-worker";

const root = path.resolve(__dirname, "../..");
const dist = path.join(root, "dist");
const SUITES = ["unit", "emulator", "integration"] as const;
type Suite = (typeof SUITES)[number];
/** Where the last run's time per job is kept, to start the longest jobs first. */
const TIMES = path.join(root, ".state", "test-times.json");
/** Times of a whole run, kept in the repository, for a checkout that has never run the tests (CI). */
const KNOWN_TIMES = path.join(root, "tests", "test-times.json");

/**
 * The compiled files of a suite's *.test.ts sources: a new test file is picked up as it
 * is, and one deleted or renamed leaves no stale copy in dist/ that would still run.
 */
function testFiles(suite: Suite): string[] {
    const dir = path.join(root, "tests", suite);
    if (!fs.existsSync(dir)) return [];
    return (fs.readdirSync(dir, { recursive: true }) as string[])
        .filter((f) => f.endsWith(".test.ts"))
        .sort()
        .map((f) => {
            const js = path.join(dist, "tests", suite, f.replace(/\.ts$/, ".js"));
            if (!fs.existsSync(js)) throw new Error(`${path.join("tests", suite, f)} is not built: run npm run build (npm test does)`);
            return js;
        });
}

interface Job {
    /** The file (relative to dist/tests) or the group of files this job runs. */
    name: string;
    files: string[];
}

interface Done extends WorkerResult {
    job: Job;
    seconds: number;
    output: string;
}

/** One job per integration file; the unit and emulator suites (fast, CPU-bound) together as one. */
function jobsFor(suites: Suite[]): Job[] {
    const jobs: Job[] = [];
    const inProcess = suites.filter((s) => s !== "integration");
    const quick = inProcess.flatMap(testFiles);
    if (quick.length > 0) jobs.push({ name: inProcess.join("+"), files: quick });
    if (suites.includes("integration")) for (const f of testFiles("integration")) jobs.push({ name: path.relative(path.join(dist, "tests"), f), files: [f] });
    return jobs;
}

function readTimes(file: string): Record<string, number> {
    try {
        return JSON.parse(fs.readFileSync(file, "utf8")) as Record<string, number>;
    } catch {
        return {}; // no run recorded there
    }
}

/**
 * Longest first, so no long file starts last: by this machine's last run, else by the
 * times kept in tests/test-times.json; a file never timed counts by its size.
 */
function byExpectedTime(jobs: Job[]): Job[] {
    const times = { ...readTimes(KNOWN_TIMES), ...readTimes(TIMES) };
    // Without a record, ~1 s of engine time per 100 bytes of test source is about right.
    const guess = (j: Job) => times[j.name] ?? j.files.reduce((n, f) => n + fs.statSync(f).size / 100, 0);
    return [...jobs].sort((a, b) => guess(b) - guess(a));
}

function saveTimes(done: Done[], grep: string | undefined): void {
    if (grep) return; // a filtered run says nothing about a whole file's time
    const times = readTimes(TIMES);
    for (const d of done) times[d.job.name] = Math.round(d.seconds * 10) / 10;
    fs.mkdirSync(path.dirname(TIMES), { recursive: true });
    fs.writeFileSync(TIMES, JSON.stringify(times, null, 2) + "\n");
}

/** Runs one job in its own process, with its own state folder; resolves when it has ended. */
function runJob(job: Job, grep: string | undefined): Promise<Done> {
    const started = Date.now();
    const stateDir = path.join(root, ".state", "tests", job.name.replace(/\.test\.js$/, "").replace(/[^\w.+-]+/g, "-"));
    fs.rmSync(stateDir, { recursive: true, force: true });
    const args = [...(grep ? ["--grep", grep] : []), ...job.files];
    const child = fork(path.join(__dirname, "test-worker.js"), args, {
        silent: true,
        env: { ...process.env, PULUMI_FLEIO_STATE_DIR: stateDir },
    });
    let output = "";
    // As text: a character split between two chunks (mocha's ✔) stays whole.
    child.stdout!.setEncoding("utf8").on("data", (d: string) => (output += d));
    child.stderr!.setEncoding("utf8").on("data", (d: string) => (output += d));
    let result: WorkerResult | undefined;
    child.on("message", (m: WorkerResult) => (result = m));
    return new Promise((resolve) => {
        child.on("close", (code, signal) => {
            let r = result ?? { passed: 0, failed: 0 };
            // A worker that died, or ended badly without a failed test, is a failure of its own.
            if (!result || (code !== 0 && r.failed === 0)) {
                output += `\n${job.name}: the test process ended with ${signal ?? `exit code ${code}`}${result ? "" : " before reporting its results"}\n`;
                r = { passed: r.passed, failed: r.failed + 1 };
            }
            resolve({ job, ...r, seconds: (Date.now() - started) / 1000, output });
        });
    });
}

/** Runs the jobs in `width` worker processes, printing each job's output whole as it ends. */
async function runAll(jobs: Job[], width: number, grep: string | undefined): Promise<Done[]> {
    const queue = [...jobs];
    const done: Done[] = [];
    const worker = async () => {
        for (let job = queue.shift(); job; job = queue.shift()) {
            const d = await runJob(job, grep);
            done.push(d);
            const rule = `── ${d.job.name}: ${d.passed} passed, ${d.failed} failed, ${d.seconds.toFixed(1)}s (${done.length}/${jobs.length}) `;
            process.stdout.write(`\n${rule.padEnd(100, "─")}\n${d.output.trimEnd()}\n`);
        }
    };
    await Promise.all(Array.from({ length: Math.min(width, jobs.length) }, worker));
    return done;
}

function positive(v: string): number {
    const n = Number(v);
    if (!Number.isInteger(n) || n < 1) throw new InvalidArgumentError("a whole number of 1 or more");
    return n;
}

async function main(): Promise<void> {
    // Engine tests wait more than they compute: one job more than there are cores keeps them busy.
    const defaultJobs = Math.max(1, Math.min(os.cpus().length + 1, 8));
    const opts = new Command()
        .option("--only <suites>", "comma-separated: unit, emulator, integration")
        .option("--grep <text>", "only tests whose title contains this")
        .option("--jobs <n>", `test files run side by side (default ${defaultJobs}: the cores + 1)`, positive, defaultJobs)
        .parse()
        .opts<{ only?: string; grep?: string; jobs: number }>();
    const suites = (opts.only ? opts.only.split(",") : [...SUITES]) as Suite[];
    for (const s of suites) if (!SUITES.includes(s)) throw new Error(`--only: unknown suite "${s}" (use ${SUITES.join(", ")})`);

    if (suites.includes("integration")) process.env.PULUMI_FLEIO_CLI_DIR = ensurePulumiCli();
    // The YAML language host, for the native plugin's YAML programs (examples/yaml).
    if (suites.includes("integration") && (!opts.grep || /yaml|native|import|migrat/i.test(opts.grep))) process.env.PULUMI_FLEIO_YAML_DIR = ensurePulumiYaml();
    // SeaweedFS (the S3 state backend of the fleet tests) is built once like the CLI,
    // before mocha's timeouts start, and only when an S3 test can be selected.
    if (suites.includes("integration") && (!opts.grep || /s3|seaweed|fleet/i.test(opts.grep))) process.env.PULUMI_FLEIO_WEED = ensureWeed();

    const started = Date.now();
    const jobs = byExpectedTime(jobsFor(suites));
    const done = await runAll(jobs, opts.jobs, opts.grep);
    saveTimes(done, opts.grep);

    let passed = 0;
    let failed = 0;
    for (const d of done) (passed += d.passed), (failed += d.failed);
    const wall = (Date.now() - started) / 1000;
    console.log(`\ntime per job (${opts.jobs} side by side, ${wall.toFixed(1)}s in all, load ${os.loadavg()[0].toFixed(1)} on ${os.cpus().length} cores):`);
    for (const d of [...done].sort((a, b) => b.seconds - a.seconds)) console.log(`  ${d.seconds.toFixed(1).padStart(7)}s  ${d.job.name}${d.failed ? `  (${d.failed} failed: its output is above)` : ""}`);
    if (passed + failed === 0) failed = 1; // no test ran: that is not a pass.
    console.log(`tests: ${passed} passed, ${failed} failed`);
    process.exitCode = failed > 0 ? 1 : 0;
}

main().catch((e) => {
    console.error(e instanceof Error ? e.message : e);
    console.log("tests: 0 passed, 1 failed");
    process.exitCode = 1;
});
