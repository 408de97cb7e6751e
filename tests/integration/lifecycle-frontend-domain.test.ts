import * as fleio from "../../sdk";
import { lifecycle } from "./support/lifecycle";
import { resellerWithService } from "./support/lifecycle-programs";

// Every resource passes the same steps (support/lifecycle.ts), one file per kind so the
// kinds run side by side. A case says only how to build it for each step and how to
// look at it, change it and delete it in Fleio.

lifecycle({
    kind: "FrontendDomain",
    program(step, { staffPlanId, adoptId }) {
        const a = resellerWithService("DomainA", staffPlanId);
        const b = resellerWithService("DomainB", staffPlanId);
        if (step === "absent") return { aClientId: a.clientId, aServiceId: a.serviceId };
        const owner = step === "replaced" ? b : a;
        const d = new fleio.FrontendDomain("target", {
            clientId: owner.clientId,
            serviceId: owner.serviceId,
            domain: step === "initial" ? "panel-one.lifecycle.example" : "panel-two.lifecycle.example",
            adopt: step === "adopted" ? adoptId : undefined,
        });
        return { targetId: d.serviceId, clientId: owner.clientId, url: d.enduserPanelUrl };
    },
    path: (o) => `clients/${o.clientId}/reseller_services`,
    updatedValue: async (f, o) => (await f.liveResellerService(o.clientId))?.url,
    expectedUpdate: "https://panel-two.lifecycle.example/",
    drift: (f, o) => f.ok("POST", `clients/${o.clientId}/update_reseller_enduser_panel_url`, { enduser_panel_url: "https://elsewhere.lifecycle.example/", service: Number(o.targetId) }),
    deleteOutOfBand: (f, o) => f.ok("POST", `clients/${o.clientId}/update_reseller_enduser_panel_url`, { enduser_panel_url: null, service: Number(o.targetId) }),
    async createDirect(f, o) {
        await f.ok("POST", `clients/${o.aClientId}/update_reseller_enduser_panel_url`, { enduser_panel_url: "https://panel-old.lifecycle.example/", service: Number(o.aServiceId) });
        return String(o.aServiceId);
    },
    // The panel is gone when its service no longer has a URL (or the client is gone).
    async gone(f, path) {
        const r = await f.call("GET", path);
        if (r.status === 404) return true;
        return Object.values((r.body as { resources: Record<string, { enduser_panel_url: string | null }> }).resources).every((x) => !x.enduser_panel_url);
    },
    keptOnDestroy: /Fleio kept client \d+/,
});
