import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { LocalWorkspace } from "@pulumi/pulumi/automation";
import { parse } from "yaml";
import { startEmulator, RunningEmulator } from "../../emulator";
import { ensurePulumiCli } from "../../scripts/pulumi-cli";
import { PulumiCommand } from "@pulumi/pulumi/automation";
import { engineEnvVars, repoRoot } from "../../scripts/engine";
import { packagePlugin } from "../../scripts/package-plugin";
import { FleioDirect } from "./support/fleio-direct";
import { CliProject } from "./support/cli-project";
import { destroyAsPreviewed, upAsPreviewed } from "./support/preview-matches-up";

/**
 * `pulumi new <templates/…> --yes` with the config given on the command line, then `up`
 * against the emulator and an empty preview that asks Fleio nothing.
 *
 * YAML: plain `pulumi new`, `pulumi up`, with the plugin installed from its tarball.
 * TypeScript and GitOps (runtime nodejs): `pulumi new` loads the nodejs language host
 * before it saves config, and none can be built here, so the test runs
 * `pulumi new --generate-only` (the files as a user gets them), sets the template's
 * config prompts as `pulumi new` would (secrets as secrets), and runs the generated
 * index.ts through the Automation API, importing "pulumi-fleio" as a user's project does.
 */
const VERSION = (JSON.parse(fs.readFileSync(path.join(repoRoot, "package.json"), "utf8")) as { version: string }).version;
type TemplateConfig = Record<string, { description?: string; default?: string; secret?: boolean }>;
const templateConfig = (dir: string): TemplateConfig => (parse(fs.readFileSync(path.join(dir, "Pulumi.yaml"), "utf8")) as { template: { config: TemplateConfig } }).template.config;

describe("pulumi new templates: generated, configured, up against the emulator, then an empty preview", function () {
    this.timeout(420_000);
    let em: RunningEmulator;
    let f: FleioDirect;
    let work: string;

    before(async () => {
        em = await startEmulator({ seed: 23, deleteDelayMs: 50 });
        f = new FleioDirect(em);
        await f.defaultStaffPlanId();
        work = fs.mkdtempSync(path.join(os.tmpdir(), "fleio-templates-"));
    });
    after(async () => {
        await em?.close();
        if (work) fs.rmSync(work, { recursive: true, force: true });
    });

    for (const name of ["typescript", "yaml", "gitops"]) {
        it(`templates/${name} prompts for fleio:url and fleio:token, the token as a secret`, () => {
            const config = templateConfig(path.join(repoRoot, "templates", name));
            assert.ok(config["fleio:url"]?.description, "fleio:url is asked for");
            assert.equal(config["fleio:token"]?.secret, true, "fleio:token is a secret");
        });
    }

    it("templates only use the published package: no path into this repository", () => {
        for (const file of walk(path.join(repoRoot, "templates"))) {
            const text = fs.readFileSync(file, "utf8");
            assert.doesNotMatch(text, /\.\.\/|\/(sdk|provider|dist)\//, `${path.relative(repoRoot, file)} reaches into the repository`);
        }
    });

    it("yaml: pulumi new --yes with the config given, then up and an empty preview with 0 calls", async () => {
        const home = path.join(work, "yaml-home");
        fs.mkdirSync(home);
        const p = new CliProject("template-yaml", "", { pulumiHome: home });
        try {
            await p.pulumi(["plugin", "install", "resource", "fleio", VERSION, "--file", packagePlugin({ outDir: path.join(work, "plugin") })]);
            const dir = path.join(p.dir, "project");
            // With --yes, pulumi new stores a -c value as given (in clear) and skips a prompt with no
            // default: the token is set afterwards as a secret, as the docs say.
            await p.pulumi(["new", path.join(repoRoot, "templates", "yaml"), "--yes", "--name", "fleio-yaml-tpl", "--stack", "dev", "--dir", dir, "-c", `fleio:url=${em.url}`, "-c", "resellerDomain=cloud.yaml-tpl.example"]);
            assert.doesNotMatch(fs.readFileSync(path.join(dir, "Pulumi.dev.yaml"), "utf8"), /fleio:token/, "no token is asked for with --yes");
            await p.pulumi(["config", "set", "--secret", "fleio:token", em.staffToken, "--cwd", dir]);
            const stackConfig = fs.readFileSync(path.join(dir, "Pulumi.dev.yaml"), "utf8");
            assert.match(stackConfig, /fleio:token:\s*\n\s*secure:/, "the token is kept as a secret");
            assert.ok(!stackConfig.includes(em.staffToken));
            const inDir = (args: string[]) => p.pulumi([...args, "--cwd", dir]);
            await inDir(["up", "--yes", "--skip-preview"]);
            const out = JSON.parse((await inDir(["stack", "output", "--json"])).stdout) as { resellerClientId: string; endUserPanelUrl: string };
            assert.equal(out.endUserPanelUrl, "https://cloud.yaml-tpl.example/");
            assert.equal((await f.liveResellerService(out.resellerClientId))?.url, "https://cloud.yaml-tpl.example/");
            const before = await f.apiCalls();
            await inDir(["preview", "--expect-no-changes"]);
            assert.equal((await f.apiCalls()) - before, 0, "the preview asks Fleio nothing");
            await inDir(["destroy", "--yes", "--skip-preview"]);
        } finally {
            p.remove();
        }
    });

    for (const [name, check] of [
        ["typescript", async (o: Record<string, unknown>) => assert.equal((await f.liveResellerService(String(o.clientId)))?.url, "https://cloud.ts-tpl.example/")],
        ["gitops", async (o: Record<string, unknown>) => assert.deepEqual(Object.values(o.endUserPanels as Record<string, string>), ["https://cloud.first-reseller.example/"])],
    ] as const) {
        it(`${name}: pulumi new --generate-only, the template's config set, then up and an empty preview with 0 calls through the Automation API`, async () => {
            const cliDir = process.env.PULUMI_FLEIO_CLI_DIR ?? ensurePulumiCli();
            const backend = path.join(work, `${name}-backend`);
            fs.mkdirSync(backend);
            const p = new CliProject(`template-${name}`, "");
            const dir = path.join(p.dir, "project");
            try {
                // pulumi new writes the files, then stops at the nodejs language host this machine lacks.
                const made = await p.pulumi(["new", path.join(repoRoot, "templates", name), "--yes", "--generate-only", "--name", `fleio-${name}-tpl`, "--dir", dir], true);
                if (made.code !== 0) assert.match(made.out, /no language plugin 'pulumi-language-nodejs' found/, made.out);
                assert.ok(fs.existsSync(path.join(dir, "index.ts")) && fs.existsSync(path.join(dir, "package.json")));
                assert.match(fs.readFileSync(path.join(dir, "Pulumi.yaml"), "utf8"), new RegExp(`^name: fleio-${name}-tpl$`, "m"));
                // The user's `npm install` (pulumi-fleio from npm): here, this checkout's node_modules, where pulumi-fleio is the package itself.
                fs.symlinkSync(path.join(repoRoot, "node_modules"), path.join(dir, "node_modules"));

                const env = engineEnvVars({ backend, home: path.join(work, `${name}-home`), cliDir });
                const entry = path.join(dir, "index.ts");
                const program = async () => {
                    // The generated program as the user's project runs it; fresh on every run.
                    // eslint-disable-next-line @typescript-eslint/no-require-imports
                    require("ts-node").register({ transpileOnly: true, compilerOptions: { module: "commonjs" } });
                    delete require.cache[require.resolve(entry)];
                    // eslint-disable-next-line @typescript-eslint/no-require-imports
                    return { ...require(entry) };
                };
                const pulumiCommand = await PulumiCommand.get({ root: path.dirname(cliDir) });
                const stack = await LocalWorkspace.createStack({ stackName: "dev", projectName: `fleio-${name}-tpl`, program }, { workDir: dir, program, pulumiCommand, envVars: env });
                // What `pulumi new` does with -c: every prompt set, secrets as secrets, defaults where none is given.
                const given: Record<string, string> = { "fleio:url": em.url, "fleio:token": em.staffToken, resellerDomain: "cloud.ts-tpl.example" };
                for (const [key, c] of Object.entries(templateConfig(path.join(repoRoot, "templates", name)))) {
                    const value = given[key] ?? c.default;
                    if (value !== undefined) await stack.setConfig(key.includes(":") ? key : `fleio-${name}-tpl:${key}`, { value, secret: c.secret === true });
                }
                assert.ok(!fs.readFileSync(path.join(dir, "Pulumi.dev.yaml"), "utf8").includes(em.staffToken), "the token is kept as a secret");
                const up = await upAsPreviewed(stack, { color: "never" });
                const outputs = Object.fromEntries(Object.entries(up.outputs).map(([k, v]) => [k, v.value]));
                await check(outputs);
                const before = await f.apiCalls();
                const preview = await stack.preview({ color: "never" });
                assert.deepEqual(Object.entries(preview.changeSummary).filter(([op, n]) => op !== "same" && (n ?? 0) > 0), [], "an empty preview");
                assert.equal((await f.apiCalls()) - before, 0, "the preview asks Fleio nothing");
                await destroyAsPreviewed(stack, { color: "never" });
            } finally {
                p.remove();
            }
        });
    }
});

function walk(dir: string): string[] {
    return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? walk(path.join(dir, e.name)) : [path.join(dir, e.name)]));
}
