import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { chooseProvider, projectPlugins } from "../../fleet/provider-choice";
import { loadResellers } from "../../sdk/gitops";

describe("fleet: which provider serves the stacks comes from the flag or the data folder", () => {
    const folder = (settings?: string) => {
        const dir = fs.mkdtempSync(path.join(os.tmpdir(), "fleet-provider-"));
        if (settings !== undefined) fs.writeFileSync(path.join(dir, ".fleio-fleet"), settings);
        return dir;
    };

    it("default dynamic; .fleio-fleet's provider; a flag that agrees or stands alone", () => {
        assert.equal(chooseProvider(folder(), undefined), "dynamic");
        assert.equal(chooseProvider(folder("provider: native\n"), undefined), "native");
        assert.equal(chooseProvider(folder("provider: native\n"), "native"), "native");
        assert.equal(chooseProvider(folder(), "native"), "native");
    });

    it("a flag that disagrees, an unknown provider or setting is refused naming the file", () => {
        assert.throws(() => chooseProvider(folder("provider: native\n"), "dynamic"), /--provider dynamic disagrees with .*\.fleio-fleet \(provider: native\)/);
        assert.throws(() => chooseProvider(folder("provider: plugin\n"), undefined), /\.fleio-fleet: provider must be "dynamic" or "native" \(got "plugin"\)/);
        assert.throws(() => chooseProvider(folder("provider: native\nshards: 4\n"), undefined), /\.fleio-fleet: unknown setting shards/);
    });

    it(".fleio-fleet is not read as a reseller file; native names the package's plugin folder in the project", () => {
        const dir = folder("provider: native\n");
        assert.equal(loadResellers(dir).size, 0);
        const plugins = projectPlugins("native").plugins!.providers;
        assert.equal(plugins[0].name, "fleio");
        assert.ok(fs.existsSync(path.join(plugins[0].path, "pulumi-resource-fleio")), plugins[0].path);
        assert.deepEqual(projectPlugins("dynamic"), {});
    });
});
