import * as fleio from "../../../sdk";
import type { FleioDirect } from "./fleio-direct";

// What the lifecycle cases (tests/integration/lifecycle-*.test.ts) build around the resource under test.

export const client = (name: string, over: Partial<fleio.ResellerArgs> = {}): fleio.ResellerArgs => ({
    firstName: "Lee",
    lastName: name,
    email: `${name.toLowerCase()}@lifecycle.example`,
    phone: "+40 21 000 0000",
    address1: "2 Test Road",
    city: "Bucharest",
    zipCode: "010101",
    country: "RO",
    currency: "EUR",
    ...over,
});

/** A reseller with a live reseller service on the default staff plan: a scope that can own objects. */
export function resellerWithService(name: string, staffPlanId: string) {
    const r = new fleio.Reseller(name, client(name));
    const s = new fleio.ResellerService(`${name}-service`, { clientId: r.clientId, productName: "Reseller", cycle: "month", planId: staffPlanId });
    return { clientId: r.clientId, serviceId: s.serviceId, service: s };
}

/** A client made in Fleio directly, as an operator would: something to adopt. */
export const directClient = async (f: FleioDirect, name: string, currency = "EUR") =>
    String((await f.ok<{ id: number }>("POST", "clients", { first_name: "Pre", last_name: name, email: `${name}@pre.example`, phone: "1", address1: "x", city: "y", zip_code: "1", country: "RO", currency })).id);

