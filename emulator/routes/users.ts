import { createHash } from "node:crypto";
import { drfDateTime } from "../clock";
import { EmulatorContext } from "../context";
import { liveResellerResourcesOf } from "../domain/reseller";
import { fieldError } from "../errors";
import { ListSpec, applyList } from "../listing";
import { User } from "../model";
import { paginate } from "../pagination";
import { bool, char, email, integer, object, validate } from "../schemas/drf";
import { userOut } from "../serializers/users";
import { findOr404, idParam, nextId } from "./lookup";
import { ApiRequest, ApiRouter, ok } from "./registry";

/** Staff users (read-only here) and the end-user sign-up that can land a user under a reseller. */

const userList: ListSpec<User> = {
    fields: {
        id: { kind: "int", get: (u) => u.id },
        username: { kind: "str", get: (u) => u.username },
        email: { kind: "str", get: (u) => u.email },
        first_name: { kind: "str", get: (u) => u.first_name },
        last_name: { kind: "str", get: (u) => u.last_name },
        is_active: { kind: "bool", get: (u) => u.is_active },
        is_staff: { kind: "bool", get: (u) => u.is_staff },
        is_reseller: { kind: "bool", get: (u) => u.is_reseller },
        reseller_resources: { kind: "fk", get: (u) => u.reseller_resources },
    },
    search: [(u) => u.username, (u) => u.email, (u) => u.first_name, (u) => u.last_name],
    ordering: { username: (u) => u.username, email: (u) => u.email, date_joined: (u) => u.date_joined },
};

/** SignUpSerializer (fleio/core/signup/serializers.py). */
const signupSchema = (emailTaken: (e: string) => boolean) =>
    object({
        email: email({ maxLength: 254, check: (e) => (emailTaken(e) ? "Email address already in use" : undefined) }),
        password: char({ maxLength: 128 }),
        first_name: char({ maxLength: 30 }),
        last_name: char({ maxLength: 30 }),
        language: char({ required: false, allowBlank: true, maxLength: 10 }),
        tos_agreement: bool({ default: false }),
        reseller_client_id: integer({ required: false, allowNull: true }),
    });

/**
 * The answer is 201 with the new user, as this project's contract asks. Fleio
 * 2019.12 answers 200 `{"user": <current user info>}` and logs the user in.
 */
function signup(req: ApiRequest, ctx: EmulatorContext) {
    const db = ctx.store.db;
    const data = validate(
        signupSchema((e) => db.users.some((u) => u.email.toLowerCase() === e.toLowerCase() || u.username.toLowerCase() === e.toLowerCase())),
        req.body,
    );
    let rr: number | null = null;
    if (typeof data.reseller_client_id === "number" && data.reseller_client_id !== 0) {
        // [inference] Fleio raises (500) for an unknown client and silently ignores a non-reseller one.
        const reseller = db.clients.find((c) => c.id === data.reseller_client_id);
        if (!reseller) throw validationError(`Client ${data.reseller_client_id} does not exist.`);
        const resources = liveResellerResourcesOf(db, reseller.id);
        if (!resources) throw validationError(`Client ${data.reseller_client_id} is not a reseller.`);
        rr = resources.id;
    }
    ctx.store.touch();
    const user: User = {
        id: nextId(db, "users"),
        username: String(data.email),
        email: String(data.email),
        first_name: String(data.first_name),
        last_name: String(data.last_name),
        password_hash: createHash("sha256").update(String(data.password)).digest("hex"),
        date_joined: drfDateTime(),
        last_login: null,
        is_active: true,
        is_staff: false,
        is_superuser: false,
        is_reseller: false,
        reseller_resources: rr,
        language: typeof data.language === "string" && data.language ? data.language : "en",
        email_verified: false,
        external_billing_id: null,
    };
    db.users.push(user);
    return ok(userOut(db, user), 201);
}

const validationError = (message: string) => fieldError("reseller_client_id", message);

export function userRoutes(r: ApiRouter): void {
    r.add(["staff"], "GET", "users", (req, ctx) => {
        const db = ctx.store.db;
        return ok(paginate(applyList(db.users, req.query, userList).map((u) => userOut(db, u)), req.query, req.url));
    });
    r.add(["staff"], "GET", "users/:id", (req, ctx) => ok(userOut(ctx.store.db, findOr404(ctx.store.db.users, idParam(req.params.id)))));
    r.add(["enduser"], "POST", "signup", signup);
}
