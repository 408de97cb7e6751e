import * as assert from "node:assert/strict";
import { configure } from "../../provider";
import { providerContext, remember, resetProviderContext, settingsFingerprint } from "../../provider/context";
import { resolveSettings } from "../../provider/config";

// The engine configures the provider once per distinct serialized provider, i.e. once
// per resource kind in a run (twice that while old and new handles coexist). What the
// process has learnt must survive those calls, and must not survive new credentials.

const TOKEN = "0123456789abcdef0123456789abcdef01234567";
const base = { "fleio:url": "https://billing.example.com", "fleio:token": TOKEN };
const configureWith = (values: Record<string, string>) => configure({ config: { get: (k: string) => values[k], require: (k: string) => values[k] } } as never);

describe("provider context across configure()", () => {
    beforeEach(() => resetProviderContext());
    after(() => resetProviderContext());

    it("keeps one client and one memo when configure() repeats the same settings", async () => {
        await configureWith(base);
        const first = providerContext();
        let scans = 0;
        await remember(first, "domain-holders", async () => ++scans);
        for (let kind = 0; kind < 6; kind++) await configureWith({ ...base });
        const later = providerContext();
        assert.equal(later, first);
        assert.equal(later.api, first.api, "one client: one concurrency cap for the whole process");
        assert.equal(await remember(later, "domain-holders", async () => ++scans), 1);
        assert.equal(scans, 1, "the scan is not repeated");
    });

    it("a trailing slash or an explicit default is the same setting, not a change", async () => {
        await configureWith(base);
        const first = providerContext();
        await configureWith({ "fleio:url": "https://billing.example.com/", "fleio:token": TOKEN, "fleio:apiScope": "staff", "fleio:maxConcurrency": "8" });
        assert.equal(providerContext(), first);
    });

    for (const [what, change] of [
        ["token", { "fleio:token": `${TOKEN}x` }],
        ["url", { "fleio:url": "https://other.example.com" }],
        ["apiScope", { "fleio:apiScope": "reseller" }],
        ["maxConcurrency", { "fleio:maxConcurrency": "2" }],
    ] as const) {
        it(`a new ${what} starts a new client with an empty memo`, async () => {
            await configureWith(base);
            const first = providerContext();
            await remember(first, "k", async () => 1);
            await configureWith({ ...base, ...change });
            const next = providerContext();
            assert.notEqual(next, first);
            assert.notEqual(next.api, first.api);
            assert.equal(next.memo.size, 0);
        });
    }

    it("configure() before the credentials exist still succeeds; the first use names what is missing", async () => {
        await configureWith({});
        assert.throws(() => providerContext(), /fleio:url is not set/);
        await configureWith(base);
        assert.equal(providerContext().settings.siteUrl, "https://billing.example.com");
    });

    it("compares settings by a digest that holds no token in clear", () => {
        const settings = resolveSettings((k) => (base as Record<string, string>)[k], {});
        const print = settingsFingerprint(settings);
        assert.match(print, /^[0-9a-f]{64}$/);
        assert.ok(!print.includes(TOKEN));
        assert.notEqual(settingsFingerprint({ ...settings, token: `${TOKEN}x` }), print);
        assert.equal(settingsFingerprint({ ...settings }), print);
    });
});
