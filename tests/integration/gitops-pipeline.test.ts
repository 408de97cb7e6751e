import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import type { LocalWorkspace, Stack } from "@pulumi/pulumi/automation";
import { startEmulator, RunningEmulator } from "../../emulator";
import { engineStack, repoRoot } from "../../scripts/engine";
import { gitopsProgram } from "../../sdk/gitops";
import { Event, renderWorkflow, Step, stepsFor } from "../../examples/gitops/pipeline";
import { FleioDirect } from "./support/fleio-direct";
import { changes, rulesOf } from "./support/onboarding-fixtures";
import { upAsPreviewed } from "./support/preview-matches-up";

/**
 * The GitOps pipeline, step by step, against the emulator with the real engine. The CI
 * runs `pulumi <args>` for each step of pipeline.ts; no nodejs language host can be
 * built here, so each step runs as the same operation through the Automation API
 * (inline program, same stack name, credentials from FLEIO_URL/FLEIO_TOKEN as in CI).
 */
describe("GitOps pipeline: preview on a pull request, up on merge (real engine)", function () {
    this.timeout(600_000);
    let em: RunningEmulator;
    let f: FleioDirect;
    let repo: string;
    let stack: Stack | undefined;

    const makeStack = async (stackName: string) => {
        const s = await engineStack(async () => gitopsProgram(path.join(repo, "resellers")), {
            area: "integration",
            projectName: "fleio-gitops",
            stackName,
            fleioUrl: em.url,
            fleioToken: em.staffToken,
            fresh: stack === undefined,
        });
        // As in CI: no fleio:* config at all, the credentials come from the environment.
        await s.removeAllConfig(["fleio:url", "fleio:token", "fleio:apiScope"]);
        const env = (s.workspace as LocalWorkspace).envVars;
        env.FLEIO_URL = em.url;
        env.FLEIO_TOKEN = em.staffToken;
        return s;
    };

    /** Runs the pipeline's steps for one event; returns what each preview/up reported. */
    async function pipeline(event: Event): Promise<{ step: Step; changes: Record<string, number>; apiCalls: number }[]> {
        const results = [];
        for (const step of stepsFor(event)) {
            const before = await f.apiCalls();
            let summary: Record<string, number | undefined> = {};
            const [verb, ...rest] = step.args;
            if (verb === "stack" && rest[0] === "select") stack = await makeStack(rest[rest.indexOf("--create") + 1]);
            else if (verb === "preview") summary = (await stack!.preview({ diff: rest.includes("--diff") })).changeSummary;
            // The merge applies what the pull request previewed: up must do exactly the steps of a preview of the same commit.
            else if (verb === "up" && rest.includes("--yes")) summary = (await upAsPreviewed(stack!)).summary.resourceChanges ?? {};
            else throw new Error(`the test cannot run pipeline step "pulumi ${step.args.join(" ")}"; teach it`);
            results.push({ step, changes: changes(summary), apiCalls: (await f.apiCalls()) - before });
        }
        return results;
    }
    const only = (results: Awaited<ReturnType<typeof pipeline>>, verb: string) => {
        const hits = results.filter((r) => r.step.args[0] === verb);
        assert.equal(hits.length, 1, `one ${verb} step`);
        return hits[0];
    };
    const resellers = async () => (await f.ok<{ count: number }>("GET", "clients?has_reseller_service=true")).count;
    const copy = (file: string) => fs.copyFileSync(path.join(repoRoot, "examples/gitops/resellers", file), path.join(repo, "resellers", file));

    before(async () => {
        em = await startEmulator({ seed: 51, deleteDelayMs: 50 });
        // An operator's Fleio has a default staff plan (a fresh one has none, and then refuses to update staff plans).
        await new FleioDirect(em).defaultStaffPlanId();
        f = new FleioDirect(em);
        repo = fs.mkdtempSync(path.join(os.tmpdir(), "gitops-repo-"));
        fs.mkdirSync(path.join(repo, "resellers"));
        copy("acme.yaml");
    });
    // No clean-up destroy: the emulator goes with this process and the next run starts from empty state.
    after(async () => {
        await em?.close();
        fs.rmSync(repo, { recursive: true, force: true });
    });

    it("the committed workflow is the one rendered from the steps the test runs", () => {
        const committed = fs.readFileSync(path.join(repoRoot, "examples/gitops/.github/workflows/fleio.yml"), "utf8");
        assert.equal(committed, renderWorkflow());
        assert.deepEqual(stepsFor("pull_request").map((s) => s.args[0]), ["stack", "preview"]);
        assert.deepEqual(stepsFor("push").map((s) => s.args[0]), ["stack", "up"]);
    });

    it("main as it is: the first push onboards acme (9 objects and the stack)", async () => {
        const r = await pipeline("push");
        assert.deepEqual(only(r, "up").changes, { create: 10 });
        assert.equal(await resellers(), 1);
        assert.equal((await stack!.outputs()).acme?.value, "https://cloud.acme.example/", "one data file is one onboarded reseller, on its domain");
    });

    it("a pull request that adds nimbus and reprices acme previews exactly that, sending nothing", async () => {
        copy("nimbus.yaml");
        const acme = path.join(repo, "resellers/acme.yaml");
        fs.writeFileSync(acme, fs.readFileSync(acme, "utf8").replace('price: "0.02", flavor: m1.small', 'price: "0.025", flavor: m1.small'));
        const preview = only(await pipeline("pull_request"), "preview");
        // nimbus: component, client, plan, one rule, service, domain; acme: one rule's price.
        assert.deepEqual(preview.changes, { create: 6, update: 1 });
        // New resources are checked against Fleio's billing resources and currencies: one
        // remembered create_options call at most; changes that need no such check, none.
        assert.ok(preview.apiCalls <= 1, `a preview of creates and updates asks Fleio at most once (${preview.apiCalls} calls)`);
        assert.equal(await resellers(), 1, "nothing applied before the merge");
    });

    it("merging applies exactly the previewed change", async () => {
        const up = only(await pipeline("push"), "up");
        assert.deepEqual(up.changes, { create: 6, update: 1 });
        assert.equal(await resellers(), 2);
        const out = await stack!.outputs();
        assert.equal(out.nimbus?.value, "https://panel.nimbus.example/");
        const plans = await f.ok<{ objects: { id: number; name: string }[] }>("GET", "openstack/billing/plan?page_size=1000");
        const acmePlan = plans.objects.find((p) => p.name === "Reseller pricing - acme");
        assert.ok(acmePlan);
        assert.deepEqual((await rulesOf(f, String(acmePlan.id)))["m1.small per hour"], ["0:0.025"]);
    });

    it("a pull request with a bad data file fails its preview before anything is sent, naming the file and field", async () => {
        const broken = path.join(repo, "resellers/broken.yaml");
        fs.writeFileSync(broken, "client: {}\ndomain: x\npricing: []\n");
        const before = await f.apiCalls();
        try {
            await assert.rejects(pipeline("pull_request"), /broken\.yaml: pricing: a reseller needs at least one price/);
        } finally {
            fs.rmSync(broken);
        }
        assert.equal((await f.apiCalls()) - before, 0);
    });

    it("merging a removed data file deletes exactly that reseller", async () => {
        fs.rmSync(path.join(repo, "resellers/acme.yaml"));
        const up = only(await pipeline("push"), "up");
        // acme's component, client, plan, 3 rules, service, domain and configuration.
        assert.deepEqual(up.changes, { delete: 9 });
        // Active ones: with Fleio's default billing setting a removed reseller stays, suspended.
        const active = (await f.ok<{ objects: { status: string }[] }>("GET", "clients?has_reseller_service=true&page_size=1000")).objects.filter((c) => c.status === "active");
        assert.equal(active.length, 1, "nimbus stays");
    });

    it("after the merges, the next pull request's preview is empty and makes no API calls", async () => {
        const preview = only(await pipeline("pull_request"), "preview");
        assert.deepEqual(preview.changes, {});
        assert.equal(preview.apiCalls, 0);
    });
});
