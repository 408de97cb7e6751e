import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import type { Stack } from "@pulumi/pulumi/automation";
import { startEmulator, RunningEmulator } from "../../emulator";
import { engineStack, repoRoot } from "../../scripts/engine";
import { gitopsProgram, loadResellers, renderYamlProgram } from "../../sdk/gitops";
import { added, census, Census, ids, sorted } from "./support/census";
import { FleioDirect } from "./support/fleio-direct";
import { CliProject } from "./support/cli-project";
import { changes } from "./support/onboarding-fixtures";
import { cliUpAsPreviewed, upAsPreviewed } from "./support/preview-matches-up";

/**
 * Issue 19, item 3: renaming a data file (acme.yaml → acme-cloud.yaml, same content)
 * renames every resource. `up` then found the client, service and configuration by
 * their natural keys under the new names and deleted them under the old ones in the same
 * run: the state pointed at a deleted configuration. Now each object keeps one owner:
 * the old name's delete leaves an object the new name took over, and `render-yaml` keeps
 * the old names when it has the previous program. Every step ends with Fleio holding
 * exactly what the state declares, no state entry pointing at a missing object
 * (`preview --refresh` empty) and an empty preview that asks Fleio nothing.
 */

/** The Fleio ids a stack's resources hold, by kind, from their outputs. */
function idsInState(resources: { custom?: boolean; outputs?: Record<string, unknown> }[]): Record<string, string[]> {
    const out: Record<string, string[]> = { clients: [], plans: [], rules: [], services: [], configurations: [] };
    // Components (ResellerOnboarding) repeat their children's ids among their outputs.
    for (const { custom, outputs: o } of resources) {
        if (!o || !custom) continue;
        if (o.ruleId) out.rules.push(String(o.ruleId));
        else if (o.configurationId) out.configurations.push(String(o.configurationId));
        else if (o.planId && o.servicesCount !== undefined) out.plans.push(String(o.planId));
        else if (o.firstName && o.clientId) out.clients.push(String(o.clientId));
        // A panel (FrontendDomain) names its service too, and its domain.
        else if (o.serviceId && o.domain === undefined) out.services.push(String(o.serviceId));
    }
    return Object.fromEntries(Object.entries(out).map(([k, v]) => [k, sorted(v)]));
}

function dataFolder(): string {
    const repo = fs.mkdtempSync(path.join(os.tmpdir(), "renamed-file-"));
    fs.mkdirSync(path.join(repo, "resellers"));
    fs.copyFileSync(path.join(repoRoot, "examples/gitops/resellers/acme.yaml"), path.join(repo, "resellers/acme.yaml"));
    return repo;
}
const rename = (repo: string, from: string, to: string) => fs.renameSync(path.join(repo, "resellers", from), path.join(repo, "resellers", to));

describe("a renamed data file keeps one owner per object: YAML program (native plugin, real engine)", function () {
    this.timeout(900_000);
    const PROJECT = "fleio-renamed-yaml";
    let em: RunningEmulator;
    let f: FleioDirect;
    let p: CliProject;
    let repo: string;
    let baseline: Census;
    const render = (previous?: string) => renderYamlProgram(loadResellers(path.join(repo, "resellers")), { project: PROJECT, previous });
    const state = () => JSON.parse(p.stateText(PROJECT, "dev")).checkpoint.latest?.resources ?? [];
    const exactlyDeclared = async () => assert.deepEqual(ids(added(baseline, await census(f))), idsInState(state()));
    const settled = async () => {
        await exactlyDeclared();
        // Every state entry still points at an object Fleio has.
        await p.pulumi(["preview", "--refresh", "--expect-no-changes"]);
        const before = await f.apiCalls();
        await p.pulumi(["preview", "--expect-no-changes"]);
        assert.equal((await f.apiCalls()) - before, 0, "a no-change preview asks Fleio nothing");
    };
    const counts = (out: string) => Object.fromEntries([...out.matchAll(/^\s+([+~=-]|\+-) (\d+) (created|updated|deleted|replaced)/gm)].map((m) => [m[3], Number(m[2])]));

    before(async () => {
        em = await startEmulator({ seed: 83, deleteDelayMs: 50 });
        f = new FleioDirect(em);
        await f.defaultStaffPlanId();
        baseline = await census(f);
        repo = dataFolder();
        p = new CliProject("renamed-yaml", render());
        await p.initStack("dev", em.url, em.staffToken);
        await cliUpAsPreviewed(p);
        await settled();
    });
    after(async () => {
        await em?.close();
        p?.remove();
        if (repo) fs.rmSync(repo, { recursive: true, force: true });
    });

    it("rendered with the previous program, the renamed file keeps its resources: up changes nothing in Fleio", async () => {
        const before = ids(added(baseline, await census(f)));
        rename(repo, "acme.yaml", "acme-cloud.yaml");
        const previous = fs.readFileSync(path.join(p.dir, "Pulumi.yaml"), "utf8");
        p.write(render(previous));
        const up = await cliUpAsPreviewed(p);
        assert.deepEqual(counts(up.out), {}, up.out);
        assert.deepEqual(ids(added(baseline, await census(f))), before, "the same Fleio objects");
        await settled();
    });

    it("rendered without it (the names follow the file): up moves each object to its new name, deleting none it keeps", async () => {
        rename(repo, "acme-cloud.yaml", "acme-2.yaml");
        const kept = ids(added(baseline, await census(f)));
        p.write(render());
        const up = await cliUpAsPreviewed(p);
        assert.match(up.out, /is held by another resource of this stack now/, up.out);
        assert.doesNotMatch(up.out, /interrupted run/);
        const now = ids(added(baseline, await census(f)));
        // The client, its service and its configuration are the same objects; the plan is new (its name follows the file).
        for (const kind of ["clients", "services", "configurations"] as const) assert.deepEqual(now[kind], kept[kind], kind);
        await settled();
    });
});

describe("a renamed data file keeps one owner per object: TypeScript program without aliases (dynamic provider, real engine)", function () {
    this.timeout(900_000);
    let em: RunningEmulator;
    let f: FleioDirect;
    let repo: string;
    let stack: Stack;
    let baseline: Census;
    const exactlyDeclared = async () => {
        const resources = (await stack.exportStack()).deployment.resources ?? [];
        assert.deepEqual(ids(added(baseline, await census(f))), idsInState(resources));
    };
    const settled = async () => {
        await exactlyDeclared();
        assert.deepEqual(changes((await stack.preview({ refresh: true })).changeSummary), {}, "every state entry points at an object Fleio has");
        const before = await f.apiCalls();
        assert.deepEqual(changes((await stack.preview()).changeSummary), {});
        assert.equal((await f.apiCalls()) - before, 0, "a no-change preview asks Fleio nothing");
    };

    before(async () => {
        em = await startEmulator({ seed: 84, deleteDelayMs: 50 });
        f = new FleioDirect(em);
        await f.defaultStaffPlanId();
        baseline = await census(f);
        repo = dataFolder();
        stack = await engineStack(async () => gitopsProgram(path.join(repo, "resellers")), { area: "integration", projectName: "fleio-renamed-ts", fleioUrl: em.url, fleioToken: em.staffToken, fresh: true });
        await upAsPreviewed(stack);
        await settled();
    });
    after(async () => {
        await em?.close();
        if (repo) fs.rmSync(repo, { recursive: true, force: true });
    });

    it("up after the rename: client, service and configuration stay the same objects, held by the new names; nothing the stack declares is deleted", async () => {
        const kept = ids(added(baseline, await census(f)));
        rename(repo, "acme.yaml", "acme-cloud.yaml");
        const up = await upAsPreviewed(stack);
        assert.match(up.stdout + up.stderr, /is held by another resource of this stack now/);
        const now = ids(added(baseline, await census(f)));
        for (const kind of ["clients", "services", "configurations"] as const) assert.deepEqual(now[kind], kept[kind], kind);
        await settled();
    });
});
