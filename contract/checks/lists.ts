import type { Check } from "./check";
import { attempt } from "../probe";
import { page, shapeProblems } from "../shapes";
import type { z } from "zod";

/** Every list the provider reads, with whether it is on the reseller API too. */
export const LISTS: { path: string; staffOnly?: boolean }[] = [
    { path: "clients" },
    { path: "openstack/billing/plan" },
    { path: "openstack/billing/pricerule" },
    { path: "configurations" },
    { path: "billing/products", staffOnly: true },
    { path: "billing/productcycles", staffOnly: true },
];

/**
 * Each list answers a Fleio page (`objects`, `count`, `next`), and `next` leads on
 * when there is more: the provider follows `next` and stops when it is null.
 */
export const lists: Check = {
    name: "lists",
    async run(p) {
        for (const l of LISTS) {
            const check = `list:${l.path}`;
            if (l.staffOnly && p.scope !== "staff") {
                p.info(check, "staff API only; not checked with --api-scope reseller");
                continue;
            }
            const first = await attempt(p, check, () => p.api.get<unknown>(l.path, { page: 1, page_size: 1 }));
            if (first === undefined) continue;
            const problems = shapeProblems(page, first);
            if (problems.length) {
                p.fail(check, `GET ${l.path} is not a Fleio list page: ${problems.join("; ")} (the provider reads "objects", "count" and "next")`);
                continue;
            }
            const pg = first as z.output<typeof page>;
            if (pg.count > 1 && !pg.next) {
                p.fail(check, `GET ${l.path}?page_size=1 lists count ${pg.count} but "next" is null: the provider would read only the first page`);
                continue;
            }
            if (pg.objects.length > 1) {
                p.warn(check, `GET ${l.path} ignores page_size (asked 1, got ${pg.objects.length}); the provider still reads every page`);
                continue;
            }
            p.pass(check, `page shape {count, next, objects}; count ${pg.count}${pg.count > 1 ? ", next leads on" : ""}`);
        }
    },
};
