/**
 * The GitOps pipeline as data: which `pulumi` commands run on which event, with which
 * environment. `.github/workflows/fleio.yml` is rendered from this list
 * (`renderWorkflow`), and tests/integration/gitops-pipeline.test.ts runs the same steps
 * in the same order, so the pipeline and its test cannot drift apart.
 */
import { shardNames } from "pulumi-fleio/fleet";

/** The one stack the pipeline manages; its state lives in the shared backend. */
export const STACK = "production";

export type Event = "pull_request" | "push";

export interface Step {
    /** The step's name in the CI log. */
    name: string;
    /** The events the step runs on. */
    on: Event[];
    /** The pulumi CLI arguments (after `pulumi`). */
    args: string[];
}

/**
 * In order. A pull request only previews (the reviewer reads the plan); a merge to main
 * applies. Both select (or create) the stack first.
 */
export const STEPS: Step[] = [
    { name: "Select the stack", on: ["pull_request", "push"], args: ["stack", "select", "--create", STACK] },
    { name: "Preview the change", on: ["pull_request"], args: ["preview", "--diff", "--non-interactive", "--stack", STACK] },
    { name: "Apply the change", on: ["push"], args: ["up", "--yes", "--non-interactive", "--stack", STACK] },
];

/**
 * The environment every step gets, from the CI's variables and secret store.
 * FLEIO_URL/FLEIO_TOKEN are the provider's fallback settings, so no
 * `pulumi config set --secret fleio:token` is needed and the token never enters state.
 * The state goes to an S3-compatible bucket (PULUMI_BACKEND_URL, e.g.
 * `s3://fleio-state?endpoint=minio.example:9000&s3ForcePathStyle=true`), its secrets
 * encrypted with PULUMI_CONFIG_PASSPHRASE.
 */
export const ENV: Record<string, { from: "vars" | "secrets"; name: string }> = {
    FLEIO_URL: { from: "vars", name: "FLEIO_URL" },
    FLEIO_TOKEN: { from: "secrets", name: "FLEIO_TOKEN" },
    PULUMI_BACKEND_URL: { from: "vars", name: "PULUMI_BACKEND_URL" },
    PULUMI_CONFIG_PASSPHRASE: { from: "secrets", name: "PULUMI_CONFIG_PASSPHRASE" },
    AWS_ACCESS_KEY_ID: { from: "secrets", name: "STATE_BUCKET_ACCESS_KEY_ID" },
    AWS_SECRET_ACCESS_KEY: { from: "secrets", name: "STATE_BUCKET_SECRET_ACCESS_KEY" },
    AWS_REGION: { from: "vars", name: "STATE_BUCKET_REGION" },
};

/** The steps for one event, in order. */
export function stepsFor(event: Event): Step[] {
    return STEPS.filter((s) => s.on.includes(event));
}

const PULUMI_VERSION = "3.248.0";

/** The GitHub Actions workflow for these steps (committed as .github/workflows/fleio.yml). */
export function renderWorkflow(): string {
    const condition = (s: Step) => (s.on.length === 2 ? "" : `        if: github.event_name == '${s.on[0]}'\n`);
    const env = Object.entries(ENV)
        .map(([k, v]) => `      ${k}: \${{ ${v.from}.${v.name} }}`)
        .join("\n");
    const steps = STEPS.map((s) => `      - name: ${s.name}\n${condition(s)}        run: pulumi ${s.args.join(" ")}`).join("\n");
    return `# Rendered from pipeline.ts (renderWorkflow); edit that file, not this one.
# A pull request that edits resellers/*.yaml gets a preview of exactly what it changes in
# Fleio; merging it to main applies that change. The runner needs a normal Pulumi install
# (with its nodejs language host) and Node 20.
name: fleio
on:
  pull_request:
    branches: [main]
  push:
    branches: [main]
# One run at a time: a merge's up waits for a running preview instead of failing on the stack's lock.
concurrency:
  group: fleio-${STACK}
  cancel-in-progress: false
permissions:
  contents: read
jobs:
  pulumi:
    runs-on: ubuntu-latest
    env:
${env}
    steps:
      - uses: actions/checkout@v4
      - uses: actions/setup-node@v4
        with:
          node-version: 20
      - run: npm ci   # the repository commits its package-lock.json
      - name: Install the Pulumi CLI
        run: |
          curl -fsSL https://get.pulumi.com | sh -s -- --version ${PULUMI_VERSION}
          echo "$HOME/.pulumi/bin" >> "$GITHUB_PATH"
${steps}
`;
}

/**
 * The same pipeline for a fleet: one CI job per shard, each running
 * `pulumi-fleio fleet preview|up --shard <name>` on its own runner against the shared S3
 * state (each job holds only its own stacks' locks), the request budget split across the
 * jobs, and a summary job that merges the jobs' reports. The test runs these commands as
 * parallel processes (tests/integration/gitops-matrix.test.ts).
 */
export interface MatrixPlan {
    /** Shards the resellers are spread over: one job each. */
    shards: number;
    /** Fleio requests in flight across all jobs. */
    budget: number;
    /** The folder of reseller files in the repository. */
    data: string;
}

export const MATRIX_DEFAULTS: MatrixPlan = { shards: 8, budget: 16, data: "resellers" };

/** A job's share of the budget: at least one request in flight each. */
export const jobBudget = (p: MatrixPlan) => Math.max(1, Math.floor(p.budget / p.shards));

/** The report a shard's job leaves for the summary job. */
export const reportFile = (shard: string) => `fleet-${shard}.json`;

/** The `pulumi-fleio` arguments of one shard's job for an event (after `npx pulumi-fleio`). */
export function shardArgs(p: MatrixPlan, event: Event, shard: string): string[] {
    const op = event === "pull_request" ? "preview" : "up";
    return ["fleet", op, "--data", p.data, "--backend", "$PULUMI_BACKEND_URL", "--shards", String(p.shards), "--shard", shard, "--parallel", "1", "--budget", String(jobBudget(p)), "--json"];
}

/** The summary job's arguments: every shard's report. */
export function summaryArgs(reports: string[]): string[] {
    return ["fleet", "summary", ...reports];
}

/**
 * The plan catalog's stack (`plans/*.yaml`) has a job of its own: before the shards,
 * it makes and changes the catalog plans the resellers go on; after them (on a merge),
 * it runs again to delete plans removed from the catalog, once their resellers have
 * left them (the first run leaves those for this one). With nothing to do, a run is one
 * empty update with no Fleio call.
 */
export const CATALOG_JOBS = { before: "catalog", after: "catalog-after" } as const;

/** The `pulumi-fleio` arguments of a catalog job (after `npx pulumi-fleio`). */
export function catalogArgs(p: MatrixPlan, event: Event): string[] {
    return shardArgs(p, event, "catalog");
}

/** The reports the summary job merges for an event: the catalog's, every shard's, and on a merge the catalog's second run. */
export function summaryReports(p: MatrixPlan, event: Event): string[] {
    return [reportFile(CATALOG_JOBS.before), ...shardNames(p.shards).map(reportFile), ...(event === "push" ? [reportFile(CATALOG_JOBS.after)] : [])];
}

/** The matrix workflow (committed as .github/workflows/fleio-fleet.yml). */
export function renderMatrixWorkflow(p: MatrixPlan = MATRIX_DEFAULTS): string {
    const shardList = shardNames(p.shards);
    const env = Object.entries(ENV)
        .map(([k, v]) => `      ${k}: \${{ ${v.from}.${v.name} }}`)
        .join("\n");
    const setup = `      - uses: actions/checkout@v4
      - uses: actions/setup-node@v4
        with:
          node-version: 20
      - run: npm ci   # installs pulumi-fleio, which brings the pulumi-fleio command`;
    // The backend URL holds `?` and `&`: the shell must see it as one word.
    const word = (a: string) => (a.startsWith("$") ? `"${a}"` : a);
    const shardCmd = (event: Event) => `npx pulumi-fleio ${shardArgs(p, event, "${{ matrix.shard }}").map(word).join(" ")} > ${reportFile("${{ matrix.shard }}")}`;
    const catalogCmd = (event: Event, job: string) => `npx pulumi-fleio ${catalogArgs(p, event).map(word).join(" ")} > ${reportFile(job)}`;
    const cli = `      - name: Install the Pulumi CLI
        run: |
          curl -fsSL https://get.pulumi.com | sh -s -- --version ${PULUMI_VERSION}
          echo "$HOME/.pulumi/bin" >> "$GITHUB_PATH"`;
    const upload = (name: string) => `      - uses: actions/upload-artifact@v4
        if: always()
        with:
          name: ${name.replace(/\.json$/, "")}
          path: ${name}`;
    // Every job that runs pulumi-fleio against Fleio: the environment, the package and the CLI.
    const runsFleet = `    runs-on: ubuntu-latest
    env:
${env}
    steps:
${setup}
${cli}`;
    // A pull request previews; a merge applies.
    const byEvent = (what: string, cmd: (event: Event) => string) => `      - name: Preview the ${what}
        if: github.event_name == 'pull_request'
        run: ${cmd("pull_request")}
      - name: Apply the ${what}
        if: github.event_name == 'push'
        run: ${cmd("push")}`;
    return `# Rendered from pipeline.ts (renderMatrixWorkflow); edit that file, not this one.
# One job per shard of the resellers, each on its own runner with its own stacks' locks in
# the shared S3 state; the Fleio request budget (${p.budget}) is split across the ${p.shards} jobs
# (${jobBudget(p)} each). The plan catalog's job runs first (the shards' resellers go on its
# plans) and, on a merge, once more after them (to delete plans no reseller is on any
# more). A summary job merges their reports and fails if one failed.
name: fleio-fleet
on:
  pull_request:
    branches: [main]
  push:
    branches: [main]
# One run at a time: a merge's jobs wait for running previews instead of failing on their stacks' locks.
concurrency:
  group: fleio-fleet
  cancel-in-progress: false
permissions:
  contents: read
jobs:
  ${CATALOG_JOBS.before}:
${runsFleet}
${byEvent("plan catalog", (event) => catalogCmd(event, CATALOG_JOBS.before))}
${upload(reportFile(CATALOG_JOBS.before))}
  shard:
    needs: ${CATALOG_JOBS.before}
    runs-on: ubuntu-latest
    strategy:
      fail-fast: false
      matrix:
        shard: [${shardList.join(", ")}]
    env:
${env}
    steps:
${setup}
${cli}
${byEvent("shard", shardCmd)}
${upload(reportFile("${{ matrix.shard }}"))}
  ${CATALOG_JOBS.after}:
    needs: shard
    if: always() && github.event_name == 'push'
${runsFleet}
      - name: Delete the catalog plans no reseller is on any more
        run: ${catalogCmd("push", CATALOG_JOBS.after)}
${upload(reportFile(CATALOG_JOBS.after))}
  summary:
    needs: [${CATALOG_JOBS.before}, shard, ${CATALOG_JOBS.after}]
    if: always()
    runs-on: ubuntu-latest
    steps:
${setup}
      - uses: actions/download-artifact@v4
        with:
          pattern: fleet-*
          merge-multiple: true
      - name: Summarise the preview
        if: github.event_name == 'pull_request'
        run: npx pulumi-fleio ${summaryArgs(summaryReports(p, "pull_request")).join(" ")}
      - name: Summarise the update
        if: github.event_name == 'push'
        run: npx pulumi-fleio ${summaryArgs(summaryReports(p, "push")).join(" ")}
`;
}
