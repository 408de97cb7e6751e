import * as assert from "node:assert/strict";
import { resolveSettings, type ClientSettings } from "../../../provider/config";
import { contextFor, providerContext, remember, setConfigSource } from "../../../provider/context";
import { testSettings } from "../support/fleio-client";

const TOKEN = "0123456789abcdef0123456789abcdef01234567";

/** A Pulumi config getter over a plain object of `fleio:*` keys. */
const cfg = (values: Record<string, string>) => (key: string) => values[key];

function resolve(config: Record<string, string>, env: NodeJS.ProcessEnv = {}): ClientSettings {
    return resolveSettings(cfg(config), env);
}

function configError(config: Record<string, string>, env: NodeJS.ProcessEnv = {}): string {
    try {
        resolve(config, env);
    } catch (e) {
        assert.ok(e instanceof Error);
        return e.message;
    }
    return assert.fail("expected resolveSettings to reject this configuration");
}

describe("resolveSettings", () => {
    const minimal = { "fleio:url": "https://billing.example.com", "fleio:token": TOKEN };

    it("builds the staff API root and safe defaults from url and token", () => {
        const s = resolve(minimal);
        assert.equal(s.apiRoot, "https://billing.example.com/backend/staffapi");
        assert.equal(s.siteUrl, "https://billing.example.com");
        assert.equal(s.apiScope, "staff");
        assert.equal(s.token, TOKEN);
        assert.equal(s.insecureSkipVerify, false);
        assert.equal(s.maxConcurrency, 8);
        assert.equal(s.timeoutMs, 30_000);
        assert.equal(s.retries, 4);
        assert.equal(s.deleteTimeoutMs, 300_000);
        assert.ok(s.retryMaxDelayMs >= 3000, "the cap must leave room for a typical Retry-After");
    });

    it("config keys win over the environment", () => {
        const s = resolve(
            { ...minimal, "fleio:apiScope": "reseller", "fleio:maxRetries": "2" },
            { FLEIO_URL: "https://env.example.com", FLEIO_TOKEN: "envtokenenvtokenenvtoken", FLEIO_API_SCOPE: "staff", FLEIO_MAX_RETRIES: "9" },
        );
        assert.equal(s.siteUrl, "https://billing.example.com");
        assert.equal(s.token, TOKEN);
        assert.equal(s.apiScope, "reseller");
        assert.equal(s.retries, 2);
    });

    it("falls back to FLEIO_URL and FLEIO_TOKEN (and the other FLEIO_* variables)", () => {
        const s = resolve({}, {
            FLEIO_URL: "https://env.example.com",
            FLEIO_TOKEN: TOKEN,
            FLEIO_API_SCOPE: "reseller",
            FLEIO_INSECURE_SKIP_VERIFY: "true",
            FLEIO_MAX_CONCURRENCY: "3",
            FLEIO_TIMEOUT_SECONDS: "12",
            FLEIO_MAX_RETRIES: "0",
            FLEIO_DELETE_TIMEOUT_SECONDS: "60",
        });
        assert.equal(s.apiRoot, "https://env.example.com/backend/resellerapi");
        assert.equal(s.token, TOKEN);
        assert.equal(s.insecureSkipVerify, true);
        assert.equal(s.maxConcurrency, 3);
        assert.equal(s.timeoutMs, 12_000);
        assert.equal(s.retries, 0);
        assert.equal(s.deleteTimeoutMs, 60_000);
    });

    it("mixes: url from config, token from the environment", () => {
        const s = resolve({ "fleio:url": "https://billing.example.com" }, { FLEIO_TOKEN: TOKEN });
        assert.equal(s.token, TOKEN);
        assert.equal(s.apiRoot, "https://billing.example.com/backend/staffapi");
    });

    it("a missing url names fleio:url and says how to set it", () => {
        const msg = configError({ "fleio:token": TOKEN });
        assert.match(msg, /fleio:url/);
        assert.ok(msg.includes("pulumi config set fleio:url"), msg);
        assert.ok(msg.includes("FLEIO_URL"), msg);
        assert.ok(!msg.includes("fleio:token"), "only the missing key is reported");
    });

    it("a missing token names fleio:token and says how to set it as a secret", () => {
        const msg = configError({ "fleio:url": "https://billing.example.com" });
        assert.match(msg, /fleio:token/);
        assert.ok(msg.includes("pulumi config set --secret fleio:token"), msg);
        assert.ok(msg.includes("FLEIO_TOKEN"), msg);
    });

    it("an empty value counts as missing", () => {
        assert.match(configError({ "fleio:url": "", "fleio:token": TOKEN }), /fleio:url is not set/);
        assert.match(configError({ "fleio:url": "https://billing.example.com" }, { FLEIO_TOKEN: "" }), /fleio:token is not set/);
    });

    it("an empty config value still falls back to the environment (the error would say \"or set FLEIO_URL\")", () => {
        const s = resolve({ "fleio:url": "", "fleio:token": "" }, { FLEIO_URL: "https://env.example.com", FLEIO_TOKEN: TOKEN });
        assert.equal(s.siteUrl, "https://env.example.com");
        assert.equal(s.token, TOKEN);
    });

    it("both missing: both keys are reported in one error", () => {
        const msg = configError({});
        assert.match(msg, /fleio:url/);
        assert.match(msg, /fleio:token/);
    });

    for (const [given, site] of [
        ["https://billing.example.com/", "https://billing.example.com"],
        ["https://billing.example.com///", "https://billing.example.com"],
        ["https://billing.example.com/backend/staffapi", "https://billing.example.com"],
        ["https://billing.example.com/backend/staffapi/", "https://billing.example.com"],
        ["https://billing.example.com/backend/resellerapi", "https://billing.example.com"],
        ["  https://billing.example.com  ", "https://billing.example.com"],
        ["http://10.0.0.5:8000", "http://10.0.0.5:8000"],
        ["https://example.com/fleio/backend/staffapi/", "https://example.com/fleio"],
    ] as const) {
        it(`normalises ${JSON.stringify(given)}`, () => {
            const s = resolve({ "fleio:url": given, "fleio:token": TOKEN });
            assert.equal(s.siteUrl, site);
            assert.equal(s.apiRoot, `${site}/backend/staffapi`);
            assert.ok(!s.apiRoot.endsWith("/"));
        });
    }

    it("apiScope reseller switches the API root to /backend/resellerapi, even from a staffapi URL", () => {
        const a = resolve({ ...minimal, "fleio:apiScope": "reseller" });
        assert.equal(a.apiScope, "reseller");
        assert.equal(a.apiRoot, "https://billing.example.com/backend/resellerapi");
        const b = resolve({ "fleio:url": "https://billing.example.com/backend/staffapi/", "fleio:token": TOKEN, "fleio:apiScope": "reseller" });
        assert.equal(b.apiRoot, "https://billing.example.com/backend/resellerapi");
    });

    it("rejects an unknown apiScope, naming the key", () => {
        const msg = configError({ ...minimal, "fleio:apiScope": "admin" });
        assert.match(msg, /fleio:apiScope/);
        assert.match(msg, /staff/);
        assert.match(msg, /reseller/);
    });

    it("rejects a url that is not http(s), naming the key", () => {
        for (const url of ["billing.example.com", "ftp://billing.example.com", "https://", "https://bad host.com"]) {
            assert.match(configError({ ...minimal, "fleio:url": url }), /fleio:url must be an http\(s\) URL/, url);
        }
    });

    it("rejects a token pasted with the word Token, explaining the fix", () => {
        const msg = configError({ ...minimal, "fleio:token": `Token ${TOKEN}` });
        assert.match(msg, /fleio:token must not contain spaces/);
    });

    for (const bad of ["yes", "1", "TRUE", "on", "no"]) {
        it(`rejects insecureSkipVerify=${JSON.stringify(bad)}, naming the key`, () => {
            const msg = configError({ ...minimal, "fleio:insecureSkipVerify": bad });
            assert.match(msg, /fleio:insecureSkipVerify/);
            assert.match(msg, /"true" or "false"/);
        });
    }

    it("accepts insecureSkipVerify true and false", () => {
        assert.equal(resolve({ ...minimal, "fleio:insecureSkipVerify": "true" }).insecureSkipVerify, true);
        assert.equal(resolve({ ...minimal, "fleio:insecureSkipVerify": "false" }).insecureSkipVerify, false);
    });

    for (const [key, bad] of [
        ["maxConcurrency", "abc"],
        ["maxConcurrency", "0"],
        ["maxConcurrency", "65"],
        ["maxConcurrency", "-1"],
        ["timeoutSeconds", "1.5"],
        ["timeoutSeconds", "0"],
        ["timeoutSeconds", "30s"],
        ["maxRetries", "11"],
        ["maxRetries", "two"],
        ["deleteTimeoutSeconds", "3601"],
    ] as const) {
        it(`rejects ${key}=${JSON.stringify(bad)}, naming the key`, () => {
            const msg = configError({ ...minimal, [`fleio:${key}`]: bad });
            assert.match(msg, new RegExp(`fleio:${key} must`));
        });
    }

    it("accepts integers at the bounds", () => {
        const s = resolve({ ...minimal, "fleio:maxConcurrency": "64", "fleio:timeoutSeconds": "1", "fleio:maxRetries": "0", "fleio:deleteTimeoutSeconds": "3600" });
        assert.equal(s.maxConcurrency, 64);
        assert.equal(s.timeoutMs, 1000);
        assert.equal(s.retries, 0);
        assert.equal(s.deleteTimeoutMs, 3_600_000);
    });

    it("a bad environment variable is reported under its config key", () => {
        const msg = configError(minimal, { FLEIO_MAX_CONCURRENCY: "lots" });
        assert.match(msg, /fleio:maxConcurrency/);
    });
});

describe("provider context", () => {
    const saved: Record<string, string | undefined> = {};
    const envKeys = ["FLEIO_URL", "FLEIO_TOKEN", "FLEIO_API_SCOPE"];
    beforeEach(() => {
        for (const k of envKeys) {
            saved[k] = process.env[k];
            delete process.env[k];
        }
    });
    afterEach(() => {
        for (const k of envKeys) {
            if (saved[k] === undefined) delete process.env[k];
            else process.env[k] = saved[k];
        }
        setConfigSource(() => undefined);
    });

    it("is built from the configured source on first use, then reused", () => {
        setConfigSource(cfg({ "fleio:url": "https://billing.example.com/", "fleio:token": TOKEN, "fleio:apiScope": "reseller" }));
        const a = providerContext();
        assert.equal(a.settings.apiRoot, "https://billing.example.com/backend/resellerapi");
        assert.equal(a.api.baseUrl, "https://billing.example.com/backend/resellerapi");
        assert.equal(providerContext(), a);
    });

    it("setConfigSource replaces the context", () => {
        setConfigSource(cfg({ "fleio:url": "https://one.example.com", "fleio:token": TOKEN }));
        const a = providerContext();
        setConfigSource(cfg({ "fleio:url": "https://two.example.com", "fleio:token": TOKEN }));
        const b = providerContext();
        assert.notEqual(a, b);
        assert.equal(b.settings.siteUrl, "https://two.example.com");
    });

    it("without credentials, fails on use with the config error (not before)", () => {
        setConfigSource(() => undefined);
        assert.throws(() => providerContext(), /fleio:url is not set/);
    });

    it("contextFor wraps explicit settings with a fresh memo", () => {
        const settings = testSettings();
        const ctx = contextFor(settings);
        assert.equal(ctx.settings, settings);
        assert.equal(ctx.api.baseUrl, settings.apiRoot);
        assert.equal(ctx.memo.size, 0);
        assert.notEqual(contextFor(settings).memo, ctx.memo);
    });

    it("remember() runs a look-up once per context, and again after a failure", async () => {
        const ctx = contextFor(testSettings());
        let calls = 0;
        const load = async () => ++calls;
        assert.equal(await remember(ctx, "k", load), 1);
        assert.equal(await remember(ctx, "k", load), 1);
        assert.equal(calls, 1);
        // Concurrent callers share the one in-flight look-up.
        const [x, y] = await Promise.all([remember(ctx, "k2", load), remember(ctx, "k2", load)]);
        assert.equal(x, 2);
        assert.equal(y, 2);

        let attempts = 0;
        const flaky = async () => {
            attempts++;
            if (attempts === 1) throw new Error("Fleio down");
            return "ok";
        };
        await assert.rejects(remember(ctx, "f", flaky), /Fleio down/);
        assert.equal(await remember(ctx, "f", flaky), "ok");
        assert.equal(attempts, 2);
    });
});
