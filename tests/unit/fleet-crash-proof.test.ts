import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { spawnSync } from "node:child_process";
import { errorGist, withoutCommandLine } from "../../fleet/errors";
import { cancelCommand, holderGone, lockHolders, repairEmptyAttrs, fileBackendStacks } from "../../fleet/stack-health";
import { kindOf, pendingCreates } from "../../fleet/resume";
import { resumesCreate } from "../../provider/resources/resumed-creates";
import { readReport } from "../../cli/fleet";

describe("fleet: what a killed job leaves behind", () => {
    it("lockHolders reads user, host and pid from the CLI's refusal; holderGone only for this host and a pid no process has", () => {
        const msg = "error: the stack is currently locked by 1 lock(s). Either wait for the other process(es) to end or delete the lock file with `pulumi cancel`.\n  file:///b/.pulumi/locks/organization/p/shard-01/0a.json: created by ci@runner-7 (pid 4242) at 2026-12-07T04:00:00Z";
        assert.deepEqual(lockHolders(msg), [{ user: "ci", host: "runner-7", pid: 4242 }]);
        // A process that ended: its pid is free (reaped by spawnSync).
        const ended = spawnSync(process.execPath, ["-e", "0"]).pid!;
        assert.equal(holderGone({ user: "u", host: os.hostname(), pid: ended }), true);
        assert.equal(holderGone({ user: "u", host: os.hostname(), pid: process.pid }), false, "a live holder keeps its lock");
        assert.equal(holderGone({ user: "u", host: `${os.hostname()}-other`, pid: ended }), false, "another host's processes cannot be checked");
    });

    it("cancelCommand names the backend and the full stack name", () => {
        assert.equal(cancelCommand("file:///srv/state", "fleio-fleet", "shard-01"), "PULUMI_BACKEND_URL='file:///srv/state' pulumi cancel --yes --stack organization/fleio-fleet/shard-01");
    });

    it("repairEmptyAttrs removes only an empty companion of the stack asked for, on a file backend", () => {
        const root = fs.mkdtempSync(path.join(os.tmpdir(), "fleet-attrs-"));
        const dir = fileBackendStacks(`file://${root}`, "p")!;
        fs.mkdirSync(dir, { recursive: true });
        fs.writeFileSync(path.join(dir, "s1.json"), "{}");
        fs.writeFileSync(path.join(dir, "s1.json.attrs"), "");
        fs.writeFileSync(path.join(dir, "s2.json.attrs"), "");
        fs.writeFileSync(path.join(dir, "s3.json.attrs"), "{\"user.cache_control\":\"\"}");
        assert.deepEqual(repairEmptyAttrs(`file://${root}`, "p", "s1"), [path.join(dir, "s1.json.attrs")]);
        assert.deepEqual(repairEmptyAttrs(`file://${root}`, "p", "s3"), []);
        assert.ok(fs.existsSync(path.join(dir, "s2.json.attrs")), "another stack's file is not touched");
        assert.deepEqual(repairEmptyAttrs("s3://bucket", "p", "s1"), []);
        assert.equal(fileBackendStacks("file://~/state", "p"), path.join(os.homedir(), "state", ".pulumi", "stacks", "p"));
        assert.equal(fileBackendStacks("file://rel/state", "p"), path.resolve("rel/state", ".pulumi", "stacks", "p"));
        fs.rmSync(root, { recursive: true });
    });

    it("errorGist keeps every diagnostic whole (an adopt hint at the end of a long one), never the command line", () => {
        const long = (n: number) => `  pulumi-nodejs:dynamic/fleio:OpenstackPlan (r${n}-reseller-plan):\n    error: plan "Reseller pricing - r${n}" (EUR) in this scope already exists in Fleio (id ${n}), perhaps made by an interrupted run; ${"x".repeat(300)} set adopt: "${n}" on this OpenstackPlan`;
        const gist = errorGist(`code: 255\n stdout: Diagnostics:\n${[1, 2, 3].map(long).join("\n")}\n err?: Error: Command failed with exit code 255: /opt/pulumi up --client=127.0.0.1:1`, "tok");
        for (const n of [1, 2, 3]) assert.match(gist, new RegExp(`set adopt: "${n}" on this OpenstackPlan`));
        assert.doesNotMatch(gist, /Command failed|--client|\/opt\/pulumi/);
        assert.equal(withoutCommandLine("code: 255\n stdout: \n stderr: error: EOF\n err?: Error: Command failed with exit code 255: /root/.cache/pulumi stack ls --json"), "error: EOF");
    });

    it("pending creates: kind from the URN (dynamic or native type) and inputs; updates and deletes are not creates", () => {
        const urn = (t: string, n: string) => `urn:pulumi:shard-01::fleio-fleet::fleio:index:ResellerOnboarding$${t}::${n}`;
        assert.equal(kindOf(urn("pulumi-nodejs:dynamic/fleio:OpenstackPlan", "a-plan")), "OpenstackPlan");
        assert.equal(kindOf(urn("fleio:index:PricingRule", "a-rule")), "PricingRule");
        assert.equal(kindOf("urn:pulumi:s::p::pulumi:pulumi:Stack::p-s"), undefined);
        const deployment = {
            pending_operations: [
                { type: "creating", resource: { urn: urn("pulumi-nodejs:dynamic/fleio:OpenstackPlan", "a-plan"), type: "pulumi-nodejs:dynamic:Resource", inputs: { name: "P", currency: "EUR", __provider: "x" } } },
                { type: "updating", resource: { urn: urn("fleio:index:Reseller", "a-client"), type: "fleio:index:Reseller", inputs: { firstName: "A" } } },
            ],
        };
        assert.deepEqual(pendingCreates(deployment), [{ kind: "OpenstackPlan", inputs: { name: "P", currency: "EUR", __provider: "x" } }]);
    });

    it("resumesCreate: the same kind with the same inputs (the engine's own keys and adopt aside), or every create after a killed run without checkpoints", () => {
        const creates = [{ kind: "OpenstackPlan", inputs: { name: "P", currency: "EUR", isDefault: false, __provider: "closure" } }];
        assert.equal(resumesCreate("OpenstackPlan", { isDefault: false, currency: "EUR", name: "P" }, { creates }), true);
        assert.equal(resumesCreate("OpenstackPlan", { isDefault: false, currency: "EUR", name: "Q" }, { creates }), false, "another plan");
        assert.equal(resumesCreate("Configuration", { isDefault: false, currency: "EUR", name: "P" }, { creates }), false, "another kind");
        assert.equal(resumesCreate("OpenstackPlan", { name: "Q" }, { all: true }), true);
        assert.equal(resumesCreate("OpenstackPlan", { name: "P" }, {}), false);
    });

    it("fleet summary: a report that is missing, empty, JSON null, or another document is named with what is wrong", () => {
        const dir = fs.mkdtempSync(path.join(os.tmpdir(), "fleet-reports-"));
        const write = (name: string, text: string) => (fs.writeFileSync(path.join(dir, name), text), path.join(dir, name));
        assert.match(readReport(path.join(dir, "fleet-shard-09.json")).problem!, /missing/);
        assert.match(readReport(write("empty.json", "")).problem!, /not JSON.*empty/);
        assert.match(readReport(write("null.json", "null")).problem!, /not a fleet report .*found null/);
        assert.match(readReport(write("hello.json", '{"hello":"world"}')).problem!, /not a fleet report .*an object with hello/);
        assert.match(readReport(write("bad-stacks.json", '{"operation":"up","ok":true,"stacks":[null]}')).problem!, /not a fleet report/);
        const good = readReport(write("good.json", JSON.stringify({ operation: "up", ok: true, stacks: [{ stack: "shard-00", changes: {} }], parallel: 1, perStackConcurrency: 1, seconds: 1, moves: [], waits: [] })));
        assert.equal(good.problem, undefined);
        assert.equal(good.report!.stacks[0].stack, "shard-00");
        fs.rmSync(dir, { recursive: true });
    });
});
