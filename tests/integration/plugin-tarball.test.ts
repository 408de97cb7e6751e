import * as assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { startEmulator, RunningEmulator } from "../../emulator";
import { repoRoot } from "../../scripts/engine";
import { packagePlugin } from "../../scripts/package-plugin";
import { FleioDirect } from "./support/fleio-direct";
import { CliProject } from "./support/cli-project";
import { cliDestroyAsPreviewed, cliUpAsPreviewed } from "./support/preview-matches-up";

/**
 * `npm run package-plugin` makes a plugin that installs like any Registry provider's:
 * `pulumi plugin install resource fleio <version> --file <tarball>` into an empty
 * PULUMI_HOME outside this checkout (so no node_modules of ours can be found from it),
 * then a YAML program with no `plugins:` block runs against the emulator.
 */
const VERSION = (JSON.parse(fs.readFileSync(path.join(repoRoot, "package.json"), "utf8")) as { version: string }).version;
const program = (price: string) => `name: fleio-plugin-tarball
runtime: yaml
resources:
  plan:
    type: fleio:index:OpenstackPlan
    properties:
      name: Tarball plan
      currency: EUR
  small:
    type: fleio:index:PricingRule
    properties:
      planId: \${plan.planId}
      displayName: m1.small per hour
      resourceName: instance
      timeUnit: hour
      prices:
        - { from: "0", price: ${JSON.stringify(price)} }
outputs:
  planId: \${plan.planId}
`;

describe("the plugin tarball: pulumi plugin install --file, then a YAML program with no plugins: block", function () {
    this.timeout(300_000);
    let em: RunningEmulator;
    let f: FleioDirect;
    let p: CliProject;
    let work: string;
    let tarball: string;

    before(async () => {
        em = await startEmulator({ seed: 21, deleteDelayMs: 50 });
        f = new FleioDirect(em);
        await f.defaultStaffPlanId();
        work = fs.mkdtempSync(path.join(os.tmpdir(), "fleio-plugin-tarball-"));
        tarball = packagePlugin({ outDir: path.join(work, "out") });
        fs.mkdirSync(path.join(work, "home"));
        p = new CliProject("plugin-tarball", program("0.02"), { pulumiHome: path.join(work, "home") });
    });
    after(async () => {
        await p?.pulumi(["destroy", "--yes", "--stack", "dev"], true);
        await em?.close();
        p?.remove();
        if (work) fs.rmSync(work, { recursive: true, force: true });
    });

    it("is pulumi-resource-fleio-v<version>-<os>-<arch>.tar.gz holding one executable script and a README, under 2 MB", () => {
        const arch = ({ x64: "amd64", arm64: "arm64" } as Record<string, string>)[process.arch];
        assert.equal(path.basename(tarball), `pulumi-resource-fleio-v${VERSION}-${process.platform}-${arch}.tar.gz`);
        const entries = execFileSync("tar", ["-tvzf", tarball], { encoding: "utf8" }).trim().split("\n");
        assert.deepEqual(entries.map((l) => l.split(/\s+/).pop()).sort(), ["README.md", "pulumi-resource-fleio"]);
        assert.match(entries.find((l) => l.endsWith("pulumi-resource-fleio"))!, /^-rwx/);
        const mb = fs.statSync(tarball).size / 1024 / 1024;
        assert.ok(mb < 2, `${mb.toFixed(2)} MB`);
    });

    it("pulumi plugin install resource fleio <version> --file accepts it into an empty PULUMI_HOME", async () => {
        assert.deepEqual(fs.readdirSync(path.join(work, "home")), [], "PULUMI_HOME starts empty");
        await p.pulumi(["plugin", "install", "resource", "fleio", VERSION, "--file", tarball]);
        const listed = await p.pulumi(["plugin", "ls"]);
        assert.match(listed.stdout, new RegExp(`^fleio\\s+resource\\s+${VERSION.replace(/\./g, "\\.")}\\s`, "m"));
        const installed = path.join(work, "home", "plugins", `resource-fleio-v${VERSION}`, "pulumi-resource-fleio");
        assert.ok(fs.existsSync(installed));
        // Nothing of ours can be found from where the plugin runs: it carries all it loads.
        let dir = path.dirname(installed);
        for (; dir !== path.dirname(dir); dir = path.dirname(dir)) assert.equal(fs.existsSync(path.join(dir, "node_modules")), false, `no node_modules at ${dir}`);
    });

    it("a nested bad value is refused before anything is sent, naming its path and the fix (no {<nil>})", async () => {
        await p.pulumi(["stack", "init", "dev"]);
        await p.pulumi(["config", "set", "fleio:url", em.url]);
        await p.pulumi(["config", "set", "--secret", "fleio:token", em.staffToken]);
        // Not a decimal: Fleio's DecimalField refuses it too (a negative price it accepts, with a warning).
        p.write(program("0.05 EUR"));
        const before = await f.apiCalls();
        const preview = await p.pulumi(["preview"], true);
        assert.notEqual(preview.code, 0);
        assert.match(preview.out, /has a problem: prices\[0\]\.price must be a number such as "0\.05" \(got "0\.05 EUR"\)/, preview.out);
        assert.doesNotMatch(preview.out, /<nil>/);
        // The plan's check may ask Fleio nothing; the rule's failure stops every write.
        assert.deepEqual((await f.requests()).slice(-((await f.apiCalls()) - before)).filter((r) => r.method !== "GET"), []);
    });

    it("up makes the plan and its rule in Fleio; the next preview is empty and asks Fleio nothing", async () => {
        p.write(program("0.02"));
        await cliUpAsPreviewed(p);
        const { planId } = await p.outputs();
        const plan = await f.ok<{ name: string; pricing_rules: { display_name: string }[] }>("GET", `openstack/billing/plan/${planId}`);
        assert.equal(plan.name, "Tarball plan");
        assert.deepEqual(plan.pricing_rules.map((r) => r.display_name), ["m1.small per hour"]);
        const before = await f.apiCalls();
        await p.pulumi(["preview", "--expect-no-changes"]);
        assert.equal((await f.apiCalls()) - before, 0);
        await cliDestroyAsPreviewed(p);
        assert.equal(await f.exists(`openstack/billing/plan/${planId}`), false);
    });
});
