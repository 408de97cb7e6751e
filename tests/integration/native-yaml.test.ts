import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import { startEmulator, RunningEmulator } from "../../emulator";
import { repoRoot } from "../../scripts/engine";
import { FleioDirect } from "./support/fleio-direct";
import { CliProject } from "./support/cli-project";
import { cliDestroyAsPreviewed, cliUpAsPreviewed } from "./support/preview-matches-up";

/**
 * The native plugin (bin/pulumi-resource-fleio) under the real engine, driven the way a
 * user drives it: the seed workflow as a YAML program (examples/yaml) with plain
 * `pulumi` commands, then `pulumi import` of every resource by its Fleio id.
 */
const PROJECT = "fleio-seed-yaml";
const program = () => fs.readFileSync(path.join(repoRoot, "examples/yaml/Pulumi.yaml"), "utf8");
const counts = (out: string) => Object.fromEntries([...out.matchAll(/^\s+([+~=-]|\+-) (\d+) (created|updated|imported|deleted|replaced|to create|to update|to delete|to replace)/gm)].map((m) => [m[3], Number(m[2])]));

describe("native plugin: the seed workflow as a YAML program under the real engine", function () {
    this.timeout(300_000);
    let em: RunningEmulator;
    let f: FleioDirect;
    let p: CliProject;
    let out: Record<string, any>;

    before(async () => {
        em = await startEmulator({ seed: 14, deleteDelayMs: 50 });
        f = new FleioDirect(em);
        // An operator's Fleio has a default staff plan: where a reseller Fleio keeps goes when its plan is deleted.
        await f.defaultStaffPlanId();
        p = new CliProject("native-yaml", program());
        await p.initStack("dev", em.url, em.staffToken);
    });
    after(async () => {
        await p?.pulumi(["destroy", "--yes", "--stack", "dev"], true);
        await em?.close();
        p?.remove();
    });

    it("pulumi up makes the reseller setup in Fleio, and the token is a secret in state", async () => {
        const up = await cliUpAsPreviewed(p);
        assert.equal(counts(up.out).created, 11, up.out);
        out = await p.outputs();
        const live = await f.liveResellerService(out.resellerClientId);
        assert.equal(String(live?.id), out.resellerServiceId);
        assert.equal(String(live?.plan), out.resellerPlanId, "the reseller service is priced by the reseller plan");
        assert.equal(live?.url, "https://cloud.acme-reseller.example/");
        assert.equal((await f.ok("GET", `openstack/billing/plan/${out.resellerPlanId}`)).pricing_rules.length, 3);
        assert.ok(!p.stateText(PROJECT, "dev").includes(em.staffToken), "the token never appears in clear in state");
    });

    it("preview --expect-no-changes passes and asks Fleio nothing", async () => {
        const before = await f.apiCalls();
        await p.pulumi(["preview", "--expect-no-changes"]);
        assert.equal((await f.apiCalls()) - before, 0);
    });

    it("refresh after an out-of-band edit records it; up puts the declared value back", async () => {
        await f.ok("PATCH", `clients/${out.resellerClientId}`, { city: "Hamburg" });
        const refresh = await p.pulumi(["refresh", "--yes", "--skip-preview"]);
        assert.equal(counts(refresh.out).updated, 1, refresh.out);
        const preview = await p.pulumi(["preview", "--diff"]);
        assert.match(preview.out, /city: "Hamburg" => "Berlin"/);
        assert.equal(counts(preview.out)["to update"], 1, "only the reseller: its ids stay known, nothing downstream changes");
        await cliUpAsPreviewed(p);
        assert.equal((await f.ok("GET", `clients/${out.resellerClientId}`)).city, "Berlin");
        await p.pulumi(["preview", "--expect-no-changes"]);
    });

    it("a changed provider setting changes no resource: the preview is empty, and up records it with the provider", async () => {
        await p.pulumi(["config", "set", "fleio:timeoutSeconds", "45"]);
        await p.pulumi(["preview", "--expect-no-changes"]);
        await cliUpAsPreviewed(p);
        const provider = (JSON.parse(p.stateText(PROJECT, "dev")).checkpoint.latest.resources as { type: string; inputs: Record<string, unknown> }[]).find((r) => r.type === "pulumi:providers:fleio");
        assert.equal(provider?.inputs.timeoutSeconds, "45");
        await p.pulumi(["preview", "--expect-no-changes"]);
    });

    it("pulumi import --file takes every resource by its Fleio id; the generated code previews with no changes", async () => {
        const ids = [
            ["Reseller", "reseller", out.resellerClientId],
            ["OpenstackPlan", "reseller-plan", out.resellerPlanId],
            ["ResellerService", "reseller-service", out.resellerServiceId],
            ["FrontendDomain", "enduser-panel", out.resellerServiceId],
            ["Configuration", "reseller-configuration", out.configurationId],
            ["OpenstackPlan", "retail-plan", out.retailPlanId],
        ];
        const rules = (await f.ok<{ pricing_rules: { id: number }[] }>("GET", `openstack/billing/plan/${out.resellerPlanId}`)).pricing_rules;
        rules.forEach((r, i) => ids.push(["PricingRule", `rule-${i}`, String(r.id)]));
        const file = path.join(p.dir, "import.json");
        fs.writeFileSync(file, JSON.stringify({ resources: ids.map(([kind, name, id]) => ({ type: `fleio:index:${kind}`, name, id })) }));
        // A second stack of the same project: a user bringing existing objects under management.
        await p.initStack("imported", em.url, em.staffToken);
        const before = await f.apiCalls();
        const generated = path.join(p.dir, "generated.yaml");
        const imp = await p.pulumi(["import", "--file", file, "--protect=false", "--yes", "--out", generated]);
        assert.equal(counts(imp.out).imported, ids.length, imp.out);
        assert.ok((await f.apiCalls()) - before > 0);
        const code = fs.readFileSync(generated, "utf8");
        assert.match(code, /resellerClientId: \$\{reseller\.id\}/, "an owned object's owner is recovered and referenced");
        assert.match(code, /productId: '\d+'/, "the reseller service's product is recovered by id");
        assert.doesNotMatch(code, /clientId: '\d+'\n\s+domain/, "the panel's client is referenced, not copied");
        const main = program();
        const header = main.slice(0, main.indexOf("\nconfig:"));
        p.write(`${header}\n${code.slice(code.indexOf("resources:"))}`);
        const beforePreview = await f.apiCalls();
        await p.pulumi(["preview", "--expect-no-changes", "--stack", "imported"]);
        assert.equal((await f.apiCalls()) - beforePreview, 0);
        // Forget the imported stack without deleting what the first stack manages.
        await p.pulumi(["stack", "rm", "imported", "--force", "--yes"]);
        p.write(program());
        await p.pulumi(["stack", "select", "dev"]);
    });

    it("destroy: the plans and configuration are gone, the client Fleio keeps is suspended, and the notice says so", async () => {
        const destroy = await cliDestroyAsPreviewed(p);
        // The plugin's notice, through the engine's Log service (a plugin's stderr is hidden).
        assert.match(destroy.out, new RegExp(`Fleio kept client ${out.resellerClientId} .*suspended`));
        assert.equal((await f.ok("GET", `clients/${out.resellerClientId}`)).status, "suspended");
        assert.equal((await f.call("GET", `openstack/billing/plan/${out.resellerPlanId}`)).status, 404);
        assert.equal((await f.call("GET", `openstack/billing/plan/${out.retailPlanId}`)).status, 404);
        assert.equal((await f.call("GET", `configurations/${out.configurationId}`)).status, 404);
    });
});
