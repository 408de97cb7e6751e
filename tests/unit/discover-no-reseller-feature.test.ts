import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { startEmulator, RunningEmulator } from "../../emulator";
import { pulumiFleio } from "../integration/support/cli";
import { FleioDirect } from "../integration/support/fleio-direct";

/**
 * `pulumi-fleio discover` on a Fleio released after the reseller feature was removed
 * (the emulator's resellerFeature: false; shared/fleio-api.md, "Versions and the
 * reseller feature"): one line saying so, exit code 1, no file written, no write sent,
 * and no request per client.
 */
describe("discover on a Fleio without the reseller feature says so in one line and writes nothing", function () {
    this.timeout(60_000);
    let em: RunningEmulator;
    let dir: string;

    before(async () => {
        em = await startEmulator({ seed: 5, resellerFeature: false });
        const f = new FleioDirect(em);
        for (let i = 0; i < 5; i++)
            await f.ok("POST", "clients", { first_name: `C${i}`, last_name: "L", email: `c${i}@x.example`, phone: "1", address1: "a", city: "c", zip_code: "1", country: "DE", currency: "EUR" });
        dir = fs.mkdtempSync(path.join(os.tmpdir(), "discover-nofeature-"));
    });
    after(async () => {
        await em?.close();
        if (dir) fs.rmSync(dir, { recursive: true, force: true });
    });

    it("exit 1, one line naming the missing feature, no folder made, GET requests only and no request per client", async () => {
        await fetch(`${em.url}/__emulator/stats/reset`, { method: "POST", headers: { "content-type": "application/json" }, body: "{}" });
        const out = path.join(dir, "resellers");
        const r = await pulumiFleio(["discover", "--out", out, "--import-file", path.join(dir, "import.json")], { FLEIO_URL: em.url, FLEIO_TOKEN: em.staffToken });
        assert.equal(r.code, 1, r.stdout + r.stderr);
        const lines = r.stderr.trim().split("\n").filter((l) => !l.startsWith("[discover]"));
        assert.equal(lines.length, 1, r.stderr);
        assert.match(lines[0], /^discover: this Fleio has no reseller feature \(no product of type reseller, and clients\/\d+\/reseller_services answers 404/);
        assert.equal(r.stdout, "");
        assert.ok(!fs.existsSync(out), "no data folder");
        assert.ok(!fs.existsSync(path.join(dir, "import.json")), "no import file");
        const stats = (await (await fetch(`${em.url}/__emulator/stats`)).json()) as { total: number; byRoute: Record<string, number> };
        assert.deepEqual(Object.keys(stats.byRoute).filter((k) => !k.startsWith("GET")), []);
        assert.ok(stats.total <= 8, `${stats.total} requests: the lists and one probe, not one per client`);
    });
});
