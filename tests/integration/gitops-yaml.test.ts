import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { startEmulator, RunningEmulator } from "../../emulator";
import { repoRoot } from "../../scripts/engine";
import { loadResellers, renderYamlProgram } from "../../sdk/gitops";
import { added, census, Census, ids, sorted } from "./support/census";
import { FleioDirect } from "./support/fleio-direct";
import { CliProject } from "./support/cli-project";
import { rulesOf } from "./support/onboarding-fixtures";
import { cliDestroyAsPreviewed, cliUpAsPreviewed } from "./support/preview-matches-up";

/**
 * The GitOps example's YAML variant under the real engine: a folder of data files
 * rendered by `pulumi-fleio gitops render-yaml` into a YAML program, run by the native
 * plugin with plain `pulumi` commands. Every step ends with Fleio holding exactly what
 * the stack's state declares.
 */
const PROJECT = "fleio-gitops-yaml";
const counts = (out: string) => Object.fromEntries([...out.matchAll(/^\s+([+~=-]|\+-) (\d+) (created|updated|deleted|replaced|to create|to update|to delete|to replace)/gm)].map((m) => [m[3], Number(m[2])]));
const ID_OUTPUT: Record<string, keyof ReturnType<typeof ids>> = { Reseller: "clients", OpenstackPlan: "plans", PricingRule: "rules", ResellerService: "services", Configuration: "configurations" };
const ID_FIELD: Record<string, string> = { Reseller: "clientId", OpenstackPlan: "planId", PricingRule: "ruleId", ResellerService: "serviceId", Configuration: "configurationId" };

describe("GitOps as a YAML program: render-yaml, up, no-change preview, refresh after drift, reprice, destroy (real engine)", function () {
    this.timeout(600_000);
    let em: RunningEmulator;
    let f: FleioDirect;
    let p: CliProject;
    let repo: string;
    let baseline: Census;

    const render = () => renderYamlProgram(loadResellers(path.join(repo, "resellers")), { project: PROJECT });
    /** The Fleio ids the stack's state holds, by kind. */
    const declared = () => {
        const out: Record<string, string[]> = { clients: [], plans: [], rules: [], services: [], configurations: [] };
        const resources = JSON.parse(p.stateText(PROJECT, "dev")).checkpoint.latest?.resources ?? [];
        for (const r of resources as { type: string; outputs?: Record<string, unknown> }[]) {
            const kind = r.type.replace("fleio:index:", "");
            if (ID_OUTPUT[kind]) out[ID_OUTPUT[kind]].push(String(r.outputs?.[ID_FIELD[kind]]));
        }
        return Object.fromEntries(Object.entries(out).map(([k, v]) => [k, sorted(v)]));
    };
    /** Fleio holds exactly what the stack declares (beyond what it held before the test). */
    const exactlyDeclared = async () => {
        const made = added(baseline, await census(f));
        assert.deepEqual(ids(made), declared());
        return made;
    };
    const noChangesNoCalls = async () => {
        const before = await f.apiCalls();
        await p.pulumi(["preview", "--expect-no-changes"]);
        assert.equal((await f.apiCalls()) - before, 0, "a no-change preview asks Fleio nothing");
    };

    before(async () => {
        em = await startEmulator({ seed: 58, deleteDelayMs: 50 });
        f = new FleioDirect(em);
        // An operator's Fleio has a default staff plan.
        await f.defaultStaffPlanId();
        baseline = await census(f);
        repo = fs.mkdtempSync(path.join(os.tmpdir(), "gitops-yaml-"));
        fs.mkdirSync(path.join(repo, "resellers"));
        for (const file of ["acme.yaml", "nimbus.yaml"]) fs.copyFileSync(path.join(repoRoot, "examples/gitops/resellers", file), path.join(repo, "resellers", file));
        // A data value with `${` in it: text, not a Pulumi YAML expression.
        const acme = path.join(repo, "resellers/acme.yaml");
        fs.writeFileSync(acme, fs.readFileSync(acme, "utf8").replace("address1: 1 Cloud Street", 'address1: "1 Cloud Street ${floor}"'));
        // The reseller's own plan too: a plan in the reseller's scope, its scope's default.
        fs.appendFileSync(path.join(repo, "resellers/acme.yaml"), "endUserPlan:\n  name: Acme retail\n  pricing:\n    - { key: small, displayName: m1.small per hour, resource: instance, price: \"0.035\", flavor: m1.small }\n");
        p = new CliProject("gitops-yaml", render());
        await p.initStack("dev", em.url, em.staffToken);
    });
    after(async () => {
        await em?.close();
        p?.remove();
        if (repo) fs.rmSync(repo, { recursive: true, force: true });
    });

    it("up onboards both resellers from the rendered program; Fleio holds exactly the declared objects", async () => {
        const up = await cliUpAsPreviewed(p);
        // The stack; acme: client, plan, 3 rules, service, domain, configuration, end-user plan and rule; nimbus: client, plan, rule, service, domain.
        assert.equal(counts(up.out).created, 16, up.out);
        const out = await p.outputs();
        assert.deepEqual(out.endUserPanels, { acme: "https://cloud.acme.example/", nimbus: "https://panel.nimbus.example/" });
        const made = await exactlyDeclared();
        assert.deepEqual(
            made.plans.map((x) => x.name).sort(),
            ["Acme retail", "Reseller pricing - acme", "Reseller pricing - nimbus"],
        );
        assert.equal(made.clients.length, 2);
        const acmeClient = JSON.parse(p.stateText(PROJECT, "dev")).checkpoint.latest.resources.find((r: { urn: string }) => r.urn.endsWith("::acme-client"));
        assert.equal((await f.ok("GET", `clients/${acmeClient.outputs.clientId}`)).address1, "1 Cloud Street ${floor}");
        assert.ok(made.services.every((s) => s.status === "active" && s.plan !== null));
        await noChangesNoCalls();
    });

    it("refresh finds an out-of-band edit; up puts the declared value back", async () => {
        const acme = JSON.parse(p.stateText(PROJECT, "dev")).checkpoint.latest.resources.find((r: { urn: string }) => r.urn.endsWith("::acme-client"));
        await f.ok("PATCH", `clients/${acme.outputs.clientId}`, { city: "Hamburg" });
        const refresh = await p.pulumi(["refresh", "--yes", "--skip-preview"]);
        assert.equal(counts(refresh.out).updated, 1, refresh.out);
        const preview = await p.pulumi(["preview", "--diff"]);
        assert.match(preview.out, /city: "Hamburg" => "Berlin"/);
        assert.equal(counts(preview.out)["to update"], 1, preview.out);
        await cliUpAsPreviewed(p);
        assert.equal((await f.ok("GET", `clients/${acme.outputs.clientId}`)).city, "Berlin");
        await exactlyDeclared();
        await noChangesNoCalls();
    });

    it("repricing a data file and rendering again updates the rule in place", async () => {
        const nimbus = path.join(repo, "resellers/nimbus.yaml");
        fs.writeFileSync(nimbus, fs.readFileSync(nimbus, "utf8").replace('price: "0.018"', 'price: "0.021"'));
        const before = declared();
        p.write(render());
        const up = await cliUpAsPreviewed(p);
        assert.deepEqual(counts(up.out), { updated: 1 }, up.out);
        const plan = JSON.parse(p.stateText(PROJECT, "dev")).checkpoint.latest.resources.find((r: { urn: string }) => r.urn.endsWith("::nimbus-reseller-plan"));
        assert.deepEqual((await rulesOf(f, String(plan.outputs.planId)))["m1.small per hour"], ["0:0.021"]);
        assert.deepEqual(declared(), before, "the same Fleio objects: updated, not replaced");
        await exactlyDeclared();
        await noChangesNoCalls();
    });

    it("destroy removes the plans, rules and configuration; Fleio keeps the clients and their services, suspended, and says so", async () => {
        const { clients, services } = declared();
        const defaultPlan = await f.defaultStaffPlanId();
        const destroy = await cliDestroyAsPreviewed(p);
        assert.equal(counts(destroy.out).deleted, 16, destroy.out);
        for (const id of clients) assert.match(destroy.out, new RegExp(`Fleio kept client ${id} .*suspended`));
        const made = added(baseline, await census(f));
        assert.deepEqual({ plans: made.plans, rules: made.rules, configurations: made.configurations }, { plans: [], rules: [], configurations: [] });
        // Fleio's default billing setting suspends instead of terminating: what it keeps is no longer the stack's.
        assert.deepEqual(made.clients.map((c) => [c.id, c.status]), clients.map((id) => [id, "suspended"]));
        assert.deepEqual(
            sorted(made.services).map((id) => made.services.find((s) => s.id === id)).map((s) => [s!.id, s!.status, s!.plan]),
            services.map((id) => [id, "suspended", defaultPlan]),
        );
        assert.equal(declared().clients.length, 0, "the stack holds nothing");
    });
});
