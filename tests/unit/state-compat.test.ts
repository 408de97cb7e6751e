import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import { resource } from "../../provider";
import { useCreateOptions } from "./support/check-harness";

// State written by an earlier release must keep working: a newer provider reading it
// must see no change, or every user's next preview would show spurious updates or
// replacements. Fixtures are real resource state from a release's demo stack; add a
// folder per release whose state format changes, and never edit an old one.
const fixturesRoot = path.resolve(__dirname, "../../../tests/fixtures");

interface Fixture {
    type: string;
    id: string;
    inputs: Record<string, unknown>;
    outputs: Record<string, unknown>;
}

for (const release of fs.readdirSync(fixturesRoot).filter((d) => d.startsWith("state-")).sort()) {
    describe(`state written by ${release.replace("state-", "pulumi-fleio ")}`, () => {
        useCreateOptions();
        for (const file of fs.readdirSync(path.join(fixturesRoot, release)).sort()) {
            const fx = JSON.parse(fs.readFileSync(path.join(fixturesRoot, release, file), "utf8")) as Fixture;
            const kind = fx.type.split(":").pop()!;

            it(`${kind}: its inputs still pass check() unchanged`, async () => {
                const checked = await resource(kind).check!({}, fx.inputs);
                assert.deepEqual(checked.failures, []);
                assert.deepEqual(checked.inputs, fx.inputs, "check() is idempotent on what it produced before");
            });

            it(`${kind}: diff against its outputs shows no change`, async () => {
                const { inputs } = await resource(kind).check!({}, fx.inputs);
                const d = await resource(kind).diff!(fx.id, fx.outputs, inputs);
                assert.equal(d.changes, false, `no diff expected, got ${JSON.stringify(d)}`);
                assert.deepEqual(d.replaces ?? [], []);
            });
        }
    });
}
