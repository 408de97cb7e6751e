import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import { startEmulator, RunningEmulator } from "../../emulator";
import { engineStack, stateArea } from "../../scripts/engine";
import { seedWorkflow } from "../../examples/seed/program";

/** Every file below `dir` whose bytes contain `needle`, with the number of times. */
function occurrences(dir: string, needle: string): Record<string, number> {
    const hits: Record<string, number> = {};
    if (!fs.existsSync(dir)) return hits;
    for (const f of fs.readdirSync(dir, { recursive: true }) as string[]) {
        const file = path.join(dir, f);
        if (!fs.statSync(file).isFile()) continue;
        const n = fs.readFileSync(file, "latin1").split(needle).length - 1;
        if (n > 0) hits[f] = n;
    }
    return hits;
}

describe("a fleio:token set without --secret is refused before anything reaches the backend", function () {
    this.timeout(180_000);
    let em: RunningEmulator;
    before(async () => {
        em = await startEmulator({ seed: 13 });
        fs.rmSync(stateArea("plain-token"), { recursive: true, force: true });
    });
    after(async () => em?.close());

    const refused = /fleio:token is set in plain text.*pulumi config set --secret fleio:token/s;
    const backend = () => path.join(stateArea("plain-token"), "backend");
    const calls = async () => ((await (await fetch(`${em.url}/__emulator/stats`)).json()) as { total: number }).total;
    const failure = (p: Promise<unknown>) => p.then(() => undefined, (e: Error) => e);

    it("the preview that `pulumi up` runs first fails with the message, Fleio gets no call, and the backend holds the token 0 times", async () => {
        const stack = await engineStack(async () => seedWorkflow(), { area: "plain-token", projectName: "plain-token", fleioUrl: em.url, fleioToken: em.staffToken, plainToken: true, fresh: true });
        const before = await calls();
        const err = await failure(stack.preview({ color: "never" }));
        assert.match(err?.message ?? "preview succeeded", refused);
        assert.equal((await calls()) - before, 0, "nothing was sent to Fleio");
        assert.ok(fs.existsSync(path.join(backend(), ".pulumi")), "the engine did run against this backend");
        assert.deepEqual(occurrences(backend(), em.staffToken), {}, "the token is nowhere in the backend directory");
    });

    it("with --skip-preview the update is refused too and no resource is stored; only Pulumi's own history of the update's config holds it", async () => {
        const stack = await engineStack(async () => seedWorkflow(), { area: "plain-token", projectName: "plain-token", fleioUrl: em.url, fleioToken: em.staffToken, plainToken: true });
        const before = await calls();
        // The Automation API's up passes --skip-preview.
        const err = await failure(stack.up({ color: "never" }));
        assert.match(err?.message ?? "up succeeded", refused);
        assert.equal((await calls()) - before, 0, "nothing was sent to Fleio");
        const state = await stack.exportStack();
        const kinds = ((state.deployment?.resources ?? []) as { type: string }[]).map((r) => r.type);
        assert.deepEqual(kinds.filter((t) => t !== "pulumi:pulumi:Stack"), [], "no resource (and so no provider with the config) was registered");
        const where = Object.keys(occurrences(backend(), em.staffToken));
        assert.ok(where.length > 0 && where.every((f) => f.startsWith(path.join(".pulumi", "history"))), `only the update's history may hold it: ${where.join(", ")}`);
    });

    it("a secret token is never in our output, but Pulumi's own verbose log (-v=9) prints it decrypted, as docs/install.md warns", async () => {
        const stack = await engineStack(async () => seedWorkflow(), { area: "plain-token", projectName: "secret-token", fleioUrl: em.url, fleioToken: em.staffToken, fresh: true });
        let normal = "";
        await stack.preview({ color: "never", onOutput: (o) => (normal += o) });
        assert.equal(normal.split(em.staffToken).length - 1, 0, "an ordinary preview's output holds no token");
        const verbose = await stack.preview({ color: "never", logVerbosity: 9, logToStdErr: true });
        assert.ok(verbose.stderr.split(em.staffToken).length - 1 > 0, "the engine's verbose log holds the decrypted token");
    });
});
