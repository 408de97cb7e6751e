import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import * as zlib from "node:zlib";
import type { LocalWorkspace } from "@pulumi/pulumi/automation";
import { readStackFile, readStates } from "../../fleet/states";

/**
 * Every fleet job reads every stack's state (moves across stacks, pending creates). On a
 * file backend it reads the stack files itself instead of one `pulumi stack export`
 * process per stack, and must fail exactly where the CLI would.
 */
describe("fleet: stack state read from a file backend's files", () => {
    const deployment = (urn: string) => ({ manifest: { version: "v3.248.0" }, resources: [{ urn, type: "pulumi:pulumi:Stack", outputs: { catalogPlans: { gold: "7" } } }] });
    const checkpoint = (stack: string, latest: unknown) => JSON.stringify({ version: 3, checkpoint: { stack: `organization/p/${stack}`, latest } });
    let root: string;
    let dir: string;
    beforeEach(() => {
        root = fs.mkdtempSync(path.join(os.tmpdir(), "fleet-states-"));
        dir = path.join(root, ".pulumi", "stacks", "p");
        fs.mkdirSync(dir, { recursive: true });
    });
    afterEach(() => fs.rmSync(root, { recursive: true, force: true }));

    /** A workspace whose every CLI call fails the test: none may be made on a file backend. */
    const noCli = new Proxy({}, { get: (_t, prop) => () => assert.fail(`the CLI was asked: ${String(prop)}`) }) as unknown as LocalWorkspace;

    it("reads the latest deployment of a plain and of a gzipped stack file, with no CLI call", async () => {
        fs.writeFileSync(path.join(dir, "shard-00.json"), checkpoint("shard-00", deployment("urn:a")));
        fs.writeFileSync(path.join(dir, "shard-00.json.attrs"), '{"md5":"x"}');
        fs.writeFileSync(path.join(dir, "catalog.json.gz"), zlib.gzipSync(checkpoint("catalog", deployment("urn:b"))));
        const existing = new Map([["shard-00", "organization/p/shard-00"], ["catalog", "organization/p/catalog"]]);
        const states = await readStates(noCli, existing, new Set(["shard-00"]), `file://${root}`, "p", "tok");
        assert.deepEqual(states.deployments.get("shard-00"), deployment("urn:a"));
        assert.deepEqual(states.deployments.get("catalog"), deployment("urn:b"));
        assert.deepEqual([...states.unreadable], []);
    });

    it("a stack initialised and never updated reads as an empty deployment", () => {
        fs.writeFileSync(path.join(dir, "shard-01.json"), checkpoint("shard-01", null));
        assert.deepEqual(readStackFile(dir, "shard-01"), {});
    });

    it("an empty .attrs companion makes the stack unreadable, as the CLI's EOF does; the run's own stack is repaired and read, another's is named with its files", async () => {
        for (const s of ["mine", "theirs"]) {
            fs.writeFileSync(path.join(dir, `${s}.json`), checkpoint(s, deployment(`urn:${s}`)));
            fs.writeFileSync(path.join(dir, `${s}.json.attrs`), "");
        }
        assert.throws(() => readStackFile(dir, "theirs"), /EOF/);
        const existing = new Map([["mine", "organization/p/mine"], ["theirs", "organization/p/theirs"]]);
        const states = await readStates(noCli, existing, new Set(["mine"]), `file://${root}`, "p", "tok");
        assert.deepEqual(states.deployments.get("mine"), deployment("urn:mine"));
        assert.ok(states.repaired.some((r) => r.startsWith("mine: removed") && r.includes("mine.json.attrs")), JSON.stringify(states.repaired));
        const why = states.unreadable.get("theirs") ?? "";
        assert.match(why, /^stack theirs cannot be read \(.*EOF.*\); its files: /);
        assert.ok(why.includes(path.join(dir, "theirs.json.attrs")), why);
        assert.ok(fs.existsSync(path.join(dir, "theirs.json.attrs")), "another stack's file is left to its own job");
    });

    it("a truncated stack file is unreadable, naming the stack", async () => {
        fs.writeFileSync(path.join(dir, "cut.json"), checkpoint("cut", deployment("urn:c")).slice(0, 40));
        const states = await readStates(noCli, new Map([["cut", "organization/p/cut"]]), new Set(), `file://${root}`, "p", "tok");
        assert.match(states.unreadable.get("cut") ?? "", /^stack cut cannot be read/);
    });

    it("another backend is read through the CLI, at most 4 exports at once", async () => {
        let running = 0;
        let most = 0;
        const ws = {
            exportStack: async (name: string) => {
                most = Math.max(most, ++running);
                await new Promise((r) => setTimeout(r, 10));
                running--;
                return { version: 3, deployment: deployment(name) };
            },
        } as unknown as LocalWorkspace;
        const existing = new Map(Array.from({ length: 12 }, (_, i) => [`shard-${i}`, `organization/p/shard-${i}`] as [string, string]));
        const states = await readStates(ws, existing, new Set(), "s3://bucket?region=x", "p", "tok");
        assert.equal(states.deployments.size, 12);
        assert.deepEqual(states.deployments.get("shard-3"), deployment("organization/p/shard-3"));
        assert.equal(most, 4);
    });
});
