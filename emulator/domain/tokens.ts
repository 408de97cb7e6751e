import { randomBytes } from "node:crypto";
import { AuthToken, Db } from "../model";

/**
 * API tokens as an operator rotates them. Fleio 2023.12 keeps several tokens per user
 * (fleio-api.md, S2: "internal Fleio tokens (multiple per user)"), and a token is a
 * DRF authtoken row: deleting the row revokes it at once, and the next request with
 * it answers 401 {"detail": "Invalid token."} (auth.ts). So a rotation is "issue a new
 * token for the same user, then revoke the old one", and both steps live here.
 */

/** A new 40-hex token for `userId`, beside the user's existing ones. */
export function issueToken(db: Db, userId: number): AuthToken | undefined {
    if (!db.users.some((u) => u.id === userId)) return undefined;
    const token = { key: randomBytes(20).toString("hex"), user: userId };
    db.tokens.push(token);
    return token;
}

/** Deletes the token row; false when no such token exists (already revoked). */
export function revokeToken(db: Db, key: string): boolean {
    const at = db.tokens.findIndex((t) => t.key === key);
    if (at < 0) return false;
    db.tokens.splice(at, 1);
    return true;
}

/** The user a token belongs to, for issuing its successor. */
export function tokenOwner(db: Db, key: string): number | undefined {
    return db.tokens.find((t) => t.key === key)?.user;
}
