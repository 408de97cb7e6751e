import { clientName, resellerClientDetails, resellerClientOf } from "../domain/reseller";
import { Db, User } from "../model";

/** StaffUserSerializer (password is write-only and never rendered). */
export function userOut(db: Db, u: User) {
    return {
        id: u.id,
        username: u.username,
        email: u.email,
        first_name: u.first_name,
        last_name: u.last_name,
        date_joined: u.date_joined,
        last_login: u.last_login,
        is_active: u.is_active,
        is_reseller: u.is_reseller,
        clients: db.clients.filter((c) => c.users.includes(u.id)).map((c) => ({ id: c.id, name: clientName(c), external_billing_id: c.external_billing_id })),
        external_billing_id: u.external_billing_id,
        full_name: `${u.first_name} ${u.last_name}`.trim(),
        is_staff: u.is_staff,
        is_superuser: u.is_superuser,
        permissions: null,
        user_groups: [],
        language: u.language,
        email_verified: u.email_verified,
        reseller_client: resellerClientOf(db, u.reseller_resources)?.id ?? null,
        latest_agreed_tos: null,
        reseller_client_details: resellerClientDetails(db, u.reseller_resources),
    };
}
