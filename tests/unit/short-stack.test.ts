import * as assert from "node:assert/strict";
import * as pulumi from "@pulumi/pulumi";
import { shortStackForNextResource } from "../../sdk/short-stack";
import * as fleio from "../../sdk";

// The engine stores the call stack the SDK records at each resource's constructor in
// that resource's state, rewritten after every step: ours records only the frames up to
// the line that made the resource.

const frames = (stack: string | undefined) => (stack ?? "").split("\n").filter((l) => l.trim().startsWith("at ")).length;
const deep = (n: number, f: () => string | undefined): string | undefined => (n === 0 ? f() : deep(n - 1, f));

describe("short stack traces in state", () => {
    before(() => pulumi.runtime.setMocks({ newResource: (a) => ({ id: "1", state: a.inputs }), call: () => ({}) }));

    it("cuts the next stack formatted to 6 frames, once: the next one is whole again", () => {
        shortStackForNextResource();
        assert.equal(frames(deep(20, () => new Error("first").stack)), 6);
        assert.ok(frames(deep(20, () => new Error("second").stack)) > 6);
    });

    it("is undone at the end of the tick when no stack was formatted, and arming twice in a tick cuts only one", async () => {
        const before = Error.prepareStackTrace;
        shortStackForNextResource();
        shortStackForNextResource();
        await new Promise((r) => process.nextTick(r));
        assert.equal(Error.prepareStackTrace, before);
        assert.ok(frames(deep(20, () => new Error("later").stack)) > 6);
    });

    it("a resource's recorded stack is the frames after the resource classes, not the whole program's", () => {
        const recorded: unknown[][] = [];
        // A private static of the SDK's Resource: reached through a cast.
        const sdk = pulumi.Resource as unknown as { stackTrace(skip: number): unknown[] };
        const original = sdk.stackTrace;
        // The spy is one more frame than the SDK's own call: the cut keeps the class's frame instead of its caller's.
        sdk.stackTrace = (skip: number) => {
            const trace = original.call(sdk, skip);
            recorded.push(trace);
            return trace;
        };
        try {
            deep(20, () => {
                new fleio.OpenstackPlan("short-stack-plan", { name: "p", currency: "EUR" });
                return undefined;
            });
        } finally {
            sdk.stackTrace = original;
        }
        assert.equal(recorded.length, 1);
        assert.equal(recorded[0].length, 1, JSON.stringify(recorded[0]));
        assert.ok(frames(deep(20, () => new Error("after").stack)) > 6, "stacks after the constructor are whole");
    });
});
