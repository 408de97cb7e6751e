import * as assert from "node:assert/strict";
import { ChildProcess, spawn } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { DEFAULT_STAFF_TOKEN } from "../../emulator";

/** The command-line entry point: `node dist/emulator/cli.js` (or the .ts source under ts-node). */
function spawnCli(args: string[]): ChildProcess {
    const compiled = path.resolve(__dirname, "../../emulator/cli.js");
    const argv = fs.existsSync(compiled) ? [compiled] : ["-r", "ts-node/register/transpile-only", path.resolve(__dirname, "../../emulator/cli.ts")];
    return spawn(process.execPath, [...argv, ...args], { stdio: ["ignore", "pipe", "pipe"], cwd: path.resolve(__dirname, "../..") });
}

function waitFor(child: ChildProcess, pattern: RegExp): Promise<{ match: RegExpMatchArray; output: string }> {
    return new Promise((resolve, reject) => {
        let output = "";
        const onData = (chunk: Buffer) => {
            output += chunk.toString();
            const match = output.match(pattern);
            if (match) resolve({ match, output });
        };
        child.stdout?.on("data", onData);
        child.stderr?.on("data", (c: Buffer) => (output += c.toString()));
        child.on("exit", (code) => reject(new Error(`exited with ${code} before printing ${pattern}: ${output}`)));
    });
}

describe("emulator: CLI", function () {
    this.timeout(30_000);

    it("prints the URL and staff token, applies fault flags, stops cleanly on SIGTERM", async () => {
        const child = spawnCli(["--port", "0", "--memory", "--seed", "3", "--rate-429", "1", "--retry-after", "9"]);
        try {
            const { match, output } = await waitFor(child, /staff token:\s+([0-9a-f]{40})/);
            assert.equal(match[1], DEFAULT_STAFF_TOKEN);
            const url = /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(output)?.[1];
            assert.ok(url, output);
            const r = await fetch(`${url}/backend/staffapi/clients`, { headers: { Authorization: `Token ${match[1]}` } });
            assert.equal(r.status, 429);
            assert.equal(r.headers.get("retry-after"), "9");
            assert.equal((await fetch(`${url}/__emulator/stats`)).status, 200);
            const exited = new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)));
            child.kill("SIGTERM");
            assert.equal(await exited, 0);
        } finally {
            if (child.exitCode === null) child.kill("SIGKILL");
        }
    });

    it("rejects a bad flag value", async () => {
        const child = spawnCli(["--rate-5xx", "2"]);
        const code = await new Promise<number | null>((resolve) => child.on("exit", resolve));
        assert.notEqual(code, 0);
    });

    it("--setup factory starts a fresh Fleio (EUR only); an unknown setup is refused", async () => {
        const child = spawnCli(["--port", "0", "--memory", "--setup", "factory"]);
        try {
            const { output } = await waitFor(child, /setup:\s+factory/);
            const url = /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(output)?.[1];
            const r = await fetch(`${url}/backend/staffapi/billing/products`, { headers: { Authorization: `Token ${DEFAULT_STAFF_TOKEN}` } });
            assert.deepEqual(((await r.json()) as { objects: { code: string }[] }).objects.map((p) => p.code), ["default_openstack"]);
        } finally {
            child.kill("SIGKILL");
        }
        const bad = spawnCli(["--setup", "custom"]);
        assert.notEqual(await new Promise<number | null>((resolve) => bad.on("exit", resolve)), 0);
    });
});
