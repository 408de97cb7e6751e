import { randomBytes } from "node:crypto";
import type { Check } from "./check";
import { attempt, Probe } from "../probe";

type Row = Record<string, unknown>;

/** Lists where the provider narrows with `search`, and the field it then matches exactly. */
const SEARCHES: { path: string; field: string }[] = [
    { path: "openstack/billing/plan", field: "name" },
    { path: "configurations", field: "name" },
    { path: "clients", field: "email" },
];

/**
 * `search` (plans, configurations, clients) and `clients?external_billing_id=` narrow
 * the provider's look-ups. The provider matches names itself, so an ignored search
 * only costs traffic; a search that drops the very object it names would hide it.
 * external_billing_id is different: Fleio never returns that field, so the provider
 * has to trust the filter when it finds a client whose create answer was lost.
 */
export const search: Check = {
    name: "search",
    async run(p) {
        const nonsense = `pf-contract-no-such-${randomBytes(4).toString("hex")}`;
        for (const s of SEARCHES) {
            const check = `search:${s.path}`;
            await attempt(p, check, async () => {
                const sample = (await p.api.get<{ objects: Row[] }>(s.path, { page_size: 1 })).objects[0];
                if (!sample) {
                    p.info(check, "cannot tell whether search is honoured: the list is empty");
                    return;
                }
                const term = String(sample[s.field] ?? "");
                const hit = await p.list<Row>(s.path, { search: term });
                if (!hit.some((r) => r.id === sample.id)) {
                    p.warn(check, `search=${JSON.stringify(term)} does not return object ${String(sample.id)} whose ${s.field} it is: the provider's look-ups by ${s.field} (adopting after a lost answer, name clashes) would miss objects`);
                    return;
                }
                const none = (await p.api.get<{ count: number }>(s.path, { search: nonsense, page_size: 1 })).count;
                p.info(check, none === 0 ? `search honoured (by ${s.field}); the provider narrows with it, then matches ${s.field} itself` : `search ignored (${none} objects for a term nothing contains); the provider matches ${s.field} itself, at the cost of reading the whole list`);
            });
        }
        if (p.scope === "staff") await attempt(p, "search:external_billing_id", () => externalBillingId(p, nonsense));
    },
};

async function externalBillingId(p: Probe, nonsense: string): Promise<void> {
    const check = "search:external_billing_id";
    const total = (await p.api.get<{ count: number }>("clients", { page_size: 1 })).count;
    if (total === 0) {
        p.info(check, "cannot tell whether clients?external_billing_id= is honoured: there is no client (--write checks it with its own client)");
        return;
    }
    const found = (await p.api.get<{ count: number }>("clients", { external_billing_id: nonsense, page_size: 1 })).count;
    if (found === 0) p.pass(check, `clients?external_billing_id= is honoured (0 of ${total} clients for an id nobody has)`);
    else
        p.warn(
            check,
            `clients?external_billing_id= is ignored (${found} clients for an id nobody has): Fleio does not return that field, so when a client create loses its answer the provider cannot tell its client from others; give every Reseller an externalBillingId anyway and check Fleio after a failed up`,
        );
}
