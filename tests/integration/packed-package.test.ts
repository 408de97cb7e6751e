import * as assert from "node:assert/strict";
import { execFile, execFileSync } from "node:child_process";
import { promisify } from "node:util";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { startEmulator, RunningEmulator } from "../../emulator";
import { repoRoot } from "../../scripts/engine";
import { FleioDirect } from "./support/fleio-direct";
import { seedHandMadeFleio } from "./support/hand-made-fleio";
import { assertFleetDidAsPreviewed } from "./support/preview-matches-up";

// A user installs the package from a tarball and writes their own program: the
// serialized provider must find `pulumi-fleio/provider` in *their* node_modules.
describe("the package built with npm pack, in a fresh project", function () {
    this.timeout(600_000);
    let em: RunningEmulator;
    let dir: string;
    let tarball: string;

    before(async () => {
        em = await startEmulator({ seed: 11 });
        // An operator's Fleio has its default staff plan (a fresh one has none, and then
        // Fleio could not delete the test's plan: it needs another plan to move services to).
        await new FleioDirect(em).defaultStaffPlanId();
        dir = fs.mkdtempSync(path.join(os.tmpdir(), "pulumi-fleio-user-"));
        // --ignore-scripts: no prepack build. The runner built dist/ already, and a build
        // now would rewrite it under the test files running beside this one.
        const packed = execFileSync("npm", ["pack", "--silent", "--ignore-scripts", "--pack-destination", dir], { cwd: repoRoot, encoding: "utf8" }).trim().split("\n").pop()!;
        tarball = path.join(dir, packed);
        const pulumiVersion = (JSON.parse(fs.readFileSync(path.join(repoRoot, "node_modules/@pulumi/pulumi/package.json"), "utf8")) as { version: string }).version;
        fs.writeFileSync(path.join(dir, "package.json"), JSON.stringify({ name: "user-project", private: true }));
        // --prefer-offline: the packages are in npm's cache from the repo's own install.
        execFileSync("npm", ["install", "--no-audit", "--no-fund", "--prefer-offline", path.join(dir, packed), `@pulumi/pulumi@${pulumiVersion}`], { cwd: dir, stdio: "ignore" });
    });
    after(async () => {
        await em?.close();
        if (dir) fs.rmSync(dir, { recursive: true, force: true });
    });

    it("ships every entry point package.json exports, and nothing of the repository's tools", () => {
        const files = new Set(execFileSync("tar", ["-tzf", tarball], { encoding: "utf8" }).trim().split("\n").map((f) => f.replace(/^package\//, "")));
        const manifest = JSON.parse(fs.readFileSync(path.join(repoRoot, "package.json"), "utf8")) as { exports: Record<string, string>; main: string; types: string };
        for (const [entry, target] of Object.entries(manifest.exports)) assert.ok(files.has(target.replace(/^\.\//, "")), `export ${entry} → ${target} is in the package`);
        for (const f of [manifest.main, manifest.types]) assert.ok(files.has(f), `${f} is in the package`);
        const tools = [...files].filter((f) => /^dist\/(emulator|scripts|tests|examples)\//.test(f));
        for (const f of ["dist/cli/index.js", "dist/fleet/index.js", "dist/contract/run.js", "dist/discover/index.js", "dist/sdk/gitops/index.js", "docs/gitops-format.md"]) assert.ok(files.has(f), `${f} is in the package`);
        assert.deepEqual(tools, [], "the emulator, scripts and tests stay in the repository");
        assert.equal(fs.existsSync(path.join(dir, "node_modules", "pulumi-fleio", "dist", "emulator")), false);
    });

    it("the installed package's bin/pulumi-resource-fleio is the native plugin: pulumi package get-schema reads it", async () => {
        const plugin = path.join(dir, "node_modules", "pulumi-fleio", "bin", "pulumi-resource-fleio");
        assert.ok(fs.existsSync(path.join(dir, "node_modules", ".bin", "pulumi-resource-fleio")), "the bin entry is linked");
        const { stdout } = await promisify(execFile)("pulumi", ["package", "get-schema", plugin], {
            cwd: dir,
            env: { ...process.env, PULUMI_HOME: path.join(dir, "home"), PULUMI_SKIP_UPDATE_CHECK: "true" },
            maxBuffer: 16 * 1024 * 1024,
        });
        const schema = JSON.parse(stdout) as { name: string; resources: Record<string, unknown> };
        assert.equal(schema.name, "fleio");
        assert.deepEqual(Object.keys(schema.resources).sort(), ["Configuration", "FrontendDomain", "OpenstackPlan", "PricingRule", "Reseller", "ResellerService"].map((k) => `fleio:index:${k}`));
    });

    it("runs up and destroy with the installed package", async () => {
        // The user's script: only the user's node_modules, no path into this repository.
        fs.writeFileSync(
            path.join(dir, "run.js"),
            `
const { LocalWorkspace, PulumiCommand } = require("@pulumi/pulumi/automation");
const fleio = require("pulumi-fleio");
(async () => {
  const backend = require("path").join(__dirname, "state");
  require("fs").mkdirSync(backend, { recursive: true });
  const env = { PULUMI_BACKEND_URL: "file://" + backend, PULUMI_CONFIG_PASSPHRASE: "x", PULUMI_HOME: require("path").join(__dirname, "home"),
    PULUMI_SKIP_UPDATE_CHECK: "true", PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION: "true" };
  const program = async () => {
    const plan = new fleio.OpenstackPlan("plan", { name: "Packed plan", currency: "EUR" });
    return { planId: plan.planId };
  };
  const stack = await LocalWorkspace.createOrSelectStack({ stackName: "dev", projectName: "user-project", program },
    { workDir: __dirname, envVars: env, pulumiCommand: await PulumiCommand.get({ root: process.env.CLI_ROOT }) });
  await stack.setAllConfig({ "fleio:url": { value: process.env.EM_URL }, "fleio:token": { value: process.env.EM_TOKEN, secret: true } });
  const up = await stack.up();
  const state = require("fs").readFileSync(require("path").join(backend, ".pulumi/stacks/user-project/dev.json"), "utf8");
  const destroyed = await stack.destroy();
  console.log(JSON.stringify({ planId: up.outputs.planId.value, up: up.summary.resourceChanges, destroy: destroyed.summary.resourceChanges,
    repoPathInState: state.includes(${JSON.stringify(repoRoot)}), tokenInState: state.includes(process.env.EM_TOKEN) }));
})().catch((e) => { console.error(e.message); process.exit(1); });
`,
        );
        const cliDir = process.env.PULUMI_FLEIO_CLI_DIR!;
        // Asynchronous: the emulator answers from this very process.
        const { stdout: res } = await promisify(execFile)("node", ["run.js"], {
            cwd: dir,
            encoding: "utf8",
            env: { ...process.env, CLI_ROOT: path.dirname(cliDir), PATH: `${cliDir}${path.delimiter}${process.env.PATH}`, EM_URL: em.url, EM_TOKEN: em.staffToken, PULUMI_FLEIO_NODE_MODULES: "" },
        });
        const r = JSON.parse(res.trim().split("\n").pop()!) as { planId: string; up: { create: number }; destroy: { delete: number }; repoPathInState: boolean; tokenInState: boolean };
        assert.equal(r.up.create, 2, "stack + plan created");
        assert.equal(r.destroy.delete, 2);
        assert.equal(r.repoPathInState, false, "the serialized provider holds no path of this repository");
        assert.equal(r.tokenInState, false, "the token never reaches state");
        const gone = await fetch(`${em.url}/backend/staffapi/openstack/billing/plan/${r.planId}`, { headers: { Authorization: `Token ${em.staffToken}` } });
        assert.equal(gone.status, 404, "destroy deleted the plan in Fleio");
    });
    it("runs npx pulumi-fleio discover, fleet preview, fleet up and contract from the installed package", async () => {
        const cliDir = process.env.PULUMI_FLEIO_CLI_DIR!;
        const f = new FleioDirect(em);
        await seedHandMadeFleio(f, 3);
        // Only the user's project: no path into this repository, credentials from the environment.
        const env = { ...process.env, PATH: `${cliDir}${path.delimiter}${process.env.PATH}`, FLEIO_URL: em.url, FLEIO_TOKEN: em.staffToken, PULUMI_CONFIG_PASSPHRASE: "x", PULUMI_FLEIO_NODE_MODULES: "" };
        const npx = async (args: string[]) => {
            try {
                const r = await promisify(execFile)("npx", ["--no-install", "pulumi-fleio", ...args], { cwd: dir, encoding: "utf8", env, maxBuffer: 64 << 20 });
                return { code: 0, stdout: r.stdout, stderr: r.stderr };
            } catch (e) {
                const x = e as { code?: number; stdout?: string; stderr?: string };
                return { code: typeof x.code === "number" ? x.code : 1, stdout: x.stdout ?? "", stderr: x.stderr ?? "" };
            }
        };
        const help = await npx(["--help"]);
        assert.equal(help.code, 0);
        for (const sub of ["discover", "fleet", "contract"]) assert.match(help.stdout, new RegExp(`\\n  ${sub} `));

        const writes = async () => Object.entries(((await (await fetch(`${em.url}/__emulator/stats`)).json()) as { byRoute: Record<string, number> }).byRoute).filter(([k]) => !k.startsWith("GET")).length;
        await fetch(`${em.url}/__emulator/stats/reset`, { method: "POST", headers: { "content-type": "application/json" }, body: "{}" });
        const discovered = await npx(["discover", "--out", "resellers"]);
        assert.equal(discovered.code, 0, discovered.stderr);
        assert.match(discovered.stdout, /discover: 3 resellers in resellers: 3 new/, "every hand-made reseller is written, the 2 on one plan too");
        assert.match(discovered.stdout, /catalog: 1 plans in \S+: 1 new/, "their shared plan is described once, in the catalog");
        assert.equal(await writes(), 0);

        const fleet = (op: string) => npx(["fleet", op, "--data", "resellers", "--backend", `file://${path.join(dir, "fleet-state")}`, "--shards", "2", "--json"]);
        fs.mkdirSync(path.join(dir, "fleet-state"));
        const preview = await fleet("preview");
        assert.equal(preview.code, 0, preview.stdout + preview.stderr);
        assert.ok((JSON.parse(preview.stdout) as { ok: boolean }).ok);
        const up = await fleet("up");
        assert.equal(up.code, 0, up.stdout + up.stderr);
        const report = JSON.parse(up.stdout) as { ok: boolean; stacks: { changes: Record<string, number> }[] };
        assert.ok(report.ok);
        assertFleetDidAsPreviewed(JSON.parse(preview.stdout), JSON.parse(up.stdout));
        assert.equal(report.stacks.reduce((n, s) => n + (s.changes.create ?? 0), 0) > 0, true, "the resources were taken over");
        assert.equal(await writes(), 0, "taking them over sent no write");

        const contract = await npx(["contract"]);
        assert.equal(contract.code, 0, contract.stdout + contract.stderr);
        assert.match(contract.stdout, /verdict: this Fleio fits pulumi-fleio/);
        const usage = await npx(["fleet", "sideways", "--data", "x", "--backend", "file:///nowhere"]);
        assert.equal(usage.code, 2, "a usage error");
        assert.doesNotMatch(usage.stderr, /\n\s+at /, "no stack trace");
    });
});
