import * as assert from "node:assert/strict";
import { checkFleetUnique } from "../../fleet/unique";
import { resellerData } from "../../scripts/bench/data";
import type { ResellerFile } from "../../sdk/gitops";

// Stacks cannot see each other's declarations, so the fleet runner checks what must
// be unique across all of them before any stack runs.

const fleet = (...files: [string, ResellerFile][]) => new Map(files);

describe("fleet: what must be unique across stacks", () => {
    it("distinct resellers pass", () => {
        checkFleetUnique(fleet(["a", resellerData(0)], ["b", resellerData(1)], ["c", resellerData(2)]));
    });

    it("two files with one domain fail naming both files and the domain, however it is spelt", () => {
        const b = { ...resellerData(1), domain: `${resellerData(0).domain.toUpperCase()}.` };
        assert.throws(() => checkFleetUnique(fleet(["a", resellerData(0)], ["b", b])), (e: Error) => {
            assert.match(e.message, new RegExp(`a\\.yaml and b\\.yaml both have domain "${resellerData(0).domain.replace(/\./g, "\\.")}"`));
            return true;
        });
    });

    it("two files with one external billing id fail; files without one do not clash", () => {
        const c = { ...resellerData(2), client: { ...resellerData(2).client, externalBillingId: resellerData(0).client.externalBillingId } };
        assert.throws(() => checkFleetUnique(fleet(["a", resellerData(0)], ["c", c])), /a\.yaml and c\.yaml both have client\.externalBillingId/);
        const none = (i: number) => {
            const { externalBillingId: _, ...client } = resellerData(i).client;
            return { ...resellerData(i), client };
        };
        checkFleetUnique(fleet(["d", none(3)], ["e", none(4)]));
    });

    it("every clash is listed at once", () => {
        const dup = { ...resellerData(0) };
        assert.throws(() => checkFleetUnique(fleet(["a", resellerData(0)], ["b", dup])), /domain .*; a\.yaml and b\.yaml both have client\.externalBillingId/);
    });
});
