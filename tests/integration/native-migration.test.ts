import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import type { Stack } from "@pulumi/pulumi/automation";
import { startEmulator, RunningEmulator } from "../../emulator";
import { engineStack, outputValues, stateArea } from "../../scripts/engine";
import { seedWorkflow } from "../../examples/seed/program";
import { FleioDirect } from "./support/fleio-direct";
import { upAsPreviewed } from "./support/preview-matches-up";

/**
 * Moving a stack made with the dynamic provider to the native plugin, in the one step
 * docs/guides/yaml-and-import.md documents: name the plugin in Pulumi.yaml and set `fleio:native true`.
 * The SDK then registers `fleio:index:<Kind>` with an alias from the dynamic type, and
 * the engine carries every state entry over without touching Fleio's objects.
 */
describe("native plugin: a dynamic-provider stack moves to the native types with no change in Fleio", function () {
    this.timeout(300_000);
    let em: RunningEmulator;
    let f: FleioDirect;
    let stack: Stack;
    let dynamicOuts: Record<string, any>;
    const opts = (native: boolean) => ({ area: "integration", projectName: "native-migration", fleioUrl: em.url, fleioToken: em.staffToken, native });
    const changes = (summary: Record<string, number | undefined>) => Object.fromEntries(Object.entries(summary).filter(([k, v]) => k !== "same" && (v ?? 0) > 0));

    before(async () => {
        em = await startEmulator({ seed: 15, deleteDelayMs: 50 });
        f = new FleioDirect(em);
        await f.defaultStaffPlanId();
        stack = await engineStack(async () => seedWorkflow(), { ...opts(false), fresh: true });
        dynamicOuts = outputValues((await stack.up()).outputs);
    });
    after(async () => {
        await stack?.destroy().catch(() => undefined);
        await em?.close();
    });

    it("the preview after the switch creates, deletes and replaces nothing", async () => {
        stack = await engineStack(async () => seedWorkflow(), opts(true));
        const p = await stack.preview({ diff: true });
        for (const k of ["create", "delete", "replace", "create-replacement", "delete-replaced"]) assert.equal((p.changeSummary as Record<string, number>)[k] ?? 0, 0, `${k}: ${p.stdout}`);
    });

    it("up keeps every Fleio object (same ids, no write), state holds fleio:index types, and the next preview is empty with 0 calls", async () => {
        const calls = await f.apiCalls();
        const res = await upAsPreviewed(stack);
        const summary = res.summary.resourceChanges as Record<string, number>;
        for (const k of ["create", "update", "delete", "replace", "create-replacement", "delete-replaced"]) assert.equal(summary[k] ?? 0, 0, `${k}: ${JSON.stringify(summary)}`);
        assert.deepEqual(outputValues(res.outputs), dynamicOuts, "the same objects in Fleio");
        const n = (await f.apiCalls()) - calls;
        const writes = n ? (await f.requests()).slice(-n).filter((r) => r.method !== "GET") : [];
        assert.deepEqual(writes, [], "nothing written to Fleio");
        const state = await stack.exportStack();
        // exportStack shows secrets decrypted: the token must be there only as a secret, and the file on disk hold none.
        const clear = pathsHolding(state, em.staffToken);
        assert.ok(clear.length > 0 && clear.every((p) => /\.token\.plaintext$/.test(p)), clear.join(", "));
        const onDisk = fs.readFileSync(path.join(stateArea("integration"), "backend", ".pulumi", "stacks", "native-migration", "dev.json"), "utf8");
        assert.deepEqual(pathsHolding(JSON.parse(onDisk), em.staffToken), [], "the token is kept only encrypted, with the provider");
        const types = (state.deployment.resources as { type: string }[]).map((r) => r.type).filter((t) => t.includes("fleio"));
        assert.ok(types.length >= 11, types.join(", "));
        assert.ok(types.every((t) => t.startsWith("fleio:index:") || t === "pulumi:providers:fleio"), types.join(", "));
        const after = await f.apiCalls();
        const p = await stack.preview();
        assert.deepEqual(changes(p.changeSummary as Record<string, number>), {});
        assert.equal((await f.apiCalls()) - after, 0);
    });
});

/** Where in a JSON value a text appears in clear. */
function pathsHolding(v: unknown, text: string, at = ""): string[] {
    if (typeof v === "string") return v.includes(text) ? [at] : [];
    if (Array.isArray(v)) return v.flatMap((x, i) => pathsHolding(x, text, `${at}[${i}]`));
    if (v && typeof v === "object") return Object.entries(v).flatMap(([k, x]) => pathsHolding(x, text, `${at}.${k}`));
    return [];
}
