import * as pulumi from "@pulumi/pulumi";
import { engineStack } from "../engine";
import type { Measured } from "./engine-round";
import { sampleMemory } from "./memory";

/**
 * The engine floor: what the engine itself costs for a stack of the same shape, with a
 * provider that does nothing (no Fleio, no validation, no network). The provider's share
 * of a run is what it takes beyond this.
 */
const noop: pulumi.dynamic.ResourceProvider = {
    async create(inputs) {
        return { id: String(inputs.key), outs: inputs };
    },
    async diff() {
        return { changes: false };
    },
    async read(id, props) {
        return { id, props };
    },
    async delete() {
        // Nothing to remove.
    },
};

class Floor extends pulumi.dynamic.Resource {
    constructor(name: string, deps: pulumi.Resource[], parent: pulumi.Resource) {
        super(noop, name, { key: name }, { dependsOn: deps, parent });
    }
}

/**
 * One component per reseller with `perReseller` resources under it, wired as
 * ResellerOnboarding wires its children: the client and the plan first, the rules on the
 * plan, the service after them, then the panel and the configuration on the service.
 */
function floorProgram(resellers: number, perReseller: number): void {
    for (let i = 0; i < resellers; i++) {
        const parent = new pulumi.ComponentResource("fleio:bench:Floor", `floor-${i}`);
        const client = new Floor(`floor-${i}-client`, [], parent);
        const plan = new Floor(`floor-${i}-plan`, [], parent);
        const rules = Array.from({ length: Math.max(0, perReseller - 5) }, (_, k) => new Floor(`floor-${i}-rule-${k}`, [plan], parent));
        const service = new Floor(`floor-${i}-service`, [client, plan, ...rules], parent);
        new Floor(`floor-${i}-panel`, [service], parent);
        new Floor(`floor-${i}-config`, [service], parent);
    }
}

export interface FloorRound {
    up: Measured;
    preview: Measured;
    refresh: Measured;
    destroy: Measured;
}

async function timed(run: () => Promise<unknown>): Promise<Measured> {
    const sampler = sampleMemory();
    const t0 = process.hrtime.bigint();
    await run();
    return { s: Number(process.hrtime.bigint() - t0) / 1e9, calls: 0, mem: sampler.stop() };
}

/** The floor for `resources` resources spread over `resellers` components. */
export async function floorRound(resellers: number, resources: number, withRefresh = true): Promise<FloorRound> {
    const perReseller = Math.max(5, Math.round(resources / resellers));
    // The URL and token are never used: the no-op provider talks to nothing.
    const stack = await engineStack(async () => floorProgram(resellers, perReseller), { area: "bench", projectName: `bench-floor-${resellers}`, fleioUrl: "http://127.0.0.1:9", fleioToken: "unused", fresh: true });
    const up = await timed(() => stack.up());
    const preview = await timed(() => stack.preview());
    const refresh = withRefresh ? await timed(() => stack.refresh()) : { s: 0, calls: 0 };
    const destroy = await timed(() => stack.destroy());
    return { up, preview, refresh, destroy };
}
