import * as assert from "node:assert/strict";
import { runCli } from "../../cli";

// The pulumi-fleio command's exit codes and messages for usage errors: 2, a message that
// says the fix, no stack trace, and nothing sent anywhere.
describe("pulumi-fleio: usage errors", () => {
    let err: string[];
    let out: string[];
    const saved = { error: console.error, log: console.log, write: process.stderr.write, stdout: process.stdout.write, env: { ...process.env } };
    beforeEach(() => {
        err = [];
        out = [];
        for (const k of ["FLEIO_URL", "FLEIO_TOKEN", "PULUMI_CONFIG_PASSPHRASE"]) delete process.env[k];
    });
    afterEach(() => {
        process.env = { ...saved.env };
    });
    /** Runs the command with its output captured (only while it runs: mocha's own lines pass). */
    const run = async (...args: string[]) => {
        console.error = (...a: unknown[]) => void err.push(a.join(" "));
        console.log = (...a: unknown[]) => void out.push(a.join(" "));
        process.stderr.write = ((s: string) => (err.push(String(s)), true)) as typeof process.stderr.write;
        process.stdout.write = ((s: string) => (out.push(String(s)), true)) as typeof process.stdout.write;
        try {
            return await runCli(["node", "pulumi-fleio", ...args]);
        } finally {
            console.error = saved.error;
            console.log = saved.log;
            process.stderr.write = saved.write;
            process.stdout.write = saved.stdout;
        }
    };

    it("--help of every command answers 0", async () => {
        for (const args of [["--help"], ["discover", "--help"], ["fleet", "--help"], ["fleet", "up", "--help"], ["fleet", "summary", "--help"], ["contract", "--help"], ["gitops", "render-yaml", "--help"]]) assert.equal(await run(...args), 0, args.join(" "));
        assert.ok(out.join("").includes("--out <folder>"));
    });

    it("fleet up without FLEIO_URL or FLEIO_TOKEN: 2, naming the setting", async () => {
        assert.equal(await run("fleet", "up", "--data", "x", "--backend", "file:///tmp/x"), 2);
        assert.match(err.join("\n"), /the Fleio URL is not set: pass --fleio-url .* or set FLEIO_URL/);
        process.env.FLEIO_URL = "http://127.0.0.1:9";
        assert.equal(await run("fleet", "up", "--data", "x", "--backend", "file:///tmp/x"), 2);
        assert.match(err.join("\n"), /FLEIO_TOKEN is not set/);
    });

    it("a bad number, an unknown operation, a missing --out: 2, no stack trace", async () => {
        Object.assign(process.env, { FLEIO_URL: "http://127.0.0.1:9", FLEIO_TOKEN: "t".repeat(40), PULUMI_CONFIG_PASSPHRASE: "p" });
        assert.equal(await run("fleet", "up", "--data", "x", "--backend", "file:///tmp/x", "--shards", "zero"), 2);
        assert.match(err.join("\n"), /--shards must be a whole number of at least 1 \(got "zero"\)/);
        assert.equal(await run("fleet", "sideways"), 2);
        assert.equal(await run("discover"), 2);
        assert.match(err.join("\n"), /required option '--out <folder>'/);
        assert.doesNotMatch(err.join("\n"), /\n\s+at /);
    });

    it("there is no token flag", async () => {
        assert.equal(await run("discover", "--out", "x", "--token", "abc"), 2);
        assert.match(err.join("\n"), /unknown option '--token'/);
    });

    it("discover without a token: 2, saying where the token comes from", async () => {
        process.env.FLEIO_URL = "http://127.0.0.1:9";
        assert.equal(await run("discover", "--out", "/tmp/pulumi-fleio-discover-usage"), 2);
        assert.match(err.join("\n"), /discover: .*FLEIO_TOKEN/);
    });
});
