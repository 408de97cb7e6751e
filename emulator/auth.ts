import { ApiError, forbidden } from "./errors";
import { Db, ResellerResources, User } from "./model";
import { liveResellerResourcesOf } from "./domain/reseller";

/**
 * DRF's TokenAuthentication plus Fleio's StaffOnly / ResellerOnly permissions.
 * Failures answer exactly as DRF does, including `WWW-Authenticate: Token` on 401.
 */

export type ApiKind = "staff" | "reseller" | "enduser";

export type Scope =
    | { api: "staff"; user: User }
    | { api: "reseller"; user: User; rr: ResellerResources }
    | { api: "enduser"; user?: User };

const unauthorized = (message: string) => new ApiError(401, { detail: message }, { "WWW-Authenticate": "Token" });

/** The user a `Token <key>` header names; undefined when no token credentials were sent at all. */
export function authenticate(db: Db, header: string | undefined): User | undefined {
    const parts = (header ?? "").trim().split(/\s+/).filter(Boolean);
    // DRF compares the keyword case-insensitively; any other scheme is "no credentials".
    if (!parts.length || parts[0].toLowerCase() !== "token") return undefined;
    if (parts.length === 1) throw unauthorized("Invalid token header. No credentials provided.");
    if (parts.length > 2) throw unauthorized("Invalid token header. Token string should not contain spaces.");
    const token = db.tokens.find((t) => t.key === parts[1]);
    const user = token && db.users.find((u) => u.id === token.user);
    if (!user) throw unauthorized("Invalid token.");
    if (!user.is_active) throw unauthorized("User inactive or deleted.");
    return user;
}

/** Authenticates and checks the API's permission class; throws 401/403 like DRF. */
export function authorize(db: Db, api: ApiKind, header: string | undefined): Scope {
    if (api === "enduser") return { api, user: authenticate(db, header) };
    const user = authenticate(db, header);
    if (!user) throw unauthorized("Authentication credentials were not provided.");
    if (api === "staff") {
        if (!user.is_staff) throw forbidden();
        return { api, user };
    }
    // ResellerOnly: is_reseller and a live reseller service on one of the user's clients.
    const rr = user.is_reseller ? resellerResourcesOfUser(db, user) : undefined;
    if (!rr) throw forbidden();
    return { api, user, rr };
}

function resellerResourcesOfUser(db: Db, user: User): ResellerResources | undefined {
    for (const client of db.clients) {
        if (!client.users.includes(user.id)) continue;
        const rr = liveResellerResourcesOf(db, client.id);
        if (rr) return rr;
    }
    return undefined;
}
