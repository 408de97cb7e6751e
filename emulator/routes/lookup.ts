import { Scope } from "../auth";
import { notFound } from "../errors";
import { Db } from "../model";

/**
 * Object lookup as DRF's get_object does it: a non-numeric id is a 404 (Django's
 * ValueError is turned into Http404), and so is an object outside the caller's
 * queryset — which is how a reseller never sees another reseller's objects.
 */
export function idParam(raw: string | undefined): number {
    if (raw === undefined || !/^\d+$/.test(raw)) throw notFound();
    const n = Number(raw);
    if (!Number.isSafeInteger(n)) throw notFound();
    return n;
}

export function findOr404<T extends { id: number }>(rows: T[], id: number, visible: (row: T) => boolean = () => true): T {
    const row = rows.find((r) => r.id === id);
    if (!row || !visible(row)) throw notFound();
    return row;
}

/** The reseller resources id a scope sees objects of: null for staff (sees everything). */
export const scopeRr = (scope: Scope): number | null => (scope.api === "reseller" ? scope.rr.id : null);

/** Whether an object owned by `owner` (a reseller resources id or null) is visible in `scope`. */
export const visibleIn = (scope: Scope, owner: number | null): boolean => scope.api !== "reseller" || owner === scope.rr.id;

export const nextId = (db: Db, table: keyof Db["seq"]): number => ++db.seq[table];
