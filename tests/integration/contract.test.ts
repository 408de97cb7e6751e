import * as assert from "node:assert/strict";
import { execFile } from "node:child_process";
import * as http from "node:http";
import type { AddressInfo } from "node:net";
import * as path from "node:path";
import { startEmulator, RunningEmulator } from "../../emulator";
import { runContract } from "../../contract/run";
import type { ContractReport } from "../../contract/report";
import { FleioDirect } from "./support/fleio-direct";

const cli = path.resolve(__dirname, "../../contract/cli.js");

function runCli(args: string[], env: Record<string, string>): Promise<{ code: number; stdout: string; stderr: string }> {
    return new Promise((resolve) => {
        execFile(process.execPath, [cli, ...args], { env: { PATH: process.env.PATH ?? "", ...env }, timeout: 60_000 }, (err, stdout, stderr) => {
            const code = err ? (typeof (err as { code?: unknown }).code === "number" ? (err as { code: number }).code : 1) : 0;
            resolve({ code, stdout, stderr });
        });
    });
}

const fails = (r: ContractReport) => r.checks.filter((c) => c.status === "FAIL");
const lines = (r: ContractReport) => r.checks.map((c) => `${c.status}  ${c.check}  ${c.detail}`).join("\n");

describe("the contract suite against the emulator", function () {
    this.timeout(120_000);
    let em: RunningEmulator;
    let f: FleioDirect;
    // The emulator's admin endpoints take state changes as JSON only (no cross-site form posts).
    const admin = async <T>(p: string, method = "GET"): Promise<T> =>
        (await (await fetch(`${em.url}/__emulator/${p}`, { method, headers: method === "GET" ? {} : { "content-type": "application/json" }, body: method === "GET" ? undefined : "{}" })).json()) as T;

    before(async () => {
        em = await startEmulator({ seed: 41, deleteDelayMs: 50 });
        f = new FleioDirect(em);
        // An operator's Fleio, not a fresh one: it has its default staff plan.
        await f.defaultStaffPlanId();
    });
    after(async () => {
        await em?.close();
    });

    it("read-only mode: the emulator fits, and only GET requests reach Fleio", async () => {
        await admin("stats/reset", "POST");
        const earlier = (await admin<unknown[]>("requests")).length;
        const r = await runContract({ url: em.url, token: em.staffToken, env: {} });
        assert.deepEqual(fails(r), [], lines(r));
        assert.equal(r.verdict, "fits");
        assert.equal(r.exitCode, 0);
        assert.match(r.verdictLine, /^verdict: this Fleio fits pulumi-fleio \(\d+ passed, \d+ warnings?\)$/);
        for (const check of ["auth", "url", "plan-options", "rule-options", "reseller-product", "shape:plans", "shape:configurations"])
            assert.ok(r.checks.some((c) => c.check === check && c.status === "PASS"), `${check} passes:\n${lines(r)}`);

        const stats = await admin<{ total: number; byRoute: Record<string, number> }>("stats");
        assert.ok(stats.total >= 15, `the checks asked Fleio something (${stats.total} requests)`);
        assert.deepEqual(Object.keys(stats.byRoute).filter((k) => !k.startsWith("GET ")), [], "no route but GET was called");
        const log = (await admin<{ method: string; path: string }[]>("requests")).slice(earlier);
        assert.deepEqual(log.filter((x) => x.method !== "GET").map((x) => `${x.method} ${x.path}`), []);
    });

    it("--write: every resource goes through create → read → update → delete, and nothing of its naming space stays active", async () => {
        // Objects outside the naming space, which the round must leave exactly as they are.
        const bystander = await f.ok<{ id: number }>("POST", "clients", {
            first_name: "Bea", last_name: "Bystander", email: "bea@bystander.example", phone: "1", address1: "a", city: "c", zip_code: "1", country: "DE", currency: "EUR", create_auto_order_service: false,
        });
        const planBefore = await f.ok("GET", "openstack/billing/plan?page_size=1000");
        const configsBefore = await f.ok("GET", "configurations?page_size=1000");
        const clientBefore = await f.ok("GET", `clients/${bystander.id}`);

        const prefix = "pf-contract-t41";
        // A bounded wait for deletes: a client Fleio only suspends must show up as a line, not as a test timeout.
        const r = await runContract({ url: em.url, token: em.staffToken, env: { FLEIO_DELETE_TIMEOUT_SECONDS: "20" }, write: true, prefix });
        assert.deepEqual(fails(r), [], lines(r));
        assert.equal(r.verdict, "fits");
        for (const kind of ["Reseller", "OpenstackPlan", "PricingRule", "ResellerService", "FrontendDomain", "Configuration"])
            for (const step of ["create", "read", "update", "delete"])
                assert.ok(r.checks.some((c) => c.check === `write:${kind}` && c.status === "PASS" && c.detail.startsWith(`${step}:`)), `${kind} ${step} passes:\n${lines(r)}`);
        const log = await admin<{ method: string; path: string }[]>("requests");
        assert.ok(log.some((x) => x.method === "POST" && x.path.endsWith("/create_reseller_service")), "the round really ordered a reseller service");

        // Nothing of the naming space is active: gone, or suspended where Fleio's setting says so, and then reported.
        const stayed = r.checks.filter((c) => c.check === "write:stayed").map((c) => c.detail).join(" ");
        const clients = (await f.ok<{ objects: { id: number; last_name: string; status: string }[] }>("GET", "clients?page_size=1000")).objects.filter((c) => c.last_name === prefix);
        for (const c of clients.filter((x) => x.status !== "deleting")) {
            // "deleting" is Fleio on its way to removing the client (the provider counts it as gone).
            assert.equal(c.status, "suspended", `client ${c.id} of the naming space is ${c.status}`);
            assert.ok(stayed.includes(String(c.id)), `the kept client ${c.id} is reported: ${stayed}`);
        }
        const named = (p: string, key: string) => f.ok<{ objects: Record<string, string>[] }>("GET", `${p}?page_size=1000`).then((x) => x.objects.filter((o) => String(o[key]).includes(prefix)));
        assert.deepEqual(await named("openstack/billing/plan", "name"), []);
        assert.deepEqual(await named("openstack/billing/pricerule", "display_name"), []);
        assert.deepEqual(await named("configurations", "name"), []);
        // Fleio renders a service's client as {id, name, external_billing_id}.
        const services = (await f.ok<{ objects: { id: number; status: string; client: { id: number } }[] }>("GET", "billing/services?page_size=1000")).objects.filter((x) =>
            clients.some((c) => c.id === x.client.id),
        );
        assert.ok(services.length > 0, "the round's reseller service is listed");
        for (const s of services.filter((x) => x.status !== "terminated")) {
            assert.equal(s.status, "suspended", `service ${s.id} of the naming space is ${s.status}`);
            assert.ok(stayed.includes(String(s.id)), `the kept service ${s.id} is reported: ${stayed}`);
        }
        assert.ok(stayed.length > 0, "the round says what stayed (or that nothing did)");

        // And nothing outside it changed, but for one thing: a reseller service Fleio keeps
        // (suspended) is moved to the staff default plan, so that its own plan can be deleted.
        const keptServices = services.filter((x) => x.status === "suspended").length;
        type PlanPage = { objects: { is_default: boolean; reseller_resources: number | null; services_count: number }[] };
        const planAfter = await f.ok<PlanPage>("GET", "openstack/billing/plan?page_size=1000");
        const expected = structuredClone(planBefore) as PlanPage;
        for (const plan of expected.objects) if (plan.is_default && plan.reseller_resources === null) plan.services_count += keptServices;
        assert.deepEqual(planAfter, expected);
        // Fleio's reseller module gave the test reseller a "default" configuration in its own
        // scope, which Fleio keeps with the suspended service; everything else is as it was.
        type ConfigPage = { objects: { name: string; reseller_resources: number | null }[] };
        const configsAfter = await f.ok<ConfigPage>("GET", "configurations?page_size=1000");
        const extra = configsAfter.objects.filter((c) => !(configsBefore as ConfigPage).objects.some((b) => JSON.stringify(b) === JSON.stringify(c)));
        assert.ok(extra.every((c) => c.name === "default" && c.reseller_resources !== null) && extra.length <= keptServices, JSON.stringify(extra));
        assert.deepEqual(
            configsAfter.objects.filter((c) => !extra.includes(c)),
            (configsBefore as ConfigPage).objects,
        );
        assert.deepEqual(await f.ok("GET", `clients/${bystander.id}`), clientBefore);
    });

    it("--api-scope reseller: a reseller's own token is checked against the reseller API; staff-only checks say so", async () => {
        const client = await f.ok<{ id: number }>("POST", "clients", {
            first_name: "Rita", last_name: "Reseller", email: "rita@reseller.example", phone: "1", address1: "a", city: "c", zip_code: "1", country: "DE", currency: "EUR", create_auto_order_service: false,
        });
        const product = (await f.ok<{ objects: { id: number; product_type: string }[] }>("GET", "billing/products?page_size=100")).objects.find((x) => x.product_type === "reseller");
        assert.ok(product, "the emulator's setup has a reseller product");
        const cycle = (await f.ok<{ objects: { id: number; product: number }[] }>("GET", "billing/productcycles?page_size=100")).objects.find((c) => c.product === product.id);
        assert.ok(cycle, "with a cycle");
        await f.ok("POST", `clients/${client.id}/create_reseller_service`, { product_id: product.id, product_cycle_id: cycle.id });
        const { token } = (await (await fetch(`${em.url}/__emulator/reseller-token`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ client_id: client.id }) })).json()) as { token: string };

        const r = await runContract({ url: em.url, token, apiScope: "reseller", env: {} });
        assert.deepEqual(fails(r), [], lines(r));
        assert.equal(r.verdict, "fits");
        assert.match(r.checks.find((c) => c.check === "url")!.detail, /\/backend\/resellerapi\/clients answers JSON/);
        assert.equal(r.checks.find((c) => c.check === "products")?.status, "INFO", "billing/products is staff-only");
        assert.ok(!r.checks.some((c) => c.check === "destroy-setting"), "the billing setting is a staff matter");

        // The reseller's own write round: its plan, rule and configuration, created and deleted through its API.
        const w = await runContract({ url: em.url, token, apiScope: "reseller", write: true, prefix: "pf-rita", env: {} });
        assert.deepEqual(fails(w), [], lines(w));
        assert.equal(w.verdict, "fits");
        for (const kind of ["OpenstackPlan", "PricingRule", "Configuration"])
            assert.ok(w.checks.some((c) => c.check === `write:${kind}` && c.status === "PASS"), `${kind} went through its round: ${lines(w)}`);
        const left = (await f.ok<{ objects: { name: string }[] }>("GET", "openstack/billing/plan?page_size=1000")).objects.filter((p) => p.name.includes("pf-rita"));
        assert.ok(left.length <= 1, `at most the reseller's last plan, which Fleio keeps, stays: ${JSON.stringify(left)}`);
    });

    it("a wrong token: FAIL auth with the fix, exit code 1, and the token is not echoed", async () => {
        const wrong = "0123456789abcdef0123456789abcdef01234567";
        const r = await runContract({ url: em.url, token: wrong, env: {} });
        assert.equal(r.verdict, "misfit");
        assert.equal(r.exitCode, 1);
        const auth = r.checks.find((c) => c.check === "auth");
        assert.equal(auth?.status, "FAIL", lines(r));
        assert.match(auth!.detail, /token is wrong or revoked; set FLEIO_TOKEN/);
        assert.match(r.verdictLine, /^verdict: does NOT fit: auth failed/);
        assert.ok(!lines(r).includes(wrong) && !r.verdictLine.includes(wrong));
    });

    it("a URL that serves an HTML page: FAIL url, pointing at a frontend", async () => {
        const panel = http.createServer((_req, res) => res.writeHead(200, { "content-type": "text/html" }).end("<!doctype html><html><body>Fleio panel</body></html>"));
        await new Promise<void>((ok) => panel.listen(0, "127.0.0.1", ok));
        try {
            const r = await runContract({ url: `http://127.0.0.1:${(panel.address() as AddressInfo).port}`, token: em.staffToken, env: {} });
            const url = r.checks.find((c) => c.check === "url");
            assert.equal(url?.status, "FAIL", lines(r));
            assert.match(url!.detail, /fleio:url points at a frontend/);
            assert.equal(r.exitCode, 1);
        } finally {
            panel.close();
        }
    });

    it("version drift: a field the provider reads is missing, and the suite FAILs naming the field and the endpoint", async () => {
        // A Fleio whose plan list lost "is_default" (and whose rule prices are text): a proxy in front of the emulator.
        const proxy = http.createServer(async (req, res) => {
            const upstream = await fetch(`${em.url}${req.url}`, { headers: { authorization: String(req.headers.authorization ?? "") } });
            let body = await upstream.text();
            if (req.url?.startsWith("/backend/staffapi/openstack/billing/plan?")) {
                const page = JSON.parse(body) as { objects: Record<string, unknown>[] };
                for (const o of page.objects) delete o.is_default;
                body = JSON.stringify(page);
            }
            res.writeHead(upstream.status, { "content-type": upstream.headers.get("content-type") ?? "application/json" }).end(body);
        });
        await new Promise<void>((ok) => proxy.listen(0, "127.0.0.1", ok));
        try {
            const r = await runContract({ url: `http://127.0.0.1:${(proxy.address() as AddressInfo).port}`, token: em.staffToken, env: {} });
            const drift = r.checks.find((c) => c.check === "shape:plans" && c.status === "FAIL");
            assert.ok(drift, lines(r));
            assert.match(drift.detail, /^openstack\/billing\/plan: "objects\[\]\.is_default" is missing/);
            assert.equal(r.verdict, "misfit");
            assert.match(r.verdictLine, /does NOT fit: shape:plans/);
        } finally {
            proxy.close();
        }
    });

    it("the CLI prints one line per check and the verdict line, with the token from FLEIO_TOKEN", async () => {
        const out = await runCli(["--url", em.url], { FLEIO_TOKEN: em.staffToken });
        assert.equal(out.code, 0, out.stderr + out.stdout);
        const printed = out.stdout.trim().split("\n");
        assert.match(printed[printed.length - 1], /^verdict: this Fleio fits pulumi-fleio \(\d+ passed, \d+ warnings?\)$/);
        assert.ok(printed.slice(0, -1).every((l) => /^(PASS|WARN|FAIL|INFO) {2}\S+ {2}\S/.test(l)), out.stdout);
        assert.ok(!out.stdout.includes(em.staffToken));

        const json = await runCli(["--url", em.url, "--json"], { FLEIO_TOKEN: em.staffToken });
        assert.equal(json.code, 0);
        assert.equal(JSON.parse(json.stdout).verdict, "fits");

        const wrong = await runCli(["--url", em.url], { FLEIO_TOKEN: "0123456789abcdef0123456789abcdef01234567" });
        assert.equal(wrong.code, 1);
        assert.match(wrong.stdout, /^FAIL {2}auth {2}/m);
    });

    it("the CLI answers usage errors with exit code 2", async () => {
        assert.equal((await runCli([], { FLEIO_TOKEN: em.staffToken })).code, 2, "no --url");
        assert.equal((await runCli(["--url", em.url], {})).code, 2, "no FLEIO_TOKEN");
        assert.equal((await runCli(["--url", em.url, "--api-scope", "admin"], { FLEIO_TOKEN: em.staffToken })).code, 2, "unknown scope");
        assert.equal((await runCli(["--url", em.url, "--write", "--prefix", "Bad Prefix"], { FLEIO_TOKEN: em.staffToken })).code, 2, "bad prefix");
        const help = await runCli(["--help"], {});
        assert.equal(help.code, 0);
        assert.match(help.stdout, /--write/);
    });
});

describe("the contract suite's write round on a factory Fleio (no default staff plan)", function () {
    this.timeout(120_000);
    let em: RunningEmulator;
    let f: FleioDirect;

    before(async () => {
        // The emulator's default setup: Fleio after its migrations plus a reseller product, and no plan at all.
        em = await startEmulator({ seed: 43, deleteDelayMs: 50 });
        f = new FleioDirect(em);
    });
    after(async () => {
        await em?.close();
    });

    it("leaves Fleio as it found it but for what it lists as kept, with why; no PASS line claims a delete that did not happen", async () => {
        type Obj = { id: number; name?: string; status?: string; is_default?: boolean; reseller_resources?: number | null };
        const all = async (path: string) => (await f.ok<{ objects: Obj[] }>("GET", `${path}?page_size=10000`)).objects;
        const before = { plans: await all("openstack/billing/plan"), configurations: await all("configurations"), clients: await all("clients") };
        assert.deepEqual(before.plans, [], "a factory Fleio has no plan");

        const prefix = "pf-contract-f43";
        const r = await runContract({ url: em.url, token: em.staffToken, env: { FLEIO_DELETE_TIMEOUT_SECONDS: "20" }, write: true, prefix });
        assert.deepEqual(fails(r), [], lines(r));
        const stayed = r.checks.filter((c) => c.check === "write:stayed").map((c) => c.detail).join(" ");

        // Every PASS delete line that says an object is gone is true.
        const paths: Record<string, string> = { OpenstackPlan: "openstack/billing/plan", PricingRule: "openstack/billing/pricerule", Configuration: "configurations" };
        for (const c of r.checks.filter((x) => x.status === "PASS" && x.detail.startsWith("delete:"))) {
            const gone = / (\w+) (\d+) is gone$/.exec(c.detail);
            if (gone && paths[gone[1]]) assert.equal((await f.call("GET", `${paths[gone[1]]}/${gone[2]}`)).status, 404, `${c.check}: ${c.detail}`);
            else assert.match(c.detail, /^delete: (sent; Fleio kept \w+ \d+ suspended|FrontendDomain \d+ is gone)/, `${c.check}: ${c.detail}`);
        }

        // What Fleio holds now that it did not: exactly what the round lists as kept.
        const fresh = <T extends Obj>(b: T[], a: T[]) => a.filter((x) => !b.some((y) => y.id === x.id));
        const plans = fresh(before.plans, await all("openstack/billing/plan"));
        assert.deepEqual(plans.map((p) => [p.name, p.is_default, p.reseller_resources]), [["default", true, null]], "the test plans are gone; Fleio's own \"default\" staff plan stays");
        assert.ok(stayed.includes(`OpenstackPlan ${plans[0].id} "default"`), `the "default" plan is listed as kept, with why: ${stayed}`);
        const clients = fresh(before.clients, await all("clients"));
        assert.equal(clients.length, 1);
        assert.equal(clients[0].status, "suspended");
        assert.ok(stayed.includes(`Reseller ${clients[0].id} (status suspended)`), stayed);
        const service = await f.liveResellerService(String(clients[0].id));
        assert.ok(service && stayed.includes(`ResellerService ${service.id} (status suspended)`), stayed);
        assert.equal(String(service?.plan), String(plans[0].id), "the kept reseller service is priced by Fleio's default plan");
        const configs = fresh(before.configurations, await all("configurations"));
        assert.deepEqual(configs.map((c) => c.name), ["default"]);
        assert.ok(stayed.includes(`Configuration ${configs[0].id} "default"`), stayed);
        assert.deepEqual(await all("openstack/billing/pricerule"), [], "no rule stays");
    });
});

