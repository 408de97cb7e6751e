import { z } from "zod";
import { Db } from "../model";
import { bool, char, object, pk } from "./drf";

/** PricingPlanSerializer (create) and PricingPlanUpdateSerializer (PUT/PATCH). */

/** Currency is a nullable PrimaryKeyRelatedField over currency codes. */
const currency = (db: Db) =>
    char({ required: false, allowNull: true, check: (code) => (db.currencies.some((c) => c.code === code) ? undefined : `Invalid pk "${code}" - object does not exist.`) });

export const planCreateSchema = (db: Db, staff: boolean) =>
    object({
        name: char({ maxLength: 255 }),
        currency: currency(db),
        is_default: bool({ required: false }),
        // Writable on the staff API only; the reseller API sets it to the caller's (HiddenField).
        reseller_resources: staff ? pk({ required: false, allowNull: true }) : z.unknown().transform(() => undefined),
    });

export const planUpdateSchema = (db: Db) =>
    object({
        name: char({ maxLength: 255 }),
        currency: currency(db),
        is_default: bool({ required: false }),
        other_default: pk({ required: false, allowNull: true }),
    });
