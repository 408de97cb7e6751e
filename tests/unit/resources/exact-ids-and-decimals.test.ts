import * as assert from "node:assert/strict";
import { apiId, canonicalDecimal, compareDecimal } from "../../../provider/validation/fields";
import { API, firstPage, fleio, provider, useFleioMock } from "../support/resource-harness";
import { CREATE_OPTIONS, CREATE_OPTIONS_PATH } from "../support/check-harness";

// Ids and prices travel as exact text: an id beyond 2^53 goes out digit for digit,
// and a price Fleio answers as a JSON number in exponent form reads back equal to
// what the program wrote.

const BIG = "9007199254740993"; // Number(BIG) is 9007199254740992
const MAX_BIGINT = "9223372036854775807";

describe("ids go out exactly", () => {
    useFleioMock();

    it("a JSON number while it is exact, the digits as a string beyond 2^53", () => {
        assert.equal(apiId("7"), 7);
        assert.equal(apiId("9007199254740991"), 9007199254740991);
        assert.equal(apiId("9007199254740992"), "9007199254740992");
        assert.equal(apiId(BIG), BIG);
        assert.equal(apiId(MAX_BIGINT), MAX_BIGINT);
    });

    it("ResellerService create: a product id beyond 2^53 is sent digit for digit, a client id of 2^63-1 in the path", async () => {
        let sent: unknown;
        const services = {
            services: [{ id: 11, display_name: "Reseller service", status: "active", product: { id: 1 }, cycle: { id: 7 } }],
            resources: { "11": { id: 4, service: 11, plan: { id: 2, name: "Plan 2" }, enduser_panel_url: null } },
        };
        // Raw JSON text, as Fleio sends it: the id must survive parsing digit for digit.
        const json = { "content-type": "application/json" };
        fleio().get(`${API}/billing/products`).query(firstPage).reply(200, `{"count":1,"next":null,"previous":null,"objects":[{"id":${BIG},"name":"Reseller","product_type":"reseller"}]}`, json);
        fleio().get(`${API}/billing/productcycles`).query(firstPage).reply(200, `{"count":1,"next":null,"previous":null,"objects":[{"id":7,"product":${BIG},"cycle":"month","cycle_multiplier":1,"currency":"EUR"}]}`, json);
        fleio()
            .post(`${API}/clients/${MAX_BIGINT}/create_reseller_service`, (body) => ((sent = body), true))
            .reply(200, { detail: "Ok" });
        fleio().get(`${API}/clients/${MAX_BIGINT}/reseller_services`).reply(200, services);
        const checked = await provider("ResellerService").check!({}, { clientId: MAX_BIGINT, productId: BIG, productCycleId: 7, planId: "2" });
        assert.deepEqual(checked.failures, []);
        await provider("ResellerService").create!(checked.inputs);
        assert.deepEqual(sent, { product_id: BIG, product_cycle_id: 7 });
        assert.equal(JSON.stringify(sent), `{"product_id":"${BIG}","product_cycle_id":7}`);
    });
});

describe("decimals read back exactly", () => {
    useFleioMock();

    const table: [input: string | number, canonical: string][] = [
        ["1e-05", "0.00001"],
        ["1e-7", "0.0000001"],
        [1e-7, "0.0000001"],
        [1e-5, "0.00001"],
        ["1.5E+3", "1500"],
        ["2.50e1", "25"],
        ["0.0100", "0.01"],
        ["000.5", "0.5"],
        ["-0", "0"],
        ["-0.000", "0"],
        ["100", "100"],
        [0.05, "0.05"],
        [1e21, "1000000000000000000000"],
        ["9999999999.999999", "9999999999.999999"],
    ];
    for (const [input, canonical] of table) {
        it(`canonicalDecimal(${typeof input === "string" ? JSON.stringify(input) : String(input)}) is ${canonical}`, () => {
            assert.equal(canonicalDecimal(input), canonical);
            assert.equal(canonicalDecimal(String(input)), canonical);
        });
    }

    it("orders 16-digit tier starts exactly, where Number() would tie them", () => {
        assert.equal(Number("9999999999.999998"), Number("9999999999.999999"), "floats tie these");
        assert.equal(compareDecimal("9999999999.999998", "9999999999.999999"), -1);
        assert.equal(compareDecimal("10", "9.999999"), 1);
        assert.equal(compareDecimal("0.5", "0.50"), 0);
    });

    it('Fleio\'s {"f":0,"p":1e-05} reads back as the "0.00001" the program wrote: no diff', async () => {
        const inputs = { planId: "1", displayName: "Tiny", resourceName: "instance", attribute: "size", prices: [{ from: 0, price: "0.00001" }, { from: "1e2", price: 0.000005 }], modifiers: [{ attribute: "vcpus", value: 2, price: "0.0001", timeUnit: "h" }] };
        fleio().get(`${API}${CREATE_OPTIONS_PATH.slice(API.length)}`).reply(200, CREATE_OPTIONS);
        const checked = await provider("PricingRule").check!({}, inputs);
        assert.deepEqual(checked.failures, []);
        // The answer as Fleio writes it: JSON numbers, Python's float repr.
        const answer =
            '{"id":9,"display_name":"Tiny","plan":1,"resource":1,"priority":1,' +
            '"pricing":{"prices":[{"f":100,"p":5e-06},{"f":0,"p":1e-05}],"attribute":"size","attribute_unit":null,"time_unit":"bc"},' +
            '"conditions":[],"modifiers":[{"name":"modifier","attribute":"vcpus","attribute_unit":null,"operator":"eq","value":2,"price":0.0001,"time_unit":"h","price_is_percent":false}]}';
        fleio().get(`${API}/openstack/billing/pricerule/9`).reply(200, answer, { "content-type": "application/json" });
        const olds = { ...checked.inputs, ruleId: "9", resolvedResourceId: "1" };
        const read = await provider("PricingRule").read!("9", olds);
        assert.deepEqual(read.props.prices, [{ from: "0", price: "0.00001" }, { from: "100", price: "0.000005" }]);
        assert.equal(read.props.modifiers[0].price, "0.0001");
        const d = await provider("PricingRule").diff!("9", read.props, checked.inputs);
        assert.equal(d.changes, false, JSON.stringify(d));
    });
});
