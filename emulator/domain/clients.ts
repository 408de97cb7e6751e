import { Client, Db } from "../model";
import { suspendInsteadOfTerminate } from "./billing-settings";
import { suspendService } from "./services";

/**
 * StaffClientViewSet.perform_destroy: with suspend-instead-of-terminate the client
 * is only suspended (the `suspend` action: its active services are suspended with
 * an empty reason); otherwise it goes to status "deleting" and a background task
 * terminates it. DRF's destroy ignores what perform_destroy returns: always 204.
 */
export type DeleteOutcome = { kind: "suspended" } | { kind: "scheduled"; at: number };

export function deleteClient(db: Db, client: Client, now: number, delayMs: number): DeleteOutcome {
    if (suspendInsteadOfTerminate(db, client)) {
        if (client.status !== "suspended") {
            for (const s of db.services.filter((x) => x.client === client.id && x.status === "active")) suspendService(db, s, "", null);
            client.status = "suspended";
        }
        return { kind: "suspended" };
    }
    if (client.status !== "deleting" || client.delete_at === undefined) {
        client.status = "deleting";
        client.delete_at = now + delayMs;
    }
    return { kind: "scheduled", at: client.delete_at };
}

/**
 * The staff `resume` action on a client (fleio-whmcs calls POST clients/{id}/resume;
 * the answer text is inferred): the client is active again. Its services keep their
 * own status: each is resumed by its own action.
 */
export function resumeClient(client: Client): { detail: string } {
    if (client.status === "suspended") client.status = "active";
    return { detail: "Client resumed" };
}
