import * as assert from "node:assert/strict";
import * as net from "node:net";
import { engineStack } from "../../scripts/engine";
import * as fleio from "../../sdk";

/**
 * Under the real engine, a preview against a Fleio that does not answer still shows the
 * plan (offline previews stay possible) and prints the warning of
 * validation/remote-budget.ts, naming the skipped check and the URL.
 */
describe("a preview that could not ask Fleio says so, under the real engine", function () {
    this.timeout(180_000);

    it("the preview of a new PricingRule shows the create and warns that its billing resource was not checked, naming the URL", async () => {
        const closed = net.createServer();
        await new Promise<void>((r) => closed.listen(0, "127.0.0.1", r));
        const url = `http://127.0.0.1:${(closed.address() as net.AddressInfo).port}`;
        await new Promise((r) => closed.close(r));
        const token = "0f0f0f0f0f0f0f0f0f0f0f0f0f0f0f0f0f0f0f0f";
        const stack = await engineStack(
            async () => {
                new fleio.PricingRule("rule", { planId: "1", displayName: "Instances", resourceName: "instance", prices: [{ from: 0, price: "0.01" }] });
                return {};
            },
            { area: "preview-offline", projectName: "preview-offline", fleioUrl: url, fleioToken: token, fresh: true },
        );
        const p = await stack.preview({ color: "never" });
        assert.equal(p.changeSummary.create, 2, "the stack and the rule");
        assert.match(
            p.stdout,
            new RegExp(`pulumi-fleio: warning: could not ask Fleio at ${url.replace(/\./g, "\\.")} \\(ECONNREFUSED .*\\), so fleio:PricingRule was not checked for whether Fleio has the billing resource its resourceName names`),
        );
        assert.equal((p.stdout + p.stderr).includes(token), false);
    });
});
