import { drfDateTime } from "../clock";
import { Db, Service } from "../model";
import { suspendInsteadOfTerminate } from "./billing-settings";
import { deleteResellerResources } from "./reseller";

/**
 * Billing services and what their product's module does when they change state
 * (fleio/billing/services/tasks.py; fleio/reseller/billing_module.py). Fleio runs
 * these in background tasks; the emulator runs them at once, as Fleio does with
 * tasks run inline.
 */

/** ServiceSuspendType.SUSPEND_REASON_TERMINATE_DISABLED */
export const SUSPEND_REASON_TERMINATE_DISABLED = "Suspend instead of terminate is enabled";

const isReseller = (db: Db, s: Service): boolean => db.products.find((p) => p.id === s.product)?.product_type === "reseller";

/** The reseller module's suspend: every client under the reseller is suspended with its active services. */
function suspendResellerClients(db: Db, s: Service, reason: string | null, type: string | null): void {
    const rr = db.reseller_resources.find((r) => r.service === s.id);
    if (!rr) return;
    for (const client of db.clients.filter((c) => c.reseller_resources === rr.id)) {
        for (const other of db.services.filter((x) => x.client === client.id && x.status === "active")) setSuspended(other, reason, type);
        client.status = "suspended";
    }
}

/** Suspended with a reason, or (`suspended` false) active again with none. */
function setSuspended(s: Service, reason: string | null, type: string | null, suspended = true): void {
    const now = drfDateTime();
    s.status = suspended ? "suspended" : "active";
    s.suspended_at = suspended ? now : null;
    s.suspend_reason = reason;
    s.suspend_type = type;
    s.updated_at = now;
}

/** tasks.suspend_service: the module suspends, then the service is marked suspended. */
export function suspendService(db: Db, s: Service, reason: string | null, type: string | null): void {
    if (isReseller(db, s)) suspendResellerClients(db, s, reason, type);
    setSuspended(s, reason, type);
}

/** The module's delete task, then set_terminated: a reseller service loses its reseller resources and all they own. */
export function terminateServiceNow(db: Db, s: Service): void {
    const rr = db.reseller_resources.find((r) => r.service === s.id);
    if (rr) deleteResellerResources(db, rr.id);
    const now = drfDateTime();
    s.status = "terminated";
    s.terminated_at = now;
    s.updated_at = now;
}

export type TerminateOutcome = { status: 202 | 403; detail: string };

/** AdminServiceViewSet.terminate: what the staff action answers, and its (inline) effect. */
export function requestTerminate(db: Db, s: Service): TerminateOutcome {
    if (s.status !== "active" && s.status !== "suspended") return { status: 403, detail: "Service is not active or suspended" };
    const client = db.clients.find((c) => c.id === s.client);
    if (client && suspendInsteadOfTerminate(db, client)) {
        if (s.status !== "active") return { status: 202, detail: "Suspend instead of terminate is enabled for the client and service is not active." };
        suspendService(db, s, SUSPEND_REASON_TERMINATE_DISABLED, "staff");
        return { status: 202, detail: "Suspend instead of terminate is enabled for the client. Suspending service." };
    }
    terminateServiceNow(db, s);
    return { status: 202, detail: "Terminate in progress" };
}

export type ResumeOutcome = { status: 200 | 403; detail: string };

/**
 * The staff `resume` action on a service (its activity-log entry is in StaffServiceViewSet;
 * the answer texts are inferred): a suspended service becomes active again, with the
 * reseller's own clients that its suspend had suspended.
 */
export function resumeService(db: Db, s: Service): ResumeOutcome {
    if (s.status !== "suspended") return { status: 403, detail: "Service is not suspended" };
    const rr = isReseller(db, s) ? db.reseller_resources.find((r) => r.service === s.id) : undefined;
    if (rr) for (const client of db.clients.filter((c) => c.reseller_resources === rr.id && c.status === "suspended")) client.status = "active";
    setSuspended(s, null, null, false);
    return { status: 200, detail: "Service resumed" };
}

/** A new service as the staff reseller-service action creates it (status active, activated_at left unset). */
export function newService(db: Db, id: number, client: number, product: number, cycle: number, displayName: string): Service {
    const now = drfDateTime();
    const s: Service = {
        id,
        client,
        product,
        cycle,
        display_name: displayName,
        status: "active",
        created_at: now,
        activated_at: null,
        updated_at: now,
        terminated_at: null,
        next_due_date: null,
        next_expiration_date: null,
        next_invoice_date: null,
        override_price: null,
        domain_name: null,
        suspended_at: null,
        suspend_reason: null,
        suspend_type: null,
        notes: "",
    };
    db.services.push(s);
    return s;
}
