import * as fleio from "../../sdk";
import { lifecycle, Step } from "./support/lifecycle";
import { client, directClient } from "./support/lifecycle-programs";

// Every resource passes the same steps (support/lifecycle.ts), one file per kind so the
// kinds run side by side. A case says only how to build it for each step and how to
// look at it, change it and delete it in Fleio.

lifecycle({
    kind: "Reseller",
    program(step: Step, { adoptId }) {
        if (step === "absent") return {};
        const over: Partial<fleio.ResellerArgs> = {
            city: step === "initial" ? "Bucharest" : "Cluj-Napoca",
            currency: step === "initial" || step === "updated" ? "EUR" : "USD",
            adopt: step === "adopted" ? adoptId : undefined,
        };
        const r = new fleio.Reseller("target", client("Target", over));
        return { targetId: r.clientId };
    },
    path: (o) => `clients/${o.targetId}`,
    updatedValue: async (f, o) => (await f.ok("GET", `clients/${o.targetId}`)).city,
    expectedUpdate: "Cluj-Napoca",
    drift: (f, o) => f.ok("PATCH", `clients/${o.targetId}`, { city: "Timisoara" }),
    async deleteOutOfBand(f, o) {
        await f.ok("DELETE", `clients/${o.targetId}`);
        for (let i = 0; i < 50 && (await f.exists(`clients/${o.targetId}`)); i++) await new Promise((r) => setTimeout(r, 100));
    },
    createDirect: (f) => directClient(f, "Adoptee", "USD"),
    async gone(f, path, _o, suspending) {
        // Fleio terminates a deleted client in the background, or (its default) keeps it suspended.
        const r = await f.call("GET", path);
        return r.status === 404 || (suspending && (r.body as { status?: string }).status === "suspended");
    },
    keptOnDestroy: /Fleio kept client \d+ .*suspended/,
});
