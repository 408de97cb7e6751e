import * as assert from "node:assert/strict";
import nock from "nock";
import { FleioClient } from "../../../provider/client/http";
import { FleioApiError } from "../../../provider/client/errors";
import { resolveSettings } from "../../../provider/config";
import { settingsFromFlags } from "../../../provider/flag-settings";
import { FLEIO_ORIGIN, STAFF_ROOT, TEST_TOKEN, assertAllCalled, rejection, useNock } from "../support/fleio-client";

const ENV_TOKEN = "fedcba9876543210fedcba9876543210fedcba98";

describe("a 401 names where the token came from and the fix, never the token", () => {
    useNock();

    const refused = () => nock(FLEIO_ORIGIN).get(`${STAFF_ROOT}/clients/7`).reply(401, { detail: "Invalid token." }, { "WWW-Authenticate": "Token" });

    it("from stack config fleio:token: how to set the new one, and that refresh and destroy need --run-program after a rotation", async () => {
        refused();
        const settings = resolveSettings((k) => ({ "fleio:url": FLEIO_ORIGIN, "fleio:token": TEST_TOKEN, "fleio:maxRetries": "0" })[k], { FLEIO_TOKEN: ENV_TOKEN });
        assert.equal(settings.tokenSource, "config", "config wins over FLEIO_TOKEN");
        const err = await rejection(() => new FleioClient(settings).get("clients/7"));
        assertAllCalled();
        assert.ok(err instanceof FleioApiError && err.status === 401);
        assert.match(err.message, /^Fleio GET \/clients\/7 failed: HTTP 401 — Invalid token\. Fleio refused the token from stack config fleio:token\. /);
        assert.match(err.message, /pulumi config set --secret fleio:token <token>/);
        assert.match(err.message, /add --run-program \(or set PULUMI_RUN_PROGRAM=true\) to refresh, destroy and up --refresh, which without it send the token the stack's last `pulumi up` recorded$/);
        assert.doesNotMatch(err.message, /FLEIO_TOKEN/, "the unused source is not blamed");
        for (const t of [TEST_TOKEN, ENV_TOKEN]) assert.ok(!err.message.includes(t.slice(0, 12)), "no token value");
    });

    it("from FLEIO_TOKEN (config unset or empty): the variable to set", async () => {
        refused();
        const settings = resolveSettings((k) => ({ "fleio:url": FLEIO_ORIGIN, "fleio:token": "", "fleio:maxRetries": "0" })[k], { FLEIO_TOKEN: ENV_TOKEN });
        assert.equal(settings.tokenSource, "env");
        const err = await rejection(() => new FleioClient(settings).get("clients/7"));
        assert.match(err.message, /Fleio refused the token from the environment variable FLEIO_TOKEN: set FLEIO_TOKEN to a valid API token/);
        assert.doesNotMatch(err.message, /fleio:token|run-program/);
        assert.ok(!err.message.includes(ENV_TOKEN.slice(0, 12)), "no token value");
    });

    it("from a command's FLEIO_TOKEN (discover): the hint names the command's --api-scope flag, never the stack key fleio:apiScope", async () => {
        refused();
        const settings = settingsFromFlags({ url: FLEIO_ORIGIN }, { FLEIO_TOKEN: ENV_TOKEN, FLEIO_MAX_RETRIES: "0" }, (m) => new Error(m));
        assert.equal(settings.tokenSource, "flags");
        const err = await rejection(() => new FleioClient(settings).get("clients/7"));
        assert.match(err.message, /Fleio refused the token from the environment variable FLEIO_TOKEN: set FLEIO_TOKEN to a valid API token of a Fleio staff user \(a reseller's own with --api-scope reseller\)$/);
        assert.doesNotMatch(err.message, /fleio:/, "no stack config key in a command's hint");
        assert.ok(!err.message.includes(ENV_TOKEN.slice(0, 12)), "no token value");
    });

    it("other refusals carry no credential hint", async () => {
        nock(FLEIO_ORIGIN).get(`${STAFF_ROOT}/clients/7`).reply(403, { detail: "You do not have permission to perform this action." });
        const settings = resolveSettings((k) => ({ "fleio:url": FLEIO_ORIGIN, "fleio:token": TEST_TOKEN, "fleio:maxRetries": "0" })[k], {});
        const err = await rejection(() => new FleioClient(settings).get("clients/7"));
        assert.equal(err.message, "Fleio GET /clients/7 failed: HTTP 403 — You do not have permission to perform this action.");
    });
});
