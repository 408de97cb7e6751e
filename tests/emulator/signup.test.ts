import * as assert from "node:assert/strict";
import { makeReseller, useEmulator } from "./helpers";

describe("emulator: end-user sign-up (POST /backend/api/signup)", () => {
    const ctx = useEmulator();
    const signup = (body: Record<string, unknown>) => ctx.http.as(null, "api").post("signup", body);
    const person = (email: string) => ({ email, first_name: "Casey", last_name: "Customer", password: "a-long-password-123" });

    it("needs no token and answers 201 with the user (no password)", async () => {
        const r = await signup(person("casey@example.net"));
        assert.equal(r.status, 201);
        assert.equal(r.body.email, "casey@example.net");
        assert.equal(r.body.reseller_client, null);
        assert.equal("password" in r.body, false);
        assert.equal(JSON.stringify(r.body).includes("a-long-password-123"), false);
    });

    it("with reseller_client_id the user belongs to that reseller, as the staff users API shows", async () => {
        const reseller = await makeReseller(ctx.http, { first_name: "Nimbus", last_name: "Cloud" });
        const r = await signup({ ...person("under-reseller@example.net"), reseller_client_id: reseller.clientId });
        assert.equal(r.status, 201);
        const seen = await ctx.http.ok("GET", `users/${r.body.id}`);
        assert.equal(seen.reseller_client, reseller.clientId);
        assert.deepEqual(seen.reseller_client_details, { name: "Nimbus Cloud", id: reseller.clientId });
        const listed = await ctx.http.ok("GET", `users?filtering=reseller_resources:${reseller.rrId}`);
        assert.deepEqual(
            listed.objects.map((u: { email: string }) => u.email),
            ["under-reseller@example.net"],
        );
    });

    it("email is unique among users", async () => {
        await signup(person("twice@example.net"));
        const r = await signup(person("twice@example.net"));
        assert.deepEqual([r.status, r.body], [400, { email: ["Email address already in use"] }]);
    });

    it("an unknown or non-reseller reseller_client_id is a 400", async () => {
        const unknown = await signup({ ...person("u1@example.net"), reseller_client_id: 123456789 });
        assert.equal(unknown.status, 400);
        assert.ok(unknown.body.reseller_client_id);
        const plain = await ctx.http.ok("POST", "clients", { first_name: "P", last_name: "Q", address1: "a", city: "c", country: "RO", zip_code: "1", phone: "1", email: "p@q.ro" });
        const notReseller = await signup({ ...person("u2@example.net"), reseller_client_id: plain.id });
        assert.equal(notReseller.status, 400);
    });

    it("validates like SignUpSerializer", async () => {
        const r = await signup({ email: "bad", first_name: "x".repeat(31) });
        assert.equal(r.status, 400);
        assert.deepEqual(r.body, {
            email: ["Enter a valid email address."],
            password: ["This field is required."],
            first_name: ["Ensure this field has no more than 30 characters."],
            last_name: ["This field is required."],
        });
    });
});
