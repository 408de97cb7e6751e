import type { ResellerFile } from "../sdk/gitops";
import { domainKey } from "../provider/validation/fields";
import type { MovePlan, StateReseller } from "./moves";

/**
 * Which stacks must wait for which. A domain can serve one reseller only, and a stack
 * checks that against Fleio when it sets one; so when one merge gives reseller B the
 * domain reseller A holds now (A moves to another, or is removed) and they live in
 * different stacks, B's stack runs after A's, which lets the domain go first.
 * Returns, per stack, the stacks it waits for (only stacks with some wait are listed).
 * Throws, before anything runs, when the waits go round in a circle (two stacks
 * swapping domains): no order of whole stacks applies that in one run.
 */
export function stackWaits(inState: StateReseller[], plan: MovePlan, files: ReadonlyMap<string, ResellerFile>, shardOf: (name: string) => string): Map<string, Set<string>> {
    // Each reseller as it will be once the moves are done: its data name and stack.
    const renamed = new Map(plan.moves.map((m) => [m.urn, m]));
    const holders = new Map<string, { name: string; stack: string }>();
    for (const r of inState) {
        if (!r.domain) continue;
        const m = renamed.get(r.urn);
        const alias = [...(plan.aliases.get(r.stack)?.entries() ?? [])].find(([, old]) => old === r.name)?.[0];
        holders.set(r.domain, { name: m?.newName ?? alias ?? r.name, stack: m?.to ?? r.stack });
    }
    const waits = new Map<string, Set<string>>();
    const why = new Map<string, string>();
    for (const [name, f] of files) {
        const domain = f.domain && domainKey(f.domain);
        const holder = domain && holders.get(domain);
        if (!holder || holder.name === name) continue;
        const [taker, giver] = [shardOf(name), holder.stack];
        if (taker === giver) continue; // one stack: the engine orders it
        waits.set(taker, (waits.get(taker) ?? new Set()).add(giver));
        why.set(`${taker}\0${giver}`, `${name} takes ${domain} from ${holder.name}`);
    }
    const circle = findCircle(waits);
    if (circle) {
        const steps = circle.map((s, i) => `${s} (${why.get(`${s}\0${circle[(i + 1) % circle.length]}`)})`);
        throw new Error(
            `these stacks would each have to run after the other, so one run cannot apply this change: ${steps.join(" waits for ")}. ` +
                "Split it in two merges: first give one of them a domain no one holds, then the one it should have",
        );
    }
    return waits;
}

/** A circle of waits, as the stacks in it, if there is one. */
function findCircle(waits: Map<string, Set<string>>): string[] | undefined {
    const state = new Map<string, "open" | "done">();
    const path: string[] = [];
    const visit = (s: string): string[] | undefined => {
        if (state.get(s) === "done") return undefined;
        if (state.get(s) === "open") return path.slice(path.indexOf(s));
        state.set(s, "open");
        path.push(s);
        for (const next of waits.get(s) ?? []) {
            const found = visit(next);
            if (found) return found;
        }
        path.pop();
        state.set(s, "done");
        return undefined;
    };
    for (const s of waits.keys()) {
        const found = visit(s);
        if (found) return found;
    }
    return undefined;
}
