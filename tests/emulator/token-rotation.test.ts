import * as assert from "node:assert/strict";
import { admin, useEmulator } from "./helpers";

/**
 * An operator's token rotation (emulator/domain/tokens.ts): a second token for the same
 * user, then the old one deleted. DRF answers a deleted token with 401 "Invalid token."
 * (fleio-api.md, Observed: DRF TokenAuthentication), from the very next request.
 */
describe("emulator: token rotation, a new token for the same user and the old one revoked", () => {
    const ctx = useEmulator();

    it("the new token works beside the old one until the old one is revoked, which then answers 401 Invalid token.", async () => {
        const issued = await admin(ctx.em, "POST", "tokens", { token: ctx.em.staffToken });
        assert.equal(issued.status, 200);
        const fresh = issued.body.token as string;
        assert.match(fresh, /^[0-9a-f]{40}$/);
        assert.notEqual(fresh, ctx.em.staffToken);
        assert.equal((await ctx.http.get("clients")).status, 200, "the old token still works before it is revoked");
        assert.equal((await ctx.http.as(fresh).get("clients")).status, 200, "the new one works for the same staff user");

        assert.equal((await admin(ctx.em, "POST", "tokens/revoke", { token: ctx.em.staffToken })).status, 200);
        const refused = await ctx.http.get("clients");
        assert.equal(refused.status, 401);
        assert.deepEqual(refused.body, { detail: "Invalid token." });
        assert.equal(refused.headers.get("www-authenticate"), "Token");
        assert.equal((await ctx.http.as(fresh).get("clients")).status, 200, "the new token still works");

        assert.equal((await admin(ctx.em, "POST", "tokens/revoke", { token: ctx.em.staffToken })).status, 404, "a revoked token cannot be revoked twice");
        assert.equal((await admin(ctx.em, "POST", "tokens", { token: ctx.em.staffToken })).status, 404, "a revoked token names no user to issue for");
        // Back to the seed's token for the next test file using this emulator's defaults.
        await admin(ctx.em, "POST", "reset");
        assert.equal((await ctx.http.get("clients")).status, 200, "reset restores the staff token");
    });

    it("the endpoints take only a 40-hex token", async () => {
        assert.equal((await admin(ctx.em, "POST", "tokens", { token: "x" })).status, 400);
        assert.equal((await admin(ctx.em, "POST", "tokens/revoke", {})).status, 400);
    });
});
