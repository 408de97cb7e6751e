import type { z } from "zod";
import type { Check } from "./check";
import { attempt, conformingItems, conforms } from "../probe";
import { clientDetail, clientListed, resellerServices, serviceDetail } from "../shapes";

type Listed = z.output<typeof clientListed>;

/**
 * Clients parse as the Reseller resource and the look-ups read them, and one existing
 * reseller's reseller_services (and its service) parse as ResellerService and
 * FrontendDomain read them.
 */
export const clients: Check = {
    name: "clients",
    async run(p) {
        // The first page is enough to see the shape; a big Fleio need not be read whole.
        const firstPage = await attempt(p, "shape:clients", async () => (await p.api.get<{ objects: unknown[] }>("clients", { page_size: 50 })).objects);
        if (!firstPage) return;
        const listed = conformingItems<Listed>(p, "shape:clients", "clients", clientListed, firstPage);
        if (!firstPage.length) {
            p.info("shape:clients", "no client in Fleio yet: the client shape is checked by --write");
        } else if (listed.length === firstPage.length) {
            const one = listed[0];
            const detail = await attempt(p, "shape:clients", () => p.api.get<unknown>(`clients/${one.id}`));
            if (detail !== undefined && conforms(p, "shape:clients", `clients/${one.id}`, clientDetail, detail))
                p.pass("shape:clients", `${firstPage.length} listed ${firstPage.length === 1 ? "client" : "clients"} and client ${one.id}'s detail parse (names, email, currency, address, status)`);
        }
        if (p.scope === "staff") await resellerClient(p);
    },
};

async function resellerClient(p: Parameters<Check["run"]>[0]): Promise<void> {
    const check = "shape:reseller_services";
    await attempt(p, check, async () => {
        // has_reseller_service narrows where Fleio honours it; the answer itself decides.
        const candidates = (await p.api.get<{ objects: { id: number }[] }>("clients", { has_reseller_service: "true", page_size: 20 })).objects;
        for (const c of candidates.slice(0, 10)) {
            const path = `clients/${c.id}/reseller_services`;
            const rs = await p.api.get<unknown>(path);
            if (!conforms(p, check, path, resellerServices, rs)) return;
            const parsed = rs as z.output<typeof resellerServices>;
            const live = parsed.services.find((s) => parsed.resources[String(s.id)]);
            if (!live) continue;
            const rr = parsed.resources[String(live.id)];
            const sPath = `billing/services/${live.id}`;
            const service = await p.api.get<unknown>(sPath);
            if (!conforms(p, check, sPath, serviceDetail, service)) return;
            p.pass(
                check,
                `reseller client ${c.id}: service ${live.id} (${live.status}), reseller resources ${rr.id}, plan ${rr.plan ? `"${rr.plan.name}" (${rr.plan.id})` : "none"}, end-user panel ${rr.enduser_panel_url ?? "not set"}`,
            );
            return;
        }
        p.info(check, "no reseller client in Fleio yet: the reseller_services shape is checked by --write");
    });
}
