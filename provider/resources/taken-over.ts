import { ProviderContext, runState } from "../context";

/**
 * What a run's deletes learn about objects another stack has taken over.
 *
 * A reseller moved from one stack (or program) to another is taken over by the new one
 * through its unique keys (the client's externalBillingId, the one reseller service a
 * client may have). Fleio has no field free for an owner's mark, so the sign is what the
 * new owner must change: it puts the service on its own plan. A ResellerService whose
 * delete finds its service active on a plan other than the one in its state leaves it
 * alone, and so does the delete of that reseller's client later in the same run (the
 * engine deletes the client after its service). The panel's delete comes before the
 * service's: the URL it cleared is put back when the service turns out to be taken over.
 */

/** Reseller clients whose service this run found taken over. */
export const takenOverClients = (ctx: ProviderContext) => runState(ctx, "taken-over/clients", () => new Set<string>());

/** Panel URLs this run's FrontendDomain deletes cleared, by service id. */
export const clearedPanels = (ctx: ProviderContext) => runState(ctx, "taken-over/cleared-panels", () => new Map<string, { clientId: string; url: string }>());
