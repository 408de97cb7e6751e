import * as assert from "node:assert/strict";
import { catalogPhase, servicesInState, stillOnPlans } from "../../fleet/catalog";
import type { CatalogPlanFile, ResellerFile } from "../../sdk/gitops";

const plan = (name: string) => ({ formatVersion: 2, name, currency: "EUR", pricing: [] }) as CatalogPlanFile;
const on = (key?: string) => ({ plan: key === undefined ? undefined : { catalog: key } }) as unknown as ResellerFile;

describe("fleet: the plan catalog's stack runs before the shards, or after them when it deletes plans", () => {
    it("before the shards when no catalog plan is removed: resellers go on plans that exist", () => {
        assert.deepEqual(catalogPhase({ gold: "1" }, new Map([["gold", plan("Gold")], ["silver", plan("Silver")]]), new Map([["a", on("silver")], ["b", on()]])), { phase: "before", removed: [] });
    });

    it("after the shards when a catalog plan is removed: its resellers leave it first", () => {
        assert.deepEqual(catalogPhase({ gold: "1", silver: "2" }, new Map([["gold", plan("Gold")]]), new Map([["a", on("gold")]])), { phase: "after", removed: ["silver"] });
    });

    it("a change that both removes a plan and puts resellers on a new one is refused, naming both, before anything runs", () => {
        assert.throws(
            () => catalogPhase({ gold: "1" }, new Map([["silver", plan("Silver")]]), new Map([["a", on("silver")], ["b", on("silver")]])),
            /removes catalog plans \(gold: .*adds plans resellers go on \(silver, for a, b: .*Split it in two merges/,
        );
    });

    it("finds the services still on a removed plan in the stacks' state, by reseller and stack", () => {
        const deployment = {
            resources: [
                { urn: "urn:pulumi:shard-00::p::fleio:index:ResellerOnboarding::acme", type: "fleio:index:ResellerOnboarding" },
                { urn: "urn:x::acme-service", type: "pulumi-nodejs:dynamic/fleio:ResellerService", parent: "urn:pulumi:shard-00::p::fleio:index:ResellerOnboarding::acme", outputs: { planId: "2" } },
                { urn: "urn:x::old-service", type: "pulumi-nodejs:dynamic/fleio:ResellerService", delete: true, outputs: { planId: "2" } },
            ],
        };
        const services = servicesInState("shard-00", deployment);
        assert.deepEqual(services, [{ stack: "shard-00", reseller: "acme", planId: "2" }]);
        assert.deepEqual(stillOnPlans(["silver"], { gold: "1", silver: "2" }, services), ["silver: acme (shard-00)"]);
        assert.deepEqual(stillOnPlans(["gold"], { gold: "1", silver: "2" }, services), []);
    });
});
