import * as assert from "node:assert/strict";
import { API, firstPage, fleio, page, provider, useFleioMock } from "../support/resource-harness";
import { setNoticeSink } from "../../../provider/notice";

// One owner per object (issue 19, item 3): within one run (one provider process), an
// object a create took over by its natural key is never deleted by the delete of the
// resource that held it before (a renamed resource or data file), nor taken by a second
// resource; a delete of an object already gone says so. nock refuses any call not pinned.

const client = { id: 43, name: "Ada Op", first_name: "Ada", last_name: "Op", company: "", email: "ada@example.com", phone: "+49 1", fax: "", address1: "1 St", address2: "", city: "Berlin", state: "", zip_code: "10115", country: "DE", currency: "EUR", vat_id: "", status: "active" };
const inputs = { firstName: "Ada", lastName: "Op", email: "ada@example.com", phone: "+49 1", address1: "1 St", city: "Berlin", zipCode: "10115", country: "DE", currency: "EUR", externalBillingId: "acme" };

describe("one owner per object within a run", () => {
    useFleioMock();
    const said: string[] = [];
    beforeEach(() => {
        said.length = 0;
        setNoticeSink((line) => said.push(line));
    });
    afterEach(() => setNoticeSink((line) => process.stderr.write(line + "\n")));

    /** Fleio refuses the POST (the external billing id is taken) and lists the client that has it. */
    const takeOverByExternalId = () => {
        fleio().post(`${API}/clients`).reply(400, { external_billing_id: ["client with this external billing id already exists."] });
        fleio().get(`${API}/clients`).query({ external_billing_id: "acme", ...firstPage }).reply(200, page([client]));
        fleio().patch(`${API}/clients/43`).reply(200, client);
    };

    it("a delete of an object this run took over for another resource sends nothing and says so", async () => {
        takeOverByExternalId();
        const { id } = await provider("Reseller").create!(inputs);
        assert.equal(id, "43");
        assert.match(said.join("\n"), /took over client 43: Fleio already has it with externalBillingId acme/);
        assert.doesNotMatch(said.join("\n"), /interrupted/, "the takeover names what it found, not a guessed cause");
        // The old resource's delete, later in the same run: no DELETE (nock would refuse it).
        await provider("Reseller").delete!("43", { ...inputs, clientId: "43" });
        assert.match(said.join("\n"), /Reseller 43 is held by another resource of this stack now .* the object stays in Fleio/);
    });

    it("a second resource of the run that finds the same object is refused, naming the fix", async () => {
        takeOverByExternalId();
        await provider("Reseller").create!(inputs);
        fleio().get(`${API}/clients/43`).reply(200, client);
        fleio().get(`${API}/clients`).query({ external_billing_id: "acme", ...firstPage }).reply(200, page([client]));
        await assert.rejects(provider("Reseller").create!({ ...inputs, adopt: "43" }), /Reseller 43 is already held by another resource of this stack .*two resources cannot own one Fleio object/);
    });

    it("a delete of an object already gone from Fleio succeeds and says so", async () => {
        fleio().delete(`${API}/configurations/8`).reply(404, { detail: "Not found." });
        await provider("Configuration").delete!("8", { name: "cfg", configurationId: "8" });
        assert.match(said.join("\n"), /Configuration 8 was already gone from Fleio: it is dropped from the stack/);
    });

    it("a delete of a reseller service that had already ended succeeds and says so", async () => {
        fleio().get(`${API}/clients/5/reseller_services`).reply(200, { services: [], resources: {} });
        fleio().post(`${API}/billing/services/11/terminate`).reply(403, { detail: "Service is already terminated." });
        await provider("ResellerService").delete!("11", { clientId: "5", serviceId: "11", planId: "2" });
        assert.match(said.join("\n"), /reseller service 11 of client 5 had already ended in Fleio: it is dropped from the stack/);
    });
});
