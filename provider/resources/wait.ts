import type { ProviderContext } from "../context";

/** Polls until `gone()` says so, with a bounded wait (fleio:deleteTimeoutSeconds). */
export async function waitUntilGone(ctx: ProviderContext, what: string, gone: () => Promise<boolean>, intervalMs = 250): Promise<void> {
    const deadline = Date.now() + ctx.settings.deleteTimeoutMs;
    let wait = intervalMs;
    while (!(await gone())) {
        if (Date.now() + wait > deadline)
            throw new Error(`${what} is still in Fleio ${Math.round(ctx.settings.deleteTimeoutMs / 1000)}s after its delete was accepted; raise fleio:deleteTimeoutSeconds or check Fleio's task queue`);
        await new Promise((r) => setTimeout(r, wait));
        wait = Math.min(wait * 2, 5000);
    }
}
