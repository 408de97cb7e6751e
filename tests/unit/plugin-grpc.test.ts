import * as assert from "node:assert/strict";
import * as grpc from "@grpc/grpc-js";
import { startEmulator, RunningEmulator } from "../../emulator";
import { serve } from "../../provider/plugin/server";
import { resetProviderContext } from "../../provider/context";
import { setNoticeSink } from "../../provider/notice";

/* eslint-disable @typescript-eslint/no-require-imports */
const provrpc = require("@pulumi/pulumi/proto/provider_grpc_pb");
const provproto = require("@pulumi/pulumi/proto/provider_pb");
const structproto = require("google-protobuf/google/protobuf/struct_pb");
const emptyproto = require("google-protobuf/google/protobuf/empty_pb");
/* eslint-enable @typescript-eslint/no-require-imports */

/**
 * The native plugin (provider/plugin/server.ts) as the engine calls it: over gRPC,
 * with the proto messages @pulumi/pulumi ships, against the emulator. The proto modules
 * are not public API, so these tests are what keeps the ~3.248 pin honest.
 */
const SIG = "4dabf18193072939515e22adb298388d";
const SECRET = "1b47061264138c4ac30d75fd1eb44270";
const UNKNOWN = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";
const urn = (kind: string, name: string) => `urn:pulumi:dev::yaml::fleio:index:${kind}::${name}`;
const struct = (o: object) => structproto.Struct.fromJavaScript(o);

const reseller = {
    firstName: "Ada",
    lastName: "Lovelace",
    email: "ada@reseller.example",
    phone: "+44 20 0000 0000",
    address1: "1 Analytical Way",
    city: "London",
    zipCode: "N1 1AA",
    country: "gb",
    currency: "EUR",
    externalBillingId: "grpc-ada",
};

describe("native plugin over gRPC", function () {
    this.timeout(30_000);
    let em: RunningEmulator;
    let server: grpc.Server;
    let client: any;
    const notices: string[] = [];

    const call = <T = any>(method: string, req: unknown): Promise<T> =>
        new Promise((resolve, reject) => client[method](req, (err: Error | null, res: T) => (err ? reject(err) : resolve(res))));
    const configure = (vars: Record<string, string>) => {
        const req = new provproto.ConfigureRequest().setAcceptsecrets(true);
        for (const [k, v] of Object.entries(vars)) req.getVariablesMap().set(`fleio:config:${k}`, v);
        return call("configure", req);
    };
    const check = (kind: string, news: object, olds: object = {}) =>
        call("check", new provproto.CheckRequest().setUrn(urn(kind, "x")).setType(`fleio:index:${kind}`).setOlds(struct(olds)).setNews(struct(news)));
    const diff = (kind: string, id: string, olds: object, news: object) =>
        call("diff", new provproto.DiffRequest().setUrn(urn(kind, "x")).setType(`fleio:index:${kind}`).setId(id).setOlds(struct(olds)).setNews(struct(news)));
    const create = (kind: string, props: object) => call("create", new provproto.CreateRequest().setUrn(urn(kind, "x")).setType(`fleio:index:${kind}`).setProperties(struct(props)));
    const read = (kind: string, id: string, props: object = {}, inputs: object = {}) =>
        call("read", new provproto.ReadRequest().setUrn(urn(kind, "x")).setType(`fleio:index:${kind}`).setId(id).setProperties(struct(props)).setInputs(struct(inputs)));
    const update = (kind: string, id: string, olds: object, news: object) =>
        call("update", new provproto.UpdateRequest().setUrn(urn(kind, "x")).setType(`fleio:index:${kind}`).setId(id).setOlds(struct(olds)).setNews(struct(news)));
    const del = (kind: string, id: string, props: object) => call("delete", new provproto.DeleteRequest().setUrn(urn(kind, "x")).setType(`fleio:index:${kind}`).setId(id).setProperties(struct(props)));
    const clientStatus = async (id: string) => {
        const res = await fetch(`${em.url}/backend/staffapi/clients/${id}`, { headers: { Authorization: `Token ${em.staffToken}` } });
        return res.status === 404 ? "gone" : ((await res.json()) as { status: string }).status;
    };

    before(async () => {
        em = await startEmulator({ seed: 14, deleteDelayMs: 50 });
        resetProviderContext();
        const started = await serve();
        server = started.server;
        client = new provrpc.ResourceProviderClient(`127.0.0.1:${started.port}`, grpc.credentials.createInsecure());
        setNoticeSink((line) => notices.push(line));
    });
    after(async () => {
        client?.close();
        server?.forceShutdown();
        await em?.close();
        resetProviderContext();
        setNoticeSink((line) => process.stderr.write(line + "\n"));
    });

    it("GetSchema serves package fleio with the six resources, the config and the dynamic aliases", async () => {
        const schema = JSON.parse((await call<any>("getSchema", new provproto.GetSchemaRequest())).getSchema());
        assert.equal(schema.name, "fleio");
        assert.deepEqual(Object.keys(schema.resources).sort(), ["Configuration", "FrontendDomain", "OpenstackPlan", "PricingRule", "Reseller", "ResellerService"].map((k) => `fleio:index:${k}`));
        assert.deepEqual(Object.keys(schema.config.variables).sort(), ["apiScope", "deleteTimeoutSeconds", "insecureSkipVerify", "maxConcurrency", "maxRetries", "timeoutSeconds", "token", "url"]);
        assert.equal(schema.config.variables.token.secret, true);
        assert.deepEqual(schema.config.variables.url.defaultInfo.environment, ["FLEIO_URL"]);
        assert.deepEqual(schema.resources["fleio:index:Reseller"].aliases, [{ type: "pulumi-nodejs:dynamic/fleio:Reseller" }]);
        assert.match(schema.resources["fleio:index:Reseller"].inputProperties.currency.description, /replaces/);
        assert.ok(schema.resources["fleio:index:Reseller"].properties.clientId, "outputs are in the schema");
    });

    it("GetPluginInfo answers the package version", async () => {
        const info = await call<any>("getPluginInfo", new emptyproto.Empty());
        assert.equal(info.getVersion(), require("../../../package.json").version);
    });

    it("CheckConfig returns the token as a secret and names a bad value without echoing it", async () => {
        const ok = await call<any>("checkConfig", new provproto.CheckRequest().setUrn("urn:pulumi:dev::yaml::pulumi:providers:fleio::default").setNews(struct({ url: em.url, token: em.staffToken })));
        assert.deepEqual(ok.getFailuresList(), []);
        assert.deepEqual(ok.getInputs().toJavaScript().token, { [SIG]: SECRET, value: em.staffToken });
        const bad = await call<any>("checkConfig", new provproto.CheckRequest().setNews(struct({ url: "ftp://secret-host.example", token: "has a space", maxConcurrency: "999" })));
        const failures = bad.getFailuresList().map((f: any) => `${f.getProperty()}: ${f.getReason()}`);
        assert.deepEqual(failures.map((f: string) => f.split(":")[0]).sort(), ["maxConcurrency", "token", "url"]);
        assert.ok(failures.every((f: string) => !f.includes("secret-host") && !f.includes("has a space") && !f.includes("999")), failures.join("\n"));
    });

    it("DiffConfig never asks to replace, even for a new url or token", async () => {
        const res = await call<any>("diffConfig", new provproto.DiffRequest().setOlds(struct({ url: "https://a.example", token: "t1" })).setNews(struct({ url: "https://b.example", token: { [SIG]: SECRET, value: "t2" } })));
        assert.equal(res.getChanges(), provproto.DiffResponse.DiffChanges.DIFF_SOME);
        assert.deepEqual(res.getReplacesList(), []);
        assert.deepEqual(res.getDiffsList().sort(), ["token", "url"]);
    });

    it("Configure takes fleio:config:<key> variables, and accepts secrets", async () => {
        const res = await configure({ url: em.url, token: em.staffToken, deleteTimeoutSeconds: "10" });
        assert.equal(res.getAcceptsecrets(), true);
    });

    it("Check normalises inputs, keeps unknowns, and fails a bad field by name", async () => {
        const ok = await check("Reseller", { ...reseller, vatId: UNKNOWN });
        assert.deepEqual(ok.getFailuresList(), []);
        const inputs = ok.getInputs().toJavaScript();
        assert.equal(inputs.country, "GB");
        assert.equal(inputs.vatId, UNKNOWN);
        const bad = await check("Reseller", { ...reseller, currency: "EURO", colour: "red" });
        const failures = bad.getFailuresList().map((f: any) => f.getProperty()).sort();
        assert.deepEqual(failures, ["colour", "currency"]);
    });

    it("a nested field error names its path and the fix in the reason, not as a property the engine would print as <nil>", async () => {
        const bad = await check("PricingRule", { planId: "1", displayName: "Rule", resourceName: "instance", prices: [{ from: 0, price: "0.05 EUR" }] });
        const failures = bad.getFailuresList().map((f: any) => ({ property: f.getProperty(), reason: f.getReason() }));
        // The engine prints `property <p> value {<inputs[p]>}`: with p = "prices[0].price" that value is <nil>.
        assert.deepEqual(failures, [{ property: "", reason: 'prices[0].price must be a number such as "0.05" (got "0.05 EUR")' }]);
        const top = await check("PricingRule", { planId: "1", displayName: "Rule", resourceName: "instance", prices: [{ from: 0, price: "1" }], timeUnit: "month" });
        assert.equal(top.getFailuresList()[0].getProperty(), "timeUnit", "a top-level field keeps its property: the engine shows its value");
    });

    let id = "";
    let outs: Record<string, unknown> = {};
    it("Create makes the client in Fleio and returns its outputs", async () => {
        const checked = (await check("Reseller", reseller)).getInputs().toJavaScript();
        const res = await create("Reseller", checked);
        id = res.getId();
        outs = res.getProperties().toJavaScript();
        assert.match(id, /^\d+$/);
        assert.equal(outs.clientId, id);
        assert.equal(outs.externalBillingId, "grpc-ada");
        assert.equal(await clientStatus(id), "active");
    });

    it("Diff: no change against its own outputs; a city is an update, a currency a replace with delete first", async () => {
        const checked = (await check("Reseller", reseller)).getInputs().toJavaScript();
        const none = await diff("Reseller", id, outs, checked);
        assert.equal(none.getChanges(), provproto.DiffResponse.DiffChanges.DIFF_NONE);
        const city = await diff("Reseller", id, outs, { ...checked, city: "Cambridge" });
        assert.equal(city.getChanges(), provproto.DiffResponse.DiffChanges.DIFF_SOME);
        assert.deepEqual(city.getReplacesList(), []);
        assert.equal(city.getDetaileddiffMap().get("city").getKind(), provproto.PropertyDiff.Kind.UPDATE);
        const cur = await diff("Reseller", id, outs, { ...checked, currency: "USD" });
        assert.deepEqual(cur.getReplacesList(), ["currency"]);
        assert.equal(cur.getDeletebeforereplace(), true);
        assert.equal(cur.getDetaileddiffMap().get("currency").getKind(), provproto.PropertyDiff.Kind.UPDATE_REPLACE);
    });

    it("a preview of an update keeps what an update cannot change known (Diff stables, Update with preview), and sends nothing", async () => {
        const checked = (await check("Reseller", { ...reseller, city: "Cambridge" })).getInputs().toJavaScript();
        const d = await diff("Reseller", id, outs, checked);
        assert.deepEqual([...d.getStablesList()].sort(), ["clientId", "currency", "dateCreated"]);
        const before = ((await (await fetch(`${em.url}/__emulator/stats`)).json()) as { total: number }).total;
        const res = await call<any>("update", new provproto.UpdateRequest().setUrn(urn("Reseller", "x")).setType("fleio:index:Reseller").setId(id).setOlds(struct(outs)).setNews(struct(checked)).setPreview(true));
        const planned = res.getProperties().toJavaScript();
        assert.equal(planned.clientId, id, "the client's id stays known, so what is keyed on it is not shown replaced");
        assert.equal(planned.dateCreated, outs.dateCreated, "as the state has it (absent stays absent)");
        assert.equal(planned.city, "Cambridge", "the new inputs");
        assert.equal(planned.name, UNKNOWN, "an output the update may change is unknown");
        assert.equal(planned.status, UNKNOWN);
        const after = ((await (await fetch(`${em.url}/__emulator/stats`)).json()) as { total: number }).total;
        assert.equal(after, before, "a preview calls no Fleio API");
        const created = (await call<any>("create", new provproto.CreateRequest().setUrn(urn("Reseller", "y")).setType("fleio:index:Reseller").setProperties(struct(checked)).setPreview(true))).getProperties().toJavaScript();
        assert.equal(created.clientId, UNKNOWN, "a create's id is not known before it happens");
    });

    it("Update changes the client in place", async () => {
        const checked = (await check("Reseller", { ...reseller, city: "Cambridge" })).getInputs().toJavaScript();
        const res = await update("Reseller", id, outs, checked);
        outs = res.getProperties().toJavaScript();
        assert.equal(outs.city, "Cambridge");
        assert.equal(outs.clientId, id);
    });

    it("Read (refresh) sees an out-of-band edit and returns matching inputs", async () => {
        await fetch(`${em.url}/backend/staffapi/clients/${id}`, {
            method: "PATCH",
            headers: { Authorization: `Token ${em.staffToken}`, "content-type": "application/json" },
            body: JSON.stringify({ city: "Oxford" }),
        });
        const res = await read("Reseller", id, outs, { ...reseller, city: "Cambridge" });
        assert.equal(res.getId(), id);
        assert.equal(res.getProperties().toJavaScript().city, "Oxford");
        assert.equal(res.getInputs().toJavaScript().city, "Oxford");
        assert.equal(res.getInputs().toJavaScript().externalBillingId, "grpc-ada", "kept from state: Fleio never returns it");
    });

    it("Read with only an id (import) recovers inputs that pass Check and diff clean", async () => {
        const res = await read("Reseller", id);
        const inputs = res.getInputs().toJavaScript();
        assert.equal(inputs.email, reseller.email);
        assert.equal(inputs.clientId, undefined, "outputs are not inputs");
        const checked = await check("Reseller", inputs);
        assert.deepEqual(checked.getFailuresList(), []);
        const d = await diff("Reseller", id, res.getProperties().toJavaScript(), checked.getInputs().toJavaScript());
        assert.equal(d.getChanges(), provproto.DiffResponse.DiffChanges.DIFF_NONE);
    });

    it("Delete removes the client from management; Fleio's notice goes to the log sink", async () => {
        // A later run (the engine starts the plugin per run): this run's creates are not its own.
        resetProviderContext();
        await del("Reseller", id, outs);
        // Fleio suspends and keeps a deleted client by default (suspend_instead_of_terminate).
        assert.notEqual(await clientStatus(id), "active");
        assert.ok(notices.some((n) => n.includes(`client ${id}`)), "Fleio's kept-client notice went through the plugin's log sink");
    });

    it("Read of an object gone from Fleio returns no id, so refresh drops it", async () => {
        const res = await read("Configuration", "987654", { name: "gone", configurationId: "987654" });
        assert.equal(res.getId(), "");
    });

    it("import reads recover the links Fleio holds: a service's client, product and cycle, a panel's client, an owned object's reseller", async () => {
        const made = async (kind: string, inputs: object) => {
            const checked = await check(kind, inputs);
            assert.deepEqual(checked.getFailuresList(), [], kind);
            const res = await create(kind, checked.getInputs().toJavaScript());
            return { id: res.getId() as string, outs: res.getProperties().toJavaScript() as Record<string, any> };
        };
        const client = await made("Reseller", { ...reseller, externalBillingId: "grpc-import" });
        const plan = await made("OpenstackPlan", { name: "grpc import plan", currency: "EUR" });
        const service = await made("ResellerService", { clientId: client.id, productName: "Reseller", cycle: "month", cycleCurrency: "EUR", planId: plan.id });
        const panel = await made("FrontendDomain", { clientId: client.id, serviceId: service.id, domain: "panel.grpc-import.example" });
        const owned = await made("Configuration", { name: "grpc-owned", resellerClientId: client.id });
        for (const [kind, obj, expected] of [
            ["ResellerService", service, { clientId: client.id, planId: plan.id, productId: service.outs.resolvedProductId, productCycleId: service.outs.resolvedProductCycleId }],
            ["FrontendDomain", panel, { clientId: client.id, serviceId: service.id, domain: "panel.grpc-import.example", scheme: "https" }],
            ["Configuration", owned, { name: "grpc-owned", resellerClientId: client.id }],
        ] as const) {
            const res = await read(kind, obj.id);
            const inputs = res.getInputs().toJavaScript();
            for (const [k, v] of Object.entries(expected)) assert.equal(inputs[k], v, `${kind}.${k}`);
            const checked = await check(kind, inputs);
            assert.deepEqual(checked.getFailuresList(), [], kind);
            const d = await diff(kind, obj.id, res.getProperties().toJavaScript(), checked.getInputs().toJavaScript());
            assert.equal(d.getChanges(), provproto.DiffResponse.DiffChanges.DIFF_NONE, `${kind}: ${d.getDiffsList()}`);
        }
    });

    it("an error is one line naming the resource and step, with no stack", async () => {
        const checked = (await check("Reseller", { ...reseller, externalBillingId: "grpc-other", adopt: "987654321" })).getInputs().toJavaScript();
        await assert.rejects(create("Reseller", checked), (e: any) => {
            assert.equal(e.code, grpc.status.UNKNOWN);
            assert.doesNotMatch(e.details, /\n\s+at /);
            assert.match(e.details, /^fleio:Reseller create: adopt: there is no client 987654321/);
            return true;
        });
    });
});
