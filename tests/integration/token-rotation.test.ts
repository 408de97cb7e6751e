import * as assert from "node:assert/strict";
import type { Stack } from "@pulumi/pulumi/automation";
import { startEmulator, RunningEmulator } from "../../emulator";
import { engineStack } from "../../scripts/engine";
import * as fleio from "../../sdk";
import { FleioDirect } from "./support/fleio-direct";
import { destroyAsPreviewed, upAsPreviewed } from "./support/preview-matches-up";

/**
 * An operator rotates the Fleio token (a new one for the same staff user, the old one
 * revoked: emulator/domain/tokens.ts) and goes on working. The engine records the stack
 * configuration with the dynamic provider at every `up`, and `refresh`/`destroy` reuse
 * that record unless they run the program (client/unauthorized.ts says where in the
 * engine): so `up` (its deletes included) and `refresh`/`destroy --run-program` use the
 * stack's current fleio:token, a plain refresh/destroy is refused with the fix, and a
 * token from FLEIO_TOKEN is always the current one. No output holds a stack trace.
 */
describe("token rotation: every operation after it uses the stack's current token", function () {
    this.timeout(420_000);
    let em: RunningEmulator;
    let current = "";
    let declared: string[] = [];
    let stack: Stack;

    const direct = () => new FleioDirect({ ...em, staffToken: current } as RunningEmulator);
    const admin = async (path: string, body: unknown) => {
        const r = await fetch(`${em.url}/__emulator/${path}`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) });
        assert.equal(r.status, 200, `${path} → ${r.status}`);
        return (await r.json()) as { token: string };
    };
    /** Rotation as in Fleio: a second token for the staff user, `use` it, then revoke the old one. */
    const rotate = async (use: (token: string) => Promise<void>) => {
        const old = current;
        const fresh = (await admin("tokens", { token: old })).token;
        await use(fresh);
        current = fresh;
        await admin("tokens/revoke", { token: old });
        return old;
    };
    const program = async () => {
        for (const name of declared) new fleio.OpenstackPlan(name, { name: `Rotation ${name}`, currency: "EUR" });
        return {};
    };
    /** The stack's plans in Fleio, by name (the operator's default plan aside). */
    const plansInFleio = async () => {
        const page = await direct().ok<{ objects: { name: string }[] }>("GET", "openstack/billing/plan?page_size=1000");
        return page.objects.map((p) => p.name).filter((n) => n.startsWith("Rotation ")).sort();
    };
    const holdsExactlyTheDeclared = async () => assert.deepEqual(await plansInFleio(), declared.map((n) => `Rotation ${n}`).sort());
    const emptyPreviewNoCalls = async () => {
        const before = await direct().apiCalls();
        const p = await stack.preview({ color: "never" });
        assert.deepEqual(Object.entries(p.changeSummary).filter(([op, n]) => op !== "same" && (n ?? 0) > 0), [], "the preview shows no change");
        assert.equal((await direct().apiCalls()) - before, 0, "and makes no Fleio call");
    };
    /** After a destroy (a preview would show the stack itself being made again). */
    const stateIsEmpty = async () => assert.deepEqual(((await stack.exportStack()).deployment.resources ?? []).map((r: { type: string }) => r.type), []);
    const output: string[] = [];
    const run = async <T extends { stdout: string; stderr: string }>(p: Promise<T>): Promise<T> => {
        const r = await p;
        output.push(r.stdout, r.stderr);
        return r;
    };
    const refused = async (p: Promise<unknown>): Promise<string> => {
        const text = await p.then(
            () => assert.fail("expected the operation to be refused"),
            (e: Error) => e.message,
        );
        output.push(text);
        return text;
    };
    const calls401 = async () => (await direct().requests()).filter((r) => r.status === 401).length;

    before(async () => {
        em = await startEmulator({ seed: 31 });
        current = em.staffToken;
        // An operator's Fleio: deleted plans move their services to its default plan.
        await direct().defaultStaffPlanId();
    });
    after(async () => em?.close());
    afterEach(() => {
        const all = output.join("\n");
        output.length = 0;
        assert.doesNotMatch(all, /\s+at .*:\d+:\d+\)?$/m, "no output holds a Node stack trace");
    });

    it("fleio:token: up, refresh/up --refresh/destroy with --run-program and a delete inside up use the new token; without --run-program refresh and destroy are refused naming the source and the fix", async () => {
        declared = ["kept", "removed"];
        stack = await engineStack(program, { area: "token-rotation", projectName: "token-rotation", fleioUrl: em.url, fleioToken: current, fresh: true });
        await run(upAsPreviewed(stack, { color: "never" }));
        await holdsExactlyTheDeclared();

        const first = await rotate((t) => stack.setConfig("fleio:token", { value: t, secret: true }));
        await emptyPreviewNoCalls();

        // Without the program, the engine configures the provider from the state's record.
        const plain = await refused(stack.refresh({ color: "never" }));
        assert.match(plain, /HTTP 401 — Invalid token\. Fleio refused the token from stack config fleio:token\. If you rotated it: set the new one with `pulumi config set --secret fleio:token <token>`, and add --run-program \(or set PULUMI_RUN_PROGRAM=true\) to refresh, destroy and up --refresh/);
        for (const t of [first, current]) assert.equal(plain.includes(t), false, "no token in the output");
        // Reported once: the other plan keeps its recorded state instead of repeating the error (client/http.ts "stopped").
        const fromDiagnostics = plain.slice(plain.indexOf("Diagnostics:"));
        const diagnostics = fromDiagnostics.slice(0, fromDiagnostics.indexOf("Resources:"));
        assert.equal(diagnostics.match(/Fleio refused the token from stack config fleio:token/g)?.length, 1, `one refusal for ${declared.length} plans:\n${diagnostics}`);

        const before401 = await calls401();
        await run(stack.refresh({ color: "never", runProgram: true }));
        await run(upAsPreviewed(stack, { color: "never" }));
        assert.equal(await calls401(), before401, "refresh --run-program and up sent the new token only");
        await holdsExactlyTheDeclared();
        await emptyPreviewNoCalls();

        // `up --refresh` right after a rotation: its refresh is one more refresh from the record,
        // refused the same way; with --run-program it uses the provider the program registers.
        await rotate((t) => stack.setConfig("fleio:token", { value: t, secret: true }));
        assert.match(await refused(stack.up({ color: "never", refresh: true })), /Fleio refused the token from stack config fleio:token\./);
        const before401again = await calls401();
        await run(upAsPreviewed(stack, { color: "never", refresh: true, runProgram: true }));
        assert.equal(await calls401(), before401again, "up --refresh --run-program sent the new token only");
        await holdsExactlyTheDeclared();
        await emptyPreviewNoCalls();

        // A delete inside `up`, right after another rotation (no up in between).
        await rotate((t) => stack.setConfig("fleio:token", { value: t, secret: true }));
        declared = ["kept"];
        const removal = await run(upAsPreviewed(stack, { color: "never" }));
        assert.equal(removal.summary.resourceChanges?.delete, 1);
        await holdsExactlyTheDeclared();
        await emptyPreviewNoCalls();

        await rotate((t) => stack.setConfig("fleio:token", { value: t, secret: true }));
        assert.match(await refused(stack.destroy({ color: "never" })), /fleio:OpenstackPlan delete: .*HTTP 401 — Invalid token\. Fleio refused the token from stack config fleio:token\./);
        await holdsExactlyTheDeclared();
        await run(destroyAsPreviewed(stack, { color: "never", runProgram: true }));
        declared = [];
        await holdsExactlyTheDeclared();
        await stateIsEmpty();
    });

    it("FLEIO_TOKEN: read by the provider process itself, so even a plain refresh and destroy use the rotated one", async () => {
        declared = ["env"];
        stack = await engineStack(program, { area: "token-rotation", projectName: "token-rotation-env", fleioUrl: em.url, fleioToken: current, fresh: true });
        await stack.removeConfig("fleio:token");
        const env = (stack.workspace as unknown as { envVars: Record<string, string> }).envVars;
        env.FLEIO_TOKEN = current;
        await run(upAsPreviewed(stack, { color: "never" }));
        await holdsExactlyTheDeclared();

        await rotate(async (t) => void (env.FLEIO_TOKEN = t));
        await run(stack.refresh({ color: "never" }));
        await emptyPreviewNoCalls();
        await run(destroyAsPreviewed(stack, { color: "never" }));
        declared = [];
        await holdsExactlyTheDeclared();
        await stateIsEmpty();

        // A revoked FLEIO_TOKEN is named as the source, with its fix.
        declared = ["env"];
        await rotate(async () => undefined);
        const text = await refused(stack.up({ color: "never" }));
        assert.match(text, /Fleio refused the token from the environment variable FLEIO_TOKEN: set FLEIO_TOKEN to a valid API token/);
        assert.doesNotMatch(text, /fleio:token/);
        declared = [];
        await holdsExactlyTheDeclared();
    });
});
