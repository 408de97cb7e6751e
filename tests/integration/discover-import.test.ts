import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import { startEmulator, RunningEmulator } from "../../emulator";
import { pulumiFleio } from "./support/cli";
import { CliProject } from "./support/cli-project";
import { FleioDirect } from "./support/fleio-direct";
import { seedHandMadeFleio } from "./support/hand-made-fleio";

/**
 * A hand-made Fleio brought under a YAML program on the native plugin with Pulumi's own
 * `pulumi import --file`, the file written by `discover --import-file`: the generated
 * code, appended to an empty program, previews with no changes and no Fleio call.
 */
const PROJECT = `name: fleio-imported
runtime: yaml
plugins:
  providers:
    - name: fleio
      path: bin
`;

describe("discover --import-file: pulumi import takes a hand-made Fleio under a YAML program", function () {
    this.timeout(600_000);
    let em: RunningEmulator;
    let f: FleioDirect;
    let p: CliProject;

    const stats = async () => (await (await fetch(`${em.url}/__emulator/stats`)).json()) as { total: number; byRoute: Record<string, number> };
    const resetStats = () => fetch(`${em.url}/__emulator/stats/reset`, { method: "POST", headers: { "content-type": "application/json" }, body: "{}" });
    const writes = async () => Object.entries((await stats()).byRoute).filter(([route]) => !route.startsWith("GET")).map(([route, n]) => `${route} ×${n}`);
    const fleioState = async () => (await fetch(`${em.url}/__emulator/state`)).json();

    before(async () => {
        em = await startEmulator({ seed: 37, deleteDelayMs: 50 });
        f = new FleioDirect(em);
        // 4 resellers: one with a configuration and an end-user plan, one without a domain, 2 on a shared plan (the catalog's).
        await seedHandMadeFleio(f, 4);
        p = new CliProject("discover-import", PROJECT);
        await p.initStack("dev", em.url, em.staffToken);
    });
    after(async () => {
        await em?.close();
        p?.remove();
    });

    it("import of the discovered file sends no write; the generated code previews with no changes and 0 Fleio calls; Fleio unchanged", async () => {
        const before0 = await fleioState();
        const importJson = path.join(p.dir, "import.json");
        const d = await pulumiFleio(["discover", "--out", path.join(p.dir, "resellers"), "--import-file", importJson, "--json"], { FLEIO_URL: em.url, FLEIO_TOKEN: em.staffToken });
        assert.equal(d.code, 0, d.stderr);
        const entries = (JSON.parse(fs.readFileSync(importJson, "utf8")) as { resources: { type: string; name: string; id: string }[] }).resources;
        assert.equal(entries.filter((r) => r.type === "fleio:index:Reseller").length, 4, "every reseller, the two on the shared plan too");
        assert.equal(entries.filter((r) => /^catalog-[a-z0-9-]+-plan$/.test(r.name)).length, 1, "the shared plan once, under its catalog name");
        assert.equal(JSON.parse(d.stdout).importFile.resources, entries.length);

        await resetStats();
        const generated = path.join(p.dir, "generated.yaml");
        const imp = await p.pulumi(["import", "--file", importJson, "--protect=false", "--yes", "--generate-code", "--out", generated]);
        assert.match(imp.out, new RegExp(`${entries.length} imported`), imp.out);
        assert.deepEqual(await writes(), [], "the import reads only");
        const code = fs.readFileSync(generated, "utf8");
        for (const r of entries) assert.ok(code.includes(`  ${r.name}:\n`), `the generated code declares ${r.name}`);
        // A name with dashes is referenced as ${["name"].id} in Pulumi YAML.
        assert.match(code, /resellerClientId: \$\{\["[a-z0-9-]+-client"\]\.id\}/, `an owned object's owner is referenced by its logical name:\n${code}`);

        p.write(`${PROJECT}${code.slice(code.indexOf("resources:"))}`);
        await resetStats();
        await p.pulumi(["preview", "--expect-no-changes"]);
        assert.equal((await stats()).total, 0, "the preview asks Fleio nothing");
        assert.deepEqual(await fleioState(), before0, "Fleio holds exactly what it held");
    });
});
