import * as assert from "node:assert/strict";
import * as pulumi from "@pulumi/pulumi";
import nock from "nock";
import { getPlanRules, getResellerProduct } from "../../sdk/lookups";

/**
 * A look-up in a program that Fleio refuses is an expected failure: it rejects with a
 * pulumi.RunError, whose message Pulumi prints without a stack trace (automation/server.ts
 * "Always hide the stack for RunErrors"), not with the Error Pulumi prints in full.
 */
describe("a look-up Fleio refuses fails as a RunError (no stack trace in the program's output)", () => {
    const BASE = "https://lookups.test";
    const TOKEN = "abcdefabcdefabcdefabcdefabcdefabcdefabcd";
    let saved: Record<string, string> = {};

    beforeEach(() => {
        saved = { ...pulumi.runtime.allConfig() };
        pulumi.runtime.setAllConfig({ "fleio:url": BASE, "fleio:token": TOKEN, "fleio:maxRetries": "0" });
        nock.disableNetConnect();
    });
    afterEach(() => {
        pulumi.runtime.setAllConfig(saved);
        nock.cleanAll();
        nock.enableNetConnect();
    });

    it("a revoked token: RunError naming the source and the fix", async () => {
        nock(BASE).get("/backend/staffapi/openstack/billing/plan/7").reply(401, { detail: "Invalid token." });
        const err = await getPlanRules({ planId: "7" }).then(
            () => assert.fail("expected a failure"),
            (e: Error) => e,
        );
        assert.ok(pulumi.RunError.isInstance(err), `a RunError, got ${err.constructor.name}`);
        assert.match(err.message, /HTTP 401 — Invalid token\. Fleio refused the token from stack config fleio:token/);
        assert.equal(err.message.includes(TOKEN), false);
    });

    it("a name that does not exist: RunError listing what does", async () => {
        // Another token than the one refused above: a client stops for a few seconds after a refusal.
        pulumi.runtime.setAllConfig({ "fleio:url": BASE, "fleio:token": TOKEN.replace(/a/g, "e"), "fleio:maxRetries": "0" });
        const page = (objects: unknown[]) => ({ count: objects.length, next: null, previous: null, objects });
        nock(BASE).get("/backend/staffapi/billing/products").query(true).reply(200, page([{ id: 1, name: "Reseller", product_type: "reseller" }]));
        nock(BASE).get("/backend/staffapi/billing/productcycles").query(true).reply(200, page([]));
        const err = await getResellerProduct({ name: "Gold" }).then(
            () => assert.fail("expected a failure"),
            (e: Error) => e,
        );
        assert.ok(pulumi.RunError.isInstance(err));
        assert.equal(err.message, 'no reseller product named "Gold"; there are: Reseller');
    });
});
