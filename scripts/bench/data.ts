import * as fs from "node:fs";
import * as path from "node:path";
import { stringify } from "yaml";
import type { ResellerFile } from "../../sdk/gitops";

/**
 * N GitOps reseller files (the GitOps data format, sdk/gitops) for benchmarks and fleet
 * tests: each onboards one reseller with three pricing rules and a configuration,
 * the same shape as the example files. Deterministic: reseller i is always the same.
 */
export function writeResellerFiles(dir: string, count: number, first = 0): string[] {
    fs.mkdirSync(dir, { recursive: true });
    const names: string[] = [];
    for (let i = first; i < first + count; i++) {
        const name = `reseller-${String(i).padStart(4, "0")}`;
        fs.writeFileSync(path.join(dir, `${name}.yaml`), stringify(resellerData(i)));
        names.push(name);
    }
    return names;
}

export function resellerData(i: number, priceBump = 0): ResellerFile & { domain: string } {
    return {
        formatVersion: 1,
        client: {
            firstName: "Bench", lastName: `Reseller ${i}`, email: `r${i}@bench.example`, phone: "+49 30 100", address1: "1 Bench Street",
            city: "Berlin", zipCode: "10115", country: "DE", currency: "EUR", externalBillingId: `bench-${i}`,
        },
        domain: `panel${i}.bench.example`,
        product: "Reseller",
        cycle: "month",
        pricing: [
            { key: "small", displayName: "m1.small per hour", resource: "instance", timeUnit: "hour", price: (0.02 + priceBump).toFixed(4), flavor: "m1.small" },
            { key: "large", displayName: "m1.large per hour", resource: "instance", timeUnit: "hour", price: "0.08", flavor: "m1.large" },
            { key: "volume", displayName: "Volume GB per month", resource: "volume", timeUnit: "billingCycle", price: "0.10", attribute: "size", attributeUnit: "gb" },
        ],
        configuration: { name: `bench-${i}` },
    };
}
