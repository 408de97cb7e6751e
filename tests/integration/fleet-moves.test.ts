import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import { stringify } from "yaml";
import { startEmulator, RunningEmulator } from "../../emulator";
import { runFleet, shardOf, shardNames, FleetReport } from "../../fleet";
import { resellerData } from "../../scripts/bench/data";
import { FleioDirect } from "./support/fleio-direct";
import { added, census, Census } from "./support/census";
import { fleetOptions, freshArea } from "./support/fleet-env";
import { assertFleetDidAsPreviewed, fleetUpAsPreviewed } from "./support/preview-matches-up";

// Two resellers over two stacks, changed in ways that cross from one stack to the other:
// a renamed file that now shards to the other stack, and a domain one reseller lets go
// of and the other takes. Each change goes both ways at once or in turn, so one stack
// runs first in one direction and last in the other. After each `up`, Fleio holds
// exactly the declared objects, and a preview of every stack is empty and calls nothing.

const STACKS = shardNames(2);
/** A file name that shards to the given stack, not yet used. */
const nameIn = (stack: string, prefix: string, used: string[]) => {
    for (let i = 0; ; i++) if (shardOf(`${prefix}-${i}`, STACKS) === stack && !used.includes(`${prefix}-${i}`)) return `${prefix}-${i}`;
};
const changed = (r: FleetReport) => r.stacks.flatMap((s) => Object.entries(s.changes).filter(([k, n]) => k !== "same" && n > 0).map(([k, n]) => `${s.stack}:${k} ${n}`));

describe("fleet: a reseller or a domain moving between stacks", function () {
    this.timeout(900_000);
    let em: RunningEmulator;
    let f: FleioDirect;
    let baseline: Census;
    const dirs = freshArea("fleet-moves");
    const backendUrl = `file://${dirs.fileBackend}`;
    const opts = (operation: "up" | "preview" | "destroy") => fleetOptions(em, dirs, { operation, backendUrl, shards: 2 });
    /** file name → the bench reseller it holds, and its domain. */
    let files: Record<string, { data: number; domain: string }> = {};
    /** Client id of each bench reseller, as first made: a move keeps it. */
    const clientOf = new Map<number, string>();

    const write = () => {
        for (const f of fs.readdirSync(dirs.data)) fs.rmSync(path.join(dirs.data, f));
        for (const [name, r] of Object.entries(files)) fs.writeFileSync(path.join(dirs.data, `${name}.yaml`), stringify({ ...resellerData(r.data), domain: r.domain }));
    };

    /** Fleet up, checked against a fleet preview first unless the test compares its own. */
    const up = async (previewFirst = true) => {
        write();
        const r = previewFirst ? await fleetUpAsPreviewed(opts("up")) : await runFleet(opts("up"));
        assert.ok(r.ok, JSON.stringify(r.stacks));
        return r;
    };

    /** Active clients, services, plans, rules and configurations are exactly the declared ones; Fleio keeps nothing else. */
    const holdsExactlyTheFiles = async () => {
        const now = added(baseline, await census(f));
        const declared = Object.entries(files);
        assert.deepEqual(now.clients.map((c) => c.status), declared.map(() => "active"), "one active client per file, none suspended");
        for (const [name, r] of declared) {
            const client = clientOf.get(r.data);
            const s = now.services.find((x) => x.client === client);
            assert.equal(s?.status, "active", `${name}: its service, still the first client's, is active`);
            assert.equal(s?.url, `https://${r.domain}/`, `${name}: its panel is on ${r.domain}`);
            const plan = now.plans.find((p) => p.id === s?.plan);
            assert.equal(plan?.name, `Reseller pricing - ${name}`, `${name}: its service is on its own plan`);
            assert.equal(now.rules.filter((x) => x.plan === plan?.id).length, 3, `${name}: its plan has its 3 rules`);
        }
        assert.equal(now.services.length, declared.length, "no other reseller service");
        assert.equal(now.plans.length, declared.length, "no other plan");
        assert.equal(now.rules.length, declared.length * 3, "no other rule");
        assert.equal(now.configurations.length, declared.length, "one configuration per reseller");
    };

    const previewIsEmpty = async () => {
        const calls = await f.apiCalls();
        const r = await runFleet(opts("preview"));
        assert.ok(r.ok, JSON.stringify(r.stacks));
        assert.deepEqual(changed(r), [], "no stack shows a change");
        assert.deepEqual(r.moves, [], "nothing left to move");
        assert.equal((await f.apiCalls()) - calls, 0, "and no Fleio call");
    };

    before(async () => {
        em = await startEmulator({ seed: 41, deleteDelayMs: 20 });
        f = new FleioDirect(em);
        // An operator's Fleio has a default staff plan (a fresh one has none, and then refuses to update staff plans).
        await f.defaultStaffPlanId();
        baseline = await census(f);
        const a = nameIn(STACKS[0], "a", []);
        const b = nameIn(STACKS[1], "b", []);
        files = { [a]: { data: 0, domain: "panel-a.fleet.example" }, [b]: { data: 1, domain: "panel-b.fleet.example" } };
        await up();
        const now = added(baseline, await census(f));
        for (const r of Object.values(files)) clientOf.set(r.data, now.clients.find((c) => c.email === `r${r.data}@bench.example`)!.id);
        await holdsExactlyTheFiles();
    });
    after(async () => {
        await runFleet(opts("destroy")).catch(() => undefined);
        await em?.close();
    });

    it("renamed files that now shard to the other stack move their resellers there, the first stack to run taking one in and the last one giving one away", async () => {
        const [a, b] = Object.keys(files);
        const used = [a, b];
        // a goes from the first stack to the second, b from the second to the first.
        const a2 = nameIn(STACKS[1], "a", used);
        const b2 = nameIn(STACKS[0], "b", used);
        files = { [a2]: files[a], [b2]: files[b] };
        write();

        const preview = await runFleet(opts("preview"));
        assert.ok(preview.ok, JSON.stringify(preview.stacks));
        assert.deepEqual(preview.moves.sort(), [`${a2} (was ${a}): ${STACKS[0]} → ${STACKS[1]}`, `${b2} (was ${b}): ${STACKS[1]} → ${STACKS[0]}`].sort());
        // The plan, named after its file, is renamed; nothing is made, deleted or replaced: the plan's
        // id stays known in the preview (stable outputs), so its rules and domain show no phantom replacement.
        assert.deepEqual(changed(preview).sort(), [`${STACKS[0]}:update 1`, `${STACKS[1]}:update 1`]);

        const r = await up(false);
        assert.deepEqual(r.moves.sort(), preview.moves.sort());
        assertFleetDidAsPreviewed(preview, r);
        assert.deepEqual(changed(r).sort(), [`${STACKS[0]}:update 1`, `${STACKS[1]}:update 1`], "no delete, no create: the resources moved");
        await holdsExactlyTheFiles();
        await previewIsEmpty();
    });

    it("a domain one reseller lets go of and another in the other stack takes applies in one run, whichever stack holds it", async () => {
        for (const [n, [giver, taker]] of [Object.keys(files), Object.keys(files).reverse()].entries()) {
            const old = files[giver].domain;
            files = { ...files, [giver]: { ...files[giver], domain: `moved${n}-${old}` }, [taker]: { ...files[taker], domain: old } };
            const r = await up();
            assert.deepEqual(r.waits, [`${shardOf(taker, STACKS)} after ${shardOf(giver, STACKS)}`]);
            assert.deepEqual(r.stacks.map((s) => s.stack), STACKS);
            assert.ok(changed(r).every((c) => /:update \d+$/.test(c)) && r.stacks.every((s) => s.changes.update), `each domain updated in place: ${changed(r).join(", ")}`);
            await holdsExactlyTheFiles();
            await previewIsEmpty();
        }
    });
});
