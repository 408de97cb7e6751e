/**
 * The native resource plugin: pulumirpc.ResourceProvider over gRPC, serving the same
 * resource cores as the dynamic provider (resources/define.ts). This file only
 * translates between protobuf messages and the cores' plain values.
 *
 * @pulumi/pulumi's own provider server (3.248) cannot be used: its configure() ignores
 * the request and CheckConfig/DiffConfig are unimplemented (docs: pulumi-engine.md).
 * The proto modules below are not public API of @pulumi/pulumi: keep its ~3.248 pin;
 * tests/unit/plugin-grpc.test.ts calls this server over gRPC.
 */
import * as grpc from "@grpc/grpc-js";
import { AsyncLocalStorage } from "node:async_hooks";
import { resources, ResourceKind } from "../registry";
import { setConfigSource } from "../context";
import { resolveSettings } from "../config";
import { setNoticeSink } from "../notice";
import { redact } from "../client/redact";
import { containsSecret, dropUndefined, forEngine, isSecretWrapped, PartialCreate, ResourceCore, secretValue, unwrapSecrets } from "../resources/define";
import { CONFIG, packageSchema, PACKAGE } from "./schema";

/* eslint-disable @typescript-eslint/no-require-imports */
const provrpc = require("@pulumi/pulumi/proto/provider_grpc_pb");
const provproto = require("@pulumi/pulumi/proto/provider_pb");
const pluginproto = require("@pulumi/pulumi/proto/plugin_pb");
const enginerpc = require("@pulumi/pulumi/proto/engine_grpc_pb");
const engineproto = require("@pulumi/pulumi/proto/engine_pb");
const statusproto = require("@pulumi/pulumi/proto/status_pb");
const structproto = require("google-protobuf/google/protobuf/struct_pb");
const emptyproto = require("google-protobuf/google/protobuf/empty_pb");
const anyproto = require("google-protobuf/google/protobuf/any_pb");
/* eslint-enable @typescript-eslint/no-require-imports */

const VERSION: string = require("../../../package.json").version;

type Obj = Record<string, unknown>;
const toJs = (s: any): Obj => (s ? (s.toJavaScript() as Obj) : {});
const toStruct = (o: Obj) => structproto.Struct.fromJavaScript(dropUndefined(o));

/** Plain values for create/read/update/delete; `secretKeys` remembers which top-level inputs were secret. */
function unwrap(o: Obj, secretKeys?: Set<string>): Obj {
    return Object.fromEntries(Object.entries(o).map(([k, v]) => { if (secretKeys && containsSecret(v)) secretKeys.add(k); return [k, unwrapSecrets(v)]; }));
}
/** A value that went in as a secret comes out as one. */
const rewrap = (o: Obj, secretKeys: Set<string>): Obj => Object.fromEntries(Object.entries(o).map(([k, v]) => [k, secretKeys.has(k) && v !== undefined ? secretValue(v) : v]));

/** The kind a request is about, from its type token (or its URN, from an older engine). */
function coreOf(req: any): ResourceCore {
    const type: string = (typeof req.getType === "function" && req.getType()) || String(req.getUrn()).split("::")[2]?.split("$").pop() || "";
    const [pkg, , kind] = type.split(":");
    const r = pkg === PACKAGE ? resources[kind as ResourceKind] : undefined;
    if (!r) throw new Error(`pulumi-fleio has no resource type ${type}; the installed plugin may be older than the program`);
    return r.core;
}

/** The inputs a resource's outputs imply: what Read returns as `inputs` (refresh and import). */
function inputsOf(core: ResourceCore, outs: Obj, oldInputs: Obj): Obj {
    const keys = Object.keys(core.spec.inputs.shape);
    const createOnly = new Set<string>(core.spec.createOnly ?? []);
    // A create-only input (adopt) is what the program wrote, not something Fleio holds.
    return Object.fromEntries(keys.map((k) => [k, createOnly.has(k) ? oldInputs[k] : outs[k]]).filter(([, v]) => v !== undefined));
}

/** The request's URN, for notices logged while it runs. */
const current = new AsyncLocalStorage<string>();

type Handler = (req: any) => Promise<any>;
function unary(run: Handler) {
    return (call: grpc.ServerUnaryCall<any, any>, callback: grpc.sendUnaryData<any>) => {
        const urn = typeof call.request?.getUrn === "function" ? call.request.getUrn() : "";
        current.run(urn, () => run(call.request)).then(
            (res) => callback(null, res),
            (e) => callback(toGrpcError(e)),
        );
    };
}

/** An error the engine shows as one line: no stack, no secret; a partial create keeps its id. */
function toGrpcError(e: unknown): grpc.ServiceError {
    const message = redact(e instanceof Error ? e.message : String(e));
    const metadata = new grpc.Metadata();
    if (e instanceof PartialCreate) {
        const detail = new provproto.ErrorResourceInitFailed();
        detail.setId(e.id);
        detail.setProperties(toStruct(e.properties));
        detail.setReasonsList(e.reasons);
        const details = new anyproto.Any();
        details.pack(detail.serializeBinary(), "pulumirpc.ErrorResourceInitFailed");
        const status = new statusproto.Status();
        status.setCode(grpc.status.UNKNOWN);
        status.setMessage(message);
        status.addDetails(details);
        metadata.add("grpc-status-details-bin", Buffer.from(status.serializeBinary()));
    }
    return Object.assign(new Error(message), { code: grpc.status.UNKNOWN, details: message, metadata }) as grpc.ServiceError;
}

/** Config values as the engine sends them in CheckConfig/DiffConfig (`url`, `token`, …; secrets stripped or wrapped). */
function configValues(o: Obj): Record<string, string> {
    const plain = unwrap(o);
    return Object.fromEntries(Object.entries(plain).filter(([k, v]) => k in CONFIG && v !== undefined && v !== null).map(([k, v]) => [k, typeof v === "string" ? v : JSON.stringify(v)]));
}

/** The service. `engineAddress` is where the engine's Log service listens (absent in tests). */
export function providerService(engineAddress?: string) {
    const engine = engineAddress ? new enginerpc.EngineClient(engineAddress, grpc.credentials.createInsecure()) : undefined;
    setNoticeSink((line) => {
        if (!engine) return void process.stderr.write(line + "\n");
        const req = new engineproto.LogRequest();
        req.setSeverity(engineproto.LogSeverity.INFO);
        req.setMessage(line);
        req.setUrn(current.getStore() ?? "");
        engine.log(req, () => undefined);
    });
    return {
        getPluginInfo: unary(async () => new pluginproto.PluginInfo().setVersion(VERSION)),
        getSchema: unary(async () => new provproto.GetSchemaResponse().setSchema(JSON.stringify(packageSchema(VERSION)))),
        cancel: unary(async () => new emptyproto.Empty()),

        /** The token leaves as a secret; a bad value is named with its fix, never echoed (config.ts). */
        checkConfig: unary(async (req) => {
            const news = toJs(req.getNews());
            const values = configValues(news);
            const failures: unknown[] = [];
            try {
                // Only what is set here is checked; FLEIO_* variables fill the rest at Configure.
                resolveSettings((key) => values[key.replace(/^fleio:/, "")]);
            } catch (e) {
                for (const line of String((e as Error).message).split("\n").slice(1)) {
                    const m = /^\s*fleio:(\w+) (.*)$/.exec(line);
                    if (!m || !(m[1] in values) && /is not set/.test(m[2])) continue;
                    failures.push(new provproto.CheckFailure().setProperty(m[1]).setReason(m[2]));
                }
            }
            const inputs = Object.fromEntries(Object.entries(news).map(([k, v]) => [k, k === "token" && !isSecretWrapped(v) ? secretValue(v) : v]));
            return new provproto.CheckResponse().setInputs(toStruct(inputs)).setFailuresList(failures);
        }),
        /** New credentials or settings never replace anything: the resources are the same objects in Fleio. */
        diffConfig: unary(async (req) => {
            const olds = configValues(toJs(req.getOlds()));
            const news = configValues(toJs(req.getNews()));
            const changed = [...new Set([...Object.keys(olds), ...Object.keys(news)])].filter((k) => olds[k] !== news[k]);
            return new provproto.DiffResponse()
                .setChanges(changed.length ? provproto.DiffResponse.DiffChanges.DIFF_SOME : provproto.DiffResponse.DiffChanges.DIFF_NONE)
                .setDiffsList(changed)
                .setReplacesList([]);
        }),
        configure: unary(async (req) => {
            const vars: Record<string, string> = {};
            req.getVariablesMap().forEach((v: string, k: string) => (vars[k] = v));
            const args = configValues(toJs(req.getArgs()));
            // `variables` are keyed fleio:config:<key>; `args` by <key>, from a newer engine.
            setConfigSource((key) => {
                const k = key.replace(/^fleio:/, "");
                return vars[`fleio:config:${k}`] ?? args[k];
            });
            // Preview support: without it the engine takes every output of a changing resource
            // as unknown, and an id other resources use would show them replaced.
            return new provproto.ConfigureResponse().setAcceptsecrets(true).setSupportspreview(true).setAcceptresources(false);
        }),

        check: unary(async (req) => {
            const core = coreOf(req);
            const olds = toJs(req.getOlds());
            const { inputs, failures } = await core.check(Object.keys(olds).length ? olds : undefined, toJs(req.getNews()));
            return new provproto.CheckResponse()
                .setInputs(toStruct(inputs))
                .setFailuresList(failures.map(forEngine).map((f) => new provproto.CheckFailure().setProperty(f.property).setReason(f.reason)));
        }),
        diff: unary(async (req) => {
            const core = coreOf(req);
            const olds = toJs(req.getOlds());
            const news = toJs(req.getNews());
            const d = await core.diff(olds, news);
            const Kind = provproto.PropertyDiff.Kind;
            const res = new provproto.DiffResponse()
                .setChanges(d.changed.length ? provproto.DiffResponse.DiffChanges.DIFF_SOME : provproto.DiffResponse.DiffChanges.DIFF_NONE)
                .setReplacesList(d.replaces)
                .setDiffsList(d.changed)
                .setStablesList(d.stables)
                .setDeletebeforereplace(d.deleteBeforeReplace)
                .setHasdetaileddiff(true);
            const detailed = res.getDetaileddiffMap();
            for (const k of d.changed) {
                const replace = d.replaces.includes(k);
                const kind = olds[k] === undefined ? (replace ? Kind.ADD_REPLACE : Kind.ADD) : news[k] === undefined ? (replace ? Kind.DELETE_REPLACE : Kind.DELETE) : replace ? Kind.UPDATE_REPLACE : Kind.UPDATE;
                detailed.set(k, new provproto.PropertyDiff().setKind(kind).setInputdiff(true));
            }
            return res;
        }),
        create: unary(async (req) => {
            const core = coreOf(req);
            if (req.getPreview()) return new provproto.CreateResponse().setProperties(toStruct(core.planned(toJs(req.getProperties()))));
            const secretKeys = new Set<string>();
            const { id, outs } = await core.create(unwrap(toJs(req.getProperties()), secretKeys));
            return new provproto.CreateResponse().setId(id).setProperties(toStruct(rewrap(outs, secretKeys)));
        }),
        /** Refresh, and import: with only an id, every input comes from Fleio's answer. */
        read: unary(async (req) => {
            const core = coreOf(req);
            const secretKeys = new Set<string>();
            const olds = unwrap(toJs(req.getProperties()), secretKeys);
            const oldInputs = unwrap(toJs(req.getInputs()), secretKeys);
            // No state and no inputs: `pulumi import`, which knows only the id.
            const outs = await core.read(req.getId(), olds, Object.keys(olds).length === 0 && Object.keys(oldInputs).length === 0);
            if (!outs) return new provproto.ReadResponse(); // gone from Fleio: refresh drops it
            return new provproto.ReadResponse()
                .setId(req.getId())
                .setProperties(toStruct(rewrap(outs, secretKeys)))
                .setInputs(toStruct(rewrap(inputsOf(core, outs, oldInputs), secretKeys)));
        }),
        update: unary(async (req) => {
            const core = coreOf(req);
            // What cannot change stays known (the id, the owner's scope), so what is keyed on it is not shown replaced.
            if (req.getPreview()) return new provproto.UpdateResponse().setProperties(toStruct(core.planned(toJs(req.getNews()), toJs(req.getOlds()))));
            const secretKeys = new Set<string>();
            const olds = unwrap(toJs(req.getOlds()));
            const outs = await core.update(req.getId(), olds, unwrap(toJs(req.getNews()), secretKeys));
            return new provproto.UpdateResponse().setProperties(toStruct(rewrap(outs, secretKeys)));
        }),
        delete: unary(async (req) => {
            const core = coreOf(req);
            await core.delete(req.getId(), unwrap(toJs(req.getProperties())));
            return new emptyproto.Empty();
        }),
    };
}

/** Starts the server on a free local port and returns it (the engine reads the port from stdout). */
export async function serve(engineAddress?: string): Promise<{ port: number; server: grpc.Server }> {
    const server = new grpc.Server({ "grpc.max_receive_message_length": 400 * 1024 * 1024 });
    server.addService(provrpc.ResourceProviderService, providerService(engineAddress) as any);
    const port = await new Promise<number>((resolve, reject) =>
        server.bindAsync("127.0.0.1:0", grpc.ServerCredentials.createInsecure(), (err, p) => (err ? reject(err) : resolve(p))),
    );
    return { port, server };
}
