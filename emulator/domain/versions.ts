import type { ApiKind } from "../auth";
import type { Db } from "../model";

/**
 * Which Fleio the emulator answers as. Fleio's docs from 2022.09/2022.10 announce the
 * reseller feature's removal, and later releases have none (shared/fleio-api.md,
 * "Versions and the reseller feature"): such a Fleio answers 404 on
 * `clients/{id}/reseller_services`, has no reseller API and no product of type
 * `reseller`, and its client filter knows no `has_reseller_service`.
 */
export interface FleioVersion {
    /** The reseller feature (2019.12 to the 2022 releases): true by default. */
    resellerFeature: boolean;
}

export const WITH_RESELLER_FEATURE: FleioVersion = { resellerFeature: true };

/** The staff client actions that exist only with the reseller feature (StaffClientViewSet's reseller_* actions). */
const RESELLER_ACTIONS = /^clients\/:id\/(reseller_services|create_reseller_service|new_reseller_service_data|update_reseller_billing_plan|update_reseller_enduser_panel_url)$/;

/**
 * Whether this Fleio has a URL for the route at all: without the reseller feature the
 * reseller API and the reseller actions are not routed, so Django's resolver answers
 * its HTML 404 before any view runs.
 */
export function routes(v: FleioVersion, api: ApiKind, path: string): boolean {
    if (v.resellerFeature) return true;
    return api !== "reseller" && !RESELLER_ACTIONS.test(path);
}

/** Query filters this Fleio's client list knows (django-filter ignores the others). */
export function knowsClientFilter(v: FleioVersion, name: string): boolean {
    return v.resellerFeature || name !== "has_reseller_service";
}

/** A Fleio without the feature has no reseller product type: a setup's reseller product and its cycles are not there. */
export function withoutResellerProducts(db: Db): Db {
    const gone = new Set(db.products.filter((p) => p.product_type === "reseller").map((p) => p.id));
    db.products = db.products.filter((p) => !gone.has(p.id));
    db.cycles = db.cycles.filter((c) => !gone.has(c.product));
    return db;
}
