import type { Check } from "./check";
import { attempt, Probe } from "../probe";

type Row = Record<string, unknown>;

/** A server-side filter the provider has sent, and how to judge an object by it locally. */
interface Probeable {
    path: string;
    staffOnly?: boolean;
    /** The `filtering` value and its local test, built from the objects there are. */
    pick(all: Row[]): { filtering: string; matches: (r: Row) => boolean } | undefined;
}

const FILTERS: Probeable[] = [
    { path: "billing/products", staffOnly: true, pick: () => ({ filtering: "product_type:reseller", matches: (r) => r.product_type === "reseller" }) },
    {
        path: "billing/productcycles",
        staffOnly: true,
        pick: (all) => (all.length ? { filtering: `product:${all[0].product}`, matches: (r) => r.product === all[0].product } : undefined),
    },
    {
        path: "openstack/billing/plan",
        // The form the provider sends to find a plan to migrate a deleted plan's services to.
        pick: (all) => (all.length ? { filtering: `reseller_resources:null+id__ne:${all[0].id}`, matches: (r) => (r.reseller_resources ?? null) === null && r.id !== all[0].id } : undefined),
    },
    { path: "openstack/billing/pricerule", pick: (all) => (all.length ? { filtering: `plan:${all[0].plan}`, matches: (r) => r.plan === all[0].plan } : undefined) },
];

/**
 * Informational: does this Fleio honour `filtering` on the lists where 2019.12 ignores
 * it? pulumi-fleio filters every answer on the objects' own fields, so both pass; an
 * error answer to the filter would not (the provider sends these filters).
 */
export const filtering: Check = {
    name: "filtering",
    async run(p) {
        for (const f of FILTERS) {
            const check = `filtering:${f.path}`;
            if (f.staffOnly && p.scope !== "staff") continue;
            await attempt(p, check, () => judge(p, check, f));
        }
    },
};

async function judge(p: Probe, check: string, f: Probeable): Promise<void> {
    const all = await p.list<Row>(f.path);
    const probe = f.pick(all);
    if (!probe) {
        p.info(check, `cannot tell whether filtering is honoured: the list is empty`);
        return;
    }
    const answer = await p.list<Row>(f.path, { filtering: probe.filtering });
    const expected = all.filter(probe.matches).length;
    const strays = answer.filter((r) => !probe.matches(r)).length;
    const given = `filtering=${probe.filtering}`;
    if (expected === all.length) p.info(check, `cannot tell: every object matches ${given} (${all.length} objects)`);
    else if (strays > 0) p.info(check, `filtering ignored: ${given} answered ${answer.length} objects, ${strays} not matching (as Fleio 2019.12 does; the provider filters the answer itself)`);
    else if (answer.length === expected) p.info(check, `filtering honoured: ${given} answered exactly the ${expected} matching of ${all.length} objects (the provider filters the answer itself either way)`);
    else p.info(check, `filtering narrows oddly: ${given} answered ${answer.length} objects, ${expected} match locally (the provider filters the answer itself either way)`);
}
