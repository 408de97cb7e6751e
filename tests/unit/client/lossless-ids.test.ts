import * as assert from "node:assert/strict";
import { parseAnswer } from "../../../provider/client/http";

describe("Fleio's answers are parsed without losing an id", () => {
    it("an integer beyond 2^53 stays its exact digits; safe integers and decimals are numbers", () => {
        const parsed = parseAnswer('{"id": 9223372036854775807, "n": 123456, "p": 1e-05, "f": 0.05, "list": [9007199254740993]}');
        assert.deepEqual(parsed, { id: "9223372036854775807", n: 123456, p: 0.00001, f: 0.05, list: ["9007199254740993"] });
    });

    it("a body that is not JSON (Fleio's HTML 500 page) stays text", () => {
        assert.equal(parseAnswer("<h1>Server Error (500)</h1>"), "<h1>Server Error (500)</h1>");
        assert.equal(parseAnswer("{not json"), "{not json");
    });
});
