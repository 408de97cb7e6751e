import type { z } from "zod";
import { FleioApiError } from "../../provider/client/errors";
import type { Check } from "./check";
import { attempt, conformingItems, Probe } from "../probe";
import { billingSettings, configuration } from "../shapes";

type Configuration = z.output<ReturnType<typeof configuration>>;

/** How many configurations get a line of their own; the rest are summed up. */
const MAX_LINES = 20;

/**
 * Configurations parse as the Configuration resource reads them, and each one's billing
 * setting `suspend_instead_of_terminate` is reported: it decides what `pulumi destroy`
 * leaves behind for the clients of that configuration.
 */
export const configurations: Check = {
    name: "configurations",
    async run(p) {
        const all = await attempt(p, "shape:configurations", async () => conformingItems<Configuration>(p, "shape:configurations", "configurations", configuration(p.scope), await p.list("configurations")));
        if (!all) return;
        p.facts.configurations = all;
        if (!p.results.some((r) => r.check === "shape:configurations" && r.status === "FAIL"))
            p.pass("shape:configurations", `${all.length} ${all.length === 1 ? "configuration parses" : "configurations parse"} (name, description, is_default${p.scope === "staff" ? ", reseller_resources" : ""})`);
        if (p.scope === "staff") await suspendSettings(p, all);
    },
};

async function suspendSettings(p: Probe, all: Configuration[]): Promise<void> {
    const check = "destroy-setting";
    // Where new staff clients land: Client.save() gives them the staff scope's default configuration.
    const staffDefault = all.find((c) => c.is_default && (c.reseller_resources ?? null) === null);
    const shown = [...all].sort((a, b) => Number(b === staffDefault) - Number(a === staffDefault)).slice(0, MAX_LINES);
    const tally = { true: 0, false: 0 };
    for (const c of shown) {
        const path = `configurations/${c.id}/billing`;
        let res: unknown;
        try {
            res = await p.api.get<unknown>(path);
        } catch (e) {
            if (e instanceof FleioApiError && (e.status === 404 || e.status === 405)) {
                p.warn(check, `GET ${path} answers ${e.status}: this Fleio does not expose the billing settings there, so what destroy leaves behind cannot be predicted; run --write to see it`);
                return;
            }
            throw e;
        }
        const parsed = billingSettings.safeParse(res);
        if (!parsed.success) {
            p.warn(check, `GET ${path} has no boolean "suspend_instead_of_terminate": what destroy leaves behind cannot be predicted; run --write to see it`);
            return;
        }
        const suspend = parsed.data.suspend_instead_of_terminate;
        tally[suspend ? "true" : "false"]++;
        const isDefault = c === staffDefault;
        if (isDefault) p.facts.newClientsSuspend = suspend;
        const owner = c.reseller_resources ? `, of reseller resources ${c.reseller_resources}` : "";
        const meaning = c.reseller_resources
            ? "a reseller's own configuration: it decides for that reseller's customers, not for the objects pulumi-fleio manages in the staff scope"
            : suspend
              ? "destroy of a Reseller whose client is in it only suspends the client and its reseller service (status suspended): Fleio keeps deleted resellers suspended"
              : "destroy of a Reseller whose client is in it removes the client (terminated by Fleio in the background) and terminates its reseller service";
        p.info(check, `configuration "${c.name}" (id ${c.id}${isDefault ? ", the default new clients get" : ""}${owner}): suspend_instead_of_terminate=${suspend}; ${meaning}`);
    }
    if (all.length > shown.length) p.info(check, `${all.length - shown.length} more configurations not shown (${tally.true} of the first ${shown.length} suspend instead of terminate)`);
    if (!staffDefault) p.warn(check, "no default staff configuration: Fleio gives new clients none, and falls back to its built-in billing settings");
}
