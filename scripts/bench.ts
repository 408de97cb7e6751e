/**
 * Benchmarks (`npm run bench`): speed and size are measured here, not asserted by
 * timed tests. Prints a table; nothing here fails on a number.
 *
 *   - serialized provider size per resource kind (bytes in state per resource)
 *   - check()+diff() throughput (no I/O)
 *   - the real engine against the emulator for N onboarded resellers: wall time and
 *     Fleio API calls of up, a no-change preview and destroy (calls should grow
 *     linearly with N, and the preview should make none)
 *   - the peak resident memory of this process
 */
import * as pulumi from "@pulumi/pulumi";
import { Command } from "commander";
import { startEmulator } from "../emulator";
import { engineStack } from "./engine";
import { providerHandle } from "../sdk/provider-handle";
import { resources } from "../provider/registry";
import * as fleio from "../sdk";

const rules = (n: number) =>
    Array.from({ length: n }, (_, i) => ({ key: `r${i}`, displayName: `rule ${i}`, resourceName: "instance", timeUnit: "h", prices: [{ from: 0, price: `0.0${i + 1}` }], conditions: [{ attribute: "flavor", operator: "eq", value: `f${i}` }] }));

function onboard(n: number) {
    const out: Record<string, unknown> = {};
    for (let i = 0; i < n; i++) {
        const r = new fleio.ResellerOnboarding(`bench${i}`, {
            client: { firstName: "B", lastName: `R${i}`, email: `r${i}@bench.example`, phone: "1", address1: "a", city: "c", zipCode: "1", country: "DE", currency: "EUR", externalBillingId: `bench-${i}` },
            resellerPlan: { name: `bench plan ${i}`, rules: rules(3) },
            service: { productName: "Reseller", cycle: "month" },
            domain: `panel${i}.bench.example`,
            configuration: { name: `bench-${i}` },
        });
        out[`panel${i}`] = r.endUserPanelUrl;
    }
    return out;
}

async function serializedSizes(): Promise<void> {
    console.log("\nserialized provider per resource (stored in every resource's state):");
    for (const kind of Object.keys(resources)) {
        const handle = providerHandle(kind);
        const f = await pulumi.runtime.serializeFunction(() => handle, { allowSecrets: false });
        console.log(`  ${kind.padEnd(16)} ${f.text.length} bytes`);
    }
}

async function checkDiffThroughput(): Promise<void> {
    const rule = resources.PricingRule;
    const raw = { planId: "1", displayName: "x", resourceName: "instance", timeUnit: "hour", prices: [{ from: 0, price: "0.0100" }, { from: 100, price: 0.005 }], attribute: "vcpus", conditions: [{ attribute: "flavor", value: "m1" }] };
    const n = 20_000;
    const t0 = process.hrtime.bigint();
    for (let i = 0; i < n; i++) {
        const { inputs } = await rule.check!({}, raw);
        await rule.diff!("1", inputs, inputs);
    }
    const ms = Number(process.hrtime.bigint() - t0) / 1e6;
    console.log(`\ncheck()+diff() of a PricingRule: ${Math.round((n / ms) * 1000)} per second (${(ms / n * 1000).toFixed(1)} µs each)`);
}

async function engineRuns(sizes: number[]): Promise<void> {
    console.log("\nreal engine against the emulator (ResellerOnboarding: 8 resources per reseller):");
    console.log("  resellers  resources  up s   up calls  calls/reseller  preview s  preview calls  destroy s  destroy calls");
    for (const n of sizes) {
        const em = await startEmulator({ seed: n, deleteDelayMs: 50 });
        const calls = async () => ((await (await fetch(`${em.url}/__emulator/stats`)).json()) as { total: number }).total;
        try {
            const stack = await engineStack(async () => onboard(n), { area: "bench", projectName: `bench-${n}`, fleioUrl: em.url, fleioToken: em.staffToken, fresh: true });
            const timed = async <T>(run: () => Promise<T>) => {
                const c0 = await calls();
                const t0 = Date.now();
                const r = await run();
                return { r, s: (Date.now() - t0) / 1000, calls: (await calls()) - c0 };
            };
            const up = await timed(() => stack.up());
            const preview = await timed(() => stack.preview());
            const destroy = await timed(() => stack.destroy());
            const count = Object.values(up.r.summary.resourceChanges ?? {}).reduce((a, b) => a + (b ?? 0), 0);
            console.log(
                `  ${String(n).padStart(9)}  ${String(count).padStart(9)}  ${up.s.toFixed(1).padStart(5)}  ${String(up.calls).padStart(8)}  ${(up.calls / n).toFixed(1).padStart(14)}  ${preview.s.toFixed(1).padStart(9)}  ${String(preview.calls).padStart(13)}  ${destroy.s.toFixed(1).padStart(9)}  ${String(destroy.calls).padStart(13)}`,
            );
        } finally {
            await em.close();
        }
    }
}

async function main(): Promise<void> {
    const opts = new Command().option("--sizes <list>", "reseller counts for the engine runs", "1,3,6").parse().opts<{ sizes: string }>();
    await serializedSizes();
    await checkDiffThroughput();
    await engineRuns(opts.sizes.split(",").map(Number));
    console.log(`\npeak resident memory of the bench process: ${Math.round(process.resourceUsage().maxRSS / 1024)} MiB`);
}

main().catch((e) => {
    console.error(e instanceof Error ? e.message : e);
    process.exitCode = 1;
});
