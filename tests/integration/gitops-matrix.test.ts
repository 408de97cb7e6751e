import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import { parse } from "yaml";
import { startEmulator, RunningEmulator } from "../../emulator";
import { repoRoot } from "../../scripts/engine";
import { startSeaweed, RunningSeaweed } from "../../scripts/seaweedfs";
import { writeResellerFiles, resellerData } from "../../scripts/bench/data";
import { shardNames } from "../../fleet";
import type { FleetReport } from "../../fleet";
import { CATALOG_JOBS, catalogArgs, jobBudget, MatrixPlan, renderMatrixWorkflow, reportFile, shardArgs, summaryArgs, summaryReports } from "../../examples/gitops/pipeline";
import { FleioDirect } from "./support/fleio-direct";
import { FLEET_PASSPHRASE, freshArea } from "./support/fleet-env";
import { pulumiFleio } from "./support/cli";

/**
 * The fleet pipeline's job matrix, run as the CI would: every shard's job as its own
 * process (its own project folder, as on its own runner) at the same time, all on one S3
 * bucket (SeaweedFS) and one Fleio (the emulator), then the summary job over their reports.
 */
describe("GitOps matrix pipeline: one job per shard on shared S3 state, then a summary job", function () {
    this.timeout(900_000);
    let em: RunningEmulator;
    let s3: RunningSeaweed;
    let f: FleioDirect;
    const area = freshArea("gitops-matrix");
    const plan: MatrixPlan = { shards: 4, budget: 8, data: area.data };
    const resellers = 10;
    let env: Record<string, string>;

    const backend = (args: string[]) => args.map((a) => (a === "$PULUMI_BACKEND_URL" ? s3.backendUrl : a));
    /** Runs one job's command as the CI would; leaves its report where the summary job finds it. */
    const job = async (name: string, args: string[]): Promise<string> => {
        const r = await pulumiFleio([...backend(args), "--work-dir", path.join(area.projects, name)], env);
        assert.equal(r.code, 0, `${name}: ${r.stdout}${r.stderr}`);
        const file = path.join(area.root, reportFile(name));
        fs.writeFileSync(file, r.stdout);
        return file;
    };
    /** Runs the jobs for an event as the workflow orders them: the catalog's, every shard's side by side, on a merge the catalog's again; answers the reports in the summary's order. */
    const runMatrix = async (event: "pull_request" | "push"): Promise<string[]> => {
        await job(CATALOG_JOBS.before, catalogArgs(plan, event));
        await Promise.all(shardNames(plan.shards).map((shard) => job(shard, shardArgs(plan, event, shard))));
        if (event === "push") await job(CATALOG_JOBS.after, catalogArgs(plan, event));
        return summaryReports(plan, event).map((r) => path.join(area.root, r));
    };

    before(async () => {
        em = await startEmulator({ seed: 37, deleteDelayMs: 50 });
        f = new FleioDirect(em);
        await f.defaultStaffPlanId();
        s3 = await startSeaweed({ weed: process.env.PULUMI_FLEIO_WEED });
        writeResellerFiles(area.data, resellers);
        env = { ...s3.env, FLEIO_URL: em.url, FLEIO_TOKEN: em.staffToken, PULUMI_CONFIG_PASSPHRASE: FLEET_PASSPHRASE };
    });
    after(async () => {
        await s3?.close();
        await em?.close();
    });

    it("the committed workflow is the rendered one: a job per shard with its share of the budget, and a summary job", () => {
        const committed = fs.readFileSync(path.join(repoRoot, "examples/gitops/.github/workflows/fleio-fleet.yml"), "utf8");
        assert.equal(committed, renderMatrixWorkflow());
        const wf = parse(renderMatrixWorkflow(plan)) as { jobs: Record<string, { needs?: string | string[]; strategy: { matrix: { shard: string[] } }; steps: { run?: string }[] }> };
        assert.deepEqual(wf.jobs.shard.strategy.matrix.shard, shardNames(plan.shards));
        const up = wf.jobs.shard.steps.find((s) => s.run?.includes(" fleet up "))!.run!;
        assert.equal(up, `npx pulumi-fleio ${shardArgs(plan, "push", "${{ matrix.shard }}").map((a) => (a.startsWith("$") ? `"${a}"` : a)).join(" ")} > ${reportFile("${{ matrix.shard }}")}`);
        assert.equal(jobBudget(plan), 2, "budget 8 over 4 jobs");
        assert.equal(wf.jobs.shard.needs, CATALOG_JOBS.before, "the shards wait for the plan catalog's job: their resellers go on its plans");
        assert.equal(wf.jobs[CATALOG_JOBS.after].needs, "shard", "plans removed from the catalog are deleted after the shards left them");
        assert.ok(wf.jobs[CATALOG_JOBS.before].steps.some((s) => s.run?.includes(catalogArgs(plan, "push").slice(0, 4).join(" ")) && s.run.includes("--shard catalog")));
        assert.deepEqual(wf.jobs.summary.needs, [CATALOG_JOBS.before, "shard", CATALOG_JOBS.after]);
        for (const event of ["pull_request", "push"] as const) assert.ok(wf.jobs.summary.steps.some((s) => s.run === `npx pulumi-fleio ${summaryArgs(summaryReports(plan, event)).join(" ")}`), event);
    });

    it("push: the jobs apply their shards at once, each doing what the pull request's job previewed; the summary job passes; Fleio holds exactly the declared resellers", async () => {
        // The pull request first, as on GitHub: its preview jobs must show every step the merge's jobs then take.
        const previewed = (await runMatrix("pull_request")).map((r) => JSON.parse(fs.readFileSync(r, "utf8")) as FleetReport);
        assert.ok(previewed.some((r) => r.stacks.some((st) => (st.changes.create ?? 0) > 0)), "the pull request's jobs preview the creates");
        const reports = await runMatrix("push");
        const each = reports.map((r) => JSON.parse(fs.readFileSync(r, "utf8")) as FleetReport);
        // Per stack, the kinds of step and their counts (the jobs' reports carry counts, not URNs).
        const steps = (r: FleetReport[]) => Object.fromEntries(r.flatMap((x) => x.stacks).map((st) => [st.stack, Object.fromEntries(Object.entries(st.changes).filter(([k, n]) => k !== "same" && n > 0))]));
        assert.deepEqual(steps(each), steps(previewed), "each merge job did exactly what its pull-request job previewed");
        for (const r of each.slice(1, -1)) assert.equal(r.stacks.length, 1, "each job runs its own shard's stack only");
        for (const r of [each[0], each.at(-1)!]) assert.equal(r.stacks.length, 0, "a folder without a plan catalog has no catalog stack");
        const summary = await pulumiFleio([...summaryArgs(reports), "--json"], env);
        assert.equal(summary.code, 0, summary.stdout + summary.stderr);
        const merged = JSON.parse(summary.stdout) as FleetReport;
        assert.ok(merged.ok);
        const ran = merged.stacks.filter((s) => !s.skipped).length;
        assert.equal(merged.stacks.reduce((n, s) => n + (s.changes.create ?? 0), 0), resellers * 9 + ran, "per reseller: the component and its 8 resources; per stack run: the stack (a shard without resellers is skipped)");
        for (let i = 0; i < resellers; i++) {
            const found = await f.ok<{ objects: { id: number; status: string }[] }>("GET", `clients?external_billing_id=${resellerData(i).client.externalBillingId}`);
            assert.equal(found.objects.filter((c) => c.status === "active").length, 1, `reseller ${i} exists once`);
        }
        const clients = await f.ok<{ objects: { id: number }[] }>("GET", "clients?page_size=1000");
        assert.equal(clients.objects.length, resellers, "and no other client");
    });

    it("pull request: the jobs preview their shards; nothing to change, no Fleio call", async () => {
        const before = await f.apiCalls();
        const reports = await runMatrix("pull_request");
        const summary = await pulumiFleio([...summaryArgs(reports), "--json"], env);
        assert.equal(summary.code, 0, summary.stdout + summary.stderr);
        const merged = JSON.parse(summary.stdout) as FleetReport;
        assert.deepEqual(merged.stacks.flatMap((s) => Object.entries(s.changes).filter(([k, n]) => k !== "same" && n > 0)), []);
        assert.equal((await f.apiCalls()) - before, 0);
    });

    it("the summary job fails when a shard's report is missing", async () => {
        const r = await pulumiFleio(summaryArgs([path.join(area.root, "fleet-shard-99.json")]), env);
        assert.equal(r.code, 1);
        assert.match(r.stderr, /fleet summary: .*fleet-shard-99\.json/);
    });
});
