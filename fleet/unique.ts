import type { ResellerFile } from "../sdk/gitops";
import { domainKey } from "../provider/validation/fields";

/**
 * What must be unique across the whole fleet, checked before any stack runs. Within
 * one stack the SDK's claims catch a clash at preview; across stacks nothing would:
 * two stacks could each set the same domain on their own reseller, or each find the
 * other's client by its external billing id. Fails naming both files and the field.
 */
export function checkFleetUnique(resellers: ReadonlyMap<string, ResellerFile>): void {
    const seen = new Map<string, string>();
    const clashes: string[] = [];
    for (const [file, r] of resellers) {
        const keys: [string, string | undefined][] = [
            ["domain", r.domain === undefined ? undefined : domainKey(r.domain)],
            ["client.externalBillingId", r.client.externalBillingId?.trim() || undefined],
        ];
        for (const [field, value] of keys) {
            if (value === undefined) continue;
            const key = `${field}\u0000${value}`;
            const other = seen.get(key);
            if (other) clashes.push(`${other}.yaml and ${file}.yaml both have ${field} ${JSON.stringify(value)}`);
            else seen.set(key, file);
        }
    }
    if (clashes.length) throw new Error(`the fleet's resellers must not share these (each must be unique across all stacks): ${clashes.join("; ")}; change one file of each pair`);
}
