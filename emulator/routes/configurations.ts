import { z } from "zod";
import { Scope } from "../auth";
import { EmulatorContext } from "../context";
import { settingsOf, updateSettings } from "../domain/billing-settings";
import { conflict, validation } from "../errors";
import { ListSpec, applyList } from "../listing";
import { Configuration, Db } from "../model";
import { paginate } from "../pagination";
import { bool, char, MISSING, object, pk, validate } from "../schemas/drf";
import { findOr404, idParam, nextId, scopeRr, visibleIn } from "./lookup";
import { ApiRequest, ApiRouter, ok } from "./registry";

/** Configurations (Settings → Configurations) on the staff and reseller APIs. */

/** ConfigurationsSerializer; PATCH makes every field optional. */
const configurationSchema = (partial: boolean) =>
    object({
        name: char({ maxLength: 24, required: !partial }),
        description: char({ required: false, allowBlank: true, maxLength: 255 }),
        is_default: bool({ required: false }),
        reseller_resources: pk({ required: false, allowNull: true }),
    });
type ConfigurationInput = z.output<ReturnType<typeof configurationSchema>>;

const configurationList: ListSpec<Configuration> = {
    fields: {
        id: { kind: "int", get: (c) => c.id },
        name: { kind: "str", get: (c) => c.name },
        description: { kind: "str", get: (c) => c.description },
        is_default: { kind: "bool", get: (c) => c.is_default },
        reseller_resources: { kind: "fk", get: (c) => c.reseller_resources },
    },
    search: [(c) => c.name],
    ordering: { name: (c) => c.name },
    defaultOrdering: ["name"],
};

function configurationOut(db: Db, c: Configuration) {
    return {
        id: c.id,
        client_count: db.clients.filter((x) => x.configuration === c.id).length,
        description: c.description,
        name: c.name,
        is_default: c.is_default,
        reseller_resources: c.reseller_resources,
    };
}

/**
 * Configuration.save(): setting the flag takes it from the scope's other default; a
 * scope never loses its default by unsetting it, and a scope without one gets one.
 */
function saveDefault(db: Db, c: Configuration): void {
    const others = db.configurations.filter((x) => x !== c && x.reseller_resources === c.reseller_resources && x.is_default);
    if (c.is_default) for (const o of others) o.is_default = false;
    else if (!others.length) c.is_default = true;
}

/** Where the object will live, and the uniqueness check of (name, reseller_resources). */
function checkScopeAndName(db: Db, scope: Scope, data: ConfigurationInput, self?: Configuration): number | null {
    let owner = self ? self.reseller_resources : scopeRr(scope);
    if (scope.api === "staff" && data.reseller_resources !== MISSING) {
        if (typeof data.reseller_resources === "number" && !db.reseller_resources.some((r) => r.id === data.reseller_resources))
            throw validation({ reseller_resources: [`Invalid pk "${data.reseller_resources}" - object does not exist.`] });
        owner = data.reseller_resources;
    }
    const name = typeof data.name === "string" ? data.name : self?.name;
    // unique_together(name, reseller_resources): SQL never sees two NULLs as equal, so the staff scope takes duplicates.
    if (owner !== null && db.configurations.some((c) => c !== self && c.name === name && c.reseller_resources === owner)) {
        // Staff: DRF's UniqueTogetherValidator. Reseller: Fleio catches the IntegrityError itself, with a plain string.
        if (scope.api === "reseller") throw validation({ name: "A configuration with this name already exists" });
        throw validation({ non_field_errors: ["The fields name, reseller_resources must make a unique set."] });
    }
    return owner;
}

function create(req: ApiRequest, ctx: EmulatorContext) {
    const db = ctx.store.db;
    const data = validate(configurationSchema(false), req.body);
    const owner = checkScopeAndName(db, req.scope, data);
    ctx.store.touch();
    const c: Configuration = {
        id: nextId(db, "configurations"),
        name: String(data.name),
        description: typeof data.description === "string" ? data.description : "",
        is_default: data.is_default === true,
        reseller_resources: owner,
        billing: {},
    };
    saveDefault(db, c);
    db.configurations.push(c);
    return ok(configurationOut(db, c), 201);
}

function update(partial: boolean) {
    return (req: ApiRequest, ctx: EmulatorContext) => {
        const db = ctx.store.db;
        const c = findOr404(db.configurations, idParam(req.params.id), (x) => visibleIn(req.scope, x.reseller_resources));
        const data = validate(configurationSchema(partial), req.body);
        const owner = checkScopeAndName(db, req.scope, data, c);
        ctx.store.touch();
        if (typeof data.name === "string") c.name = data.name;
        if (typeof data.description === "string") c.description = data.description;
        if (typeof data.is_default === "boolean") c.is_default = data.is_default;
        c.reseller_resources = owner;
        saveDefault(db, c);
        return ok(configurationOut(db, c));
    };
}

function destroy(req: ApiRequest, ctx: EmulatorContext) {
    const db = ctx.store.db;
    const c = findOr404(db.configurations, idParam(req.params.id), (x) => visibleIn(req.scope, x.reseller_resources));
    if (req.scope.api === "reseller" && c.is_default) throw conflict(`Unable to delete default configuration ${c.name}`);
    if (db.clients.some((x) => x.configuration === c.id)) throw conflict(`Unable to delete configuration ${c.name} while it is assigned to one or more clients`);
    ctx.store.touch();
    db.configurations = db.configurations.filter((x) => x.id !== c.id);
    return { status: 204 };
}

export function configurationRoutes(r: ApiRouter): void {
    const both = ["staff", "reseller"] as const;
    r.add([...both], "GET", "configurations", (req, ctx) => {
        const db = ctx.store.db;
        const rows = db.configurations.filter((c) => visibleIn(req.scope, c.reseller_resources));
        return ok(paginate(applyList(rows, req.query, configurationList).map((c) => configurationOut(db, c)), req.query, req.url));
    });
    r.add([...both], "POST", "configurations", create);
    r.add([...both], "GET", "configurations/:id", (req, ctx) => {
        const db = ctx.store.db;
        return ok(configurationOut(db, findOr404(db.configurations, idParam(req.params.id), (x) => visibleIn(req.scope, x.reseller_resources))));
    });
    r.add([...both], "PUT", "configurations/:id", update(false));
    r.add([...both], "PATCH", "configurations/:id", update(true));
    r.add([...both], "DELETE", "configurations/:id", destroy);
    r.add(["staff"], "GET", "configurations/:id/billing", (req, ctx) => ok(settingsOf(findOr404(ctx.store.db.configurations, idParam(req.params.id)))));
    r.add(["staff"], "PUT", "configurations/:id/billing", (req, ctx) => {
        const c = findOr404(ctx.store.db.configurations, idParam(req.params.id));
        const settings = updateSettings(c, req.body);
        ctx.store.touch();
        return ok({ detail: "Settings updated", settings });
    });
}
