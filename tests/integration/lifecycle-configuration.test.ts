import * as fleio from "../../sdk";
import { lifecycle } from "./support/lifecycle";
import { resellerWithService } from "./support/lifecycle-programs";

// Every resource passes the same steps (support/lifecycle.ts), one file per kind so the
// kinds run side by side. A case says only how to build it for each step and how to
// look at it, change it and delete it in Fleio.

lifecycle({
    kind: "Configuration",
    program(step, { staffPlanId, adoptId }) {
        const owner = resellerWithService("ConfigOwner", staffPlanId);
        if (step === "absent") return { ownerClientId: owner.clientId };
        const c = new fleio.Configuration(
            "target",
            {
                name: "lifecycle-config",
                description: step === "initial" ? "first" : "second",
                resellerClientId: step === "replaced" || step === "adopted" ? owner.clientId : undefined,
                adopt: step === "adopted" ? adoptId : undefined,
            },
            { dependsOn: [owner.service] },
        );
        return { targetId: c.configurationId, ownerClientId: owner.clientId };
    },
    path: (o) => `configurations/${o.targetId}`,
    updatedValue: async (f, o) => (await f.ok("GET", `configurations/${o.targetId}`)).description,
    expectedUpdate: "second",
    async drift(f, o) {
        const c = await f.ok("GET", `configurations/${o.targetId}`);
        await f.ok("PUT", `configurations/${o.targetId}`, { name: c.name, description: "changed in Fleio", is_default: c.is_default, reseller_resources: c.reseller_resources });
    },
    deleteOutOfBand: (f, o) => f.ok("DELETE", `configurations/${o.targetId}`),
    async createDirect(f, o) {
        const rr = (await f.ok("GET", `clients/${o.ownerClientId}/reseller_services`)) as { resources: Record<string, { id: number }> };
        const scope = Object.values(rr.resources)[0].id;
        return String((await f.ok<{ id: number }>("POST", "configurations", { name: "lifecycle-config", description: "made in Fleio", reseller_resources: scope })).id);
    },
    keptOnDestroy: /Fleio kept client \d+/,
});
