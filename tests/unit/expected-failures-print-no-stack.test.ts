import * as assert from "node:assert/strict";
import nock from "nock";
import { z } from "zod";
import { defineResource } from "../../provider/resources/define";
import { quietError } from "../../provider/quiet-error";
import { API, BASE, fleio, provider, useFleioMock } from "./support/resource-harness";

/**
 * What @pulumi/pulumi 3.248's dynamic provider host does when check, diff, read or
 * delete throws (cmd/dynamic-provider/index.js, each method's catch), before it answers
 * the engine with the error's message: every stderr line of it reaches the user.
 */
function hostCatch(e: any): void {
    console.error(`${e}: ${e.stack}`);
}

/** Everything written to stderr while `run` runs. */
async function stderrOf(run: () => Promise<void>): Promise<string> {
    const write = process.stderr.write;
    let text = "";
    process.stderr.write = ((chunk: string | Uint8Array) => ((text += String(chunk)), true)) as typeof process.stderr.write;
    try {
        await run();
    } finally {
        process.stderr.write = write;
    }
    return text;
}

async function failureOf(p: Promise<unknown>): Promise<Error> {
    return p.then(
        () => assert.fail("expected a failure"),
        (e: Error) => e,
    );
}

describe("an expected failure prints no stack trace through the dynamic provider host", () => {
    useFleioMock();

    it("a 401 on delete: the host prints nothing, and the error's message names the token's source and the fix", async () => {
        fleio().delete(`${API}/clients/5`).reply(401, { detail: "Invalid token." });
        const err = await failureOf(provider("Reseller").delete!("5", {}));
        const printed = await stderrOf(async () => hostCatch(err));
        assert.equal(printed, "", "the host's console.error line is dropped");
        assert.match(err.message, /^fleio:Reseller delete: Fleio DELETE \/clients\/5 failed: HTTP 401 — Invalid token\. Fleio refused the token from stack config fleio:token\./);
        assert.doesNotMatch(String(err.stack), /\n\s+at /, "no stack frames, whoever renders it");
    });

    it("Fleio refusing a read (400): message only", async () => {
        fleio().get(`${API}/clients/6`).reply(400, { detail: "Client has active services" });
        const err = await failureOf(provider("Reseller").read!("6", {}));
        assert.equal(await stderrOf(async () => hostCatch(err)), "");
        assert.match(err.message, /^fleio:Reseller read: Fleio GET \/clients\/6 failed: HTTP 400 — Client has active services$/);
    });

    it("invalid settings at delete are an expected failure too (no stack)", async () => {
        const { configure } = await import("../../provider");
        const { resetProviderContext } = await import("../../provider/context");
        resetProviderContext();
        await configure({ config: { get: (k: string) => ({ "fleio:url": BASE })[k], require: () => "" } });
        const saved = process.env.FLEIO_TOKEN;
        delete process.env.FLEIO_TOKEN;
        try {
            const err = await failureOf(provider("Reseller").delete!("5", {}));
            assert.match(err.message, /fleio:token is not set/);
            assert.equal(await stderrOf(async () => hostCatch(err)), "");
        } finally {
            if (saved !== undefined) process.env.FLEIO_TOKEN = saved;
            nock.cleanAll();
        }
    });

    it("a bug in the provider keeps its stack trace, which its report needs", async () => {
        const buggy = defineResource({
            kind: "Probe",
            inputs: z.object({}),
            replaceOnChange: [],
            create: async () => ({ id: "1", outs: {} }),
            read: async () => {
                throw new TypeError("Cannot read properties of undefined (reading 'id')");
            },
            update: async () => ({}),
            delete: async () => undefined,
        });
        const err = await failureOf(buggy.read!("1", {}));
        const printed = await stderrOf(async () => hostCatch(err));
        assert.match(printed, /fleio:Probe read: Cannot read properties of undefined/);
        assert.match(printed, /\n\s+at /, "the frames of the original error are kept");
    });

    it("several resources failing with the same text: each of their lines is dropped", async () => {
        const errors = [quietError("fleio:OpenstackPlan delete: Fleio GET /openstack/billing/plan failed: HTTP 401"), quietError("fleio:OpenstackPlan delete: Fleio GET /openstack/billing/plan failed: HTTP 401")];
        assert.equal(await stderrOf(async () => errors.forEach(hostCatch)), "");
    });

    it("only the line the host prints for that error is dropped, once; other stderr lines pass", async () => {
        const err = quietError("fleio:Reseller delete: refused");
        const printed = await stderrOf(async () => {
            console.error("something else");
            hostCatch(err);
            hostCatch(err);
        });
        assert.equal(printed, "something else\nError: fleio:Reseller delete: refused: Error: fleio:Reseller delete: refused\n", "the second print of one error is not swallowed");
    });
});
