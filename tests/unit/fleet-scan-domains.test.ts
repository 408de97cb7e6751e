import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { runCli } from "../../cli";
import { DOMAIN_HOLDERS_ENV, sharedScan } from "../../provider/domain-holders";
import { makeReseller, useEmulator } from "../emulator/helpers";

// One scan of who holds which domain for a whole pipeline run: a job scans and writes it,
// the matrix's jobs (`fleet up --domain-holders <file>`) take it instead of each reading
// every reseller in Fleio.
describe("fleet scan-domains: one scan for a pipeline run's jobs", () => {
    const ctx = useEmulator();
    let dir: string;
    const saved = { env: { ...process.env }, error: console.error };
    beforeEach(() => (dir = fs.mkdtempSync(path.join(os.tmpdir(), "scan-domains-"))));
    afterEach(() => {
        process.env = { ...saved.env };
        fs.rmSync(dir, { recursive: true, force: true });
    });
    const calls = async () => ((await (await fetch(`${ctx.em.url}/__emulator/stats`)).json()) as { total: number }).total;
    const scanDomains = async (out: string) => {
        process.env.FLEIO_TOKEN = ctx.em.staffToken;
        console.error = () => undefined;
        try {
            return await runCli(["node", "pulumi-fleio", "fleet", "scan-domains", "--out", out, "--fleio-url", ctx.em.url]);
        } finally {
            console.error = saved.error;
        }
    };

    it("writes every held panel domain with its client and service (0600), and a job's stacks use it with no Fleio call", async () => {
        const held = await makeReseller(ctx.http);
        await ctx.http.ok("POST", `clients/${held.clientId}/update_reseller_enduser_panel_url`, { enduser_panel_url: "https://Cloud.Held.example/", service: held.serviceId });
        await makeReseller(ctx.http); // a reseller with no panel: holds nothing
        const file = path.join(dir, "holders.json");
        assert.equal(await scanDomains(file), 0);
        const written = JSON.parse(fs.readFileSync(file, "utf8"));
        assert.equal(fs.statSync(file).mode & 0o777, 0o600);
        assert.deepEqual(written.holders, { "cloud.held.example": { clientId: String(held.clientId), serviceId: String(held.serviceId) } });
        assert.ok(Math.abs(Date.now() - written.scannedAt) < 60_000);

        process.env[DOMAIN_HOLDERS_ENV] = file;
        const before = await calls();
        const got = await sharedScan(written.siteUrl, async () => assert.fail("a job with the pipeline's scan does not scan"));
        assert.deepEqual(got.get("cloud.held.example"), { clientId: String(held.clientId), serviceId: String(held.serviceId) });
        assert.equal((await calls()) - before, 0);
    });

    it("without a token: a usage error (2) naming FLEIO_TOKEN, and no file", async () => {
        delete process.env.FLEIO_TOKEN;
        console.error = () => undefined;
        try {
            assert.equal(await runCli(["node", "pulumi-fleio", "fleet", "scan-domains", "--out", path.join(dir, "x.json"), "--fleio-url", ctx.em.url]), 2);
        } finally {
            console.error = saved.error;
        }
        assert.ok(!fs.existsSync(path.join(dir, "x.json")));
    });
});
