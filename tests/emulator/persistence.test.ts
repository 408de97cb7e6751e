import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { DEFAULT_STAFF_TOKEN, startEmulator } from "../../emulator";
import { admin, clientBody, Http, makeReseller, setSuspendInsteadOfTerminate, sleep } from "./helpers";

describe("emulator: persistence in the data file", function () {
    let dir: string;
    let file: string;

    beforeEach(() => {
        dir = fs.mkdtempSync(path.join(os.tmpdir(), "fleio-emulator-"));
        file = path.join(dir, "nested", "fleio.json");
    });
    afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

    it("survives a restart: what was created before close is there after a new start on the same file", async () => {
        const first = await startEmulator({ dataFile: file, seed: 5 });
        const http = new Http(first);
        const client = await http.ok("POST", "clients", clientBody({ first_name: "Persisted" }));
        const reseller = await makeReseller(http);
        await http.ok("POST", `clients/${reseller.clientId}/update_reseller_enduser_panel_url`, { enduser_panel_url: "http://kept.example/", service: reseller.serviceId });
        const plan = await http.ok("POST", "openstack/billing/plan", { name: "Kept plan", currency: "RON" });
        await first.close();
        assert.ok(fs.existsSync(file), "the data file was written");

        const second = await startEmulator({ dataFile: file, seed: 5 });
        try {
            const again = new Http(second);
            assert.equal((await again.ok("GET", `clients/${client.id}`)).first_name, "Persisted");
            assert.equal((await again.ok("GET", `openstack/billing/plan/${plan.id}`)).currency, "RON");
            const rs = await again.ok("GET", `clients/${reseller.clientId}/reseller_services`);
            assert.equal(rs.resources[String(reseller.serviceId)].enduser_panel_url, "http://kept.example/");
            // Counters carry on: a new plan does not reuse an id.
            assert.ok((await again.ok("POST", "openstack/billing/plan", { name: "Next", currency: "EUR" })).id > plan.id);
        } finally {
            await second.close();
        }
    });

    it("writes after every mutation, atomically (valid JSON, no temp files left behind)", async () => {
        const em = await startEmulator({ dataFile: file });
        try {
            const http = new Http(em);
            const c = await http.ok("POST", "clients", clientBody());
            // Before close: the file already has the client.
            const onDisk = JSON.parse(fs.readFileSync(file, "utf8")) as { clients: { id: number }[] };
            assert.ok(onDisk.clients.some((x) => x.id === c.id));
            await Promise.all(Array.from({ length: 10 }, (_, i) => http.ok("POST", "configurations", { name: `parallel-${i}` })));
            const after = JSON.parse(fs.readFileSync(file, "utf8")) as { configurations: { name: string }[] };
            assert.equal(after.configurations.filter((x) => x.name.startsWith("parallel-")).length, 10);
            assert.deepEqual(fs.readdirSync(path.dirname(file)), ["fleio.json"]);
        } finally {
            await em.close();
        }
    });

    it("a pending client delete completes after a restart", async () => {
        const first = await startEmulator({ dataFile: file, deleteDelayMs: 150 });
        await setSuspendInsteadOfTerminate(new Http(first), false);
        const c = await new Http(first).ok("POST", "clients", clientBody());
        await new Http(first).ok("DELETE", `clients/${c.id}`);
        await first.close();
        const second = await startEmulator({ dataFile: file });
        try {
            await sleep(200);
            assert.equal((await new Http(second).get(`clients/${c.id}`)).status, 404);
        } finally {
            await second.close();
        }
    });

    it("keeps the stored staff token unless a new one is given; reset goes back to the seed", async () => {
        const custom = "ab".repeat(20);
        const first = await startEmulator({ dataFile: file, staffToken: custom });
        await new Http(first).ok("POST", "clients", clientBody());
        await first.close();
        const second = await startEmulator({ dataFile: file });
        try {
            assert.equal(second.staffToken, custom);
            assert.equal((await new Http(second).ok("GET", "clients")).count, 1);
            assert.equal((await admin(second, "POST", "reset")).status, 200);
            assert.equal((await new Http(second).ok("GET", "clients")).count, 0);
            assert.equal((await new Http(second).get("clients")).status, 200, "the token survives a reset");
        } finally {
            await second.close();
        }
        const third = await startEmulator({ dataFile: file, staffToken: DEFAULT_STAFF_TOKEN });
        try {
            assert.equal((await new Http(third).get("clients")).status, 200);
            assert.equal((await new Http(third).as(custom).get("clients")).status, 401);
        } finally {
            await third.close();
        }
    });

    it("rejects a staff token that is not 40 lowercase hex", async () => {
        await assert.rejects(startEmulator({ staffToken: "not-a-token" }), /40 lowercase hex/);
    });

    it("without a data file everything stays in memory", async () => {
        const em = await startEmulator({});
        await new Http(em).ok("POST", "clients", clientBody());
        await em.close();
        const fresh = await startEmulator({});
        try {
            assert.equal((await new Http(fresh).ok("GET", "clients")).count, 0);
        } finally {
            await fresh.close();
        }
    });
});

describe("emulator: the data file is private and checked", function () {
    let dir: string;
    let file: string;
    beforeEach(() => {
        dir = fs.mkdtempSync(path.join(os.tmpdir(), "fleio-emulator-"));
        file = path.join(dir, "fleio.json");
    });
    afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

    it("is written owner-only (0600), also after later atomic rewrites", async () => {
        const em = await startEmulator({ dataFile: file });
        try {
            assert.equal(fs.statSync(file).mode & 0o777, 0o600);
            await new Http(em).ok("POST", "clients", clientBody());
            assert.equal(fs.statSync(file).mode & 0o777, 0o600);
        } finally {
            await em.close();
        }
    });

    it("refuses a corrupt file, naming the file and the problem", async () => {
        fs.writeFileSync(file, "{ not json");
        await assert.rejects(startEmulator({ dataFile: file }), (e: Error) => e.message.includes(file) && /not valid JSON/.test(e.message));
        fs.writeFileSync(file, JSON.stringify({ version: 1 }));
        await assert.rejects(startEmulator({ dataFile: file }), (e: Error) => e.message.includes(file) && /version 1 is not the supported version 2/.test(e.message));
    });

    it("refuses an incomplete file or wrong types, naming the field", async () => {
        const first = await startEmulator({ dataFile: file });
        await first.close();
        const good = JSON.parse(fs.readFileSync(file, "utf8")) as Record<string, unknown>;
        const { clients: _dropped, ...missing } = good;
        fs.writeFileSync(file, JSON.stringify(missing));
        await assert.rejects(startEmulator({ dataFile: file }), (e: Error) => e.message.includes(file) && /clients/.test(e.message));
        fs.writeFileSync(file, JSON.stringify({ ...good, currencies: [{ code: 7, rate: "1", is_default: true }] }));
        await assert.rejects(startEmulator({ dataFile: file }), (e: Error) => /currencies\.0\.code/.test(e.message));
    });
});
