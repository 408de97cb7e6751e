import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import { referencePages, EXAMPLES } from "../../provider/plugin/docs";
import { resources, ResourceKind } from "../../provider/registry";

const docs = path.resolve(__dirname, "../../../docs/reference");

describe("reference docs (docs/reference/) generated from the schema", () => {
    const pages = referencePages();

    it("one page per resource and an index", () => {
        assert.deepEqual(Object.keys(pages).sort(), ["README.md", ...Object.keys(resources).map((k) => `${k}.md`)].sort());
    });

    it("docs/reference/ holds only generated pages (a page of a resource that is gone would go on being linked)", () => {
        assert.deepEqual(fs.readdirSync(docs).sort(), Object.keys(pages).sort());
    });

    for (const [name, text] of Object.entries(pages)) {
        it(`docs/reference/${name} is what the schema gives (regenerate: node dist/scripts/gen-docs.js)`, () => {
            const onDisk = fs.existsSync(path.join(docs, name)) ? fs.readFileSync(path.join(docs, name), "utf8") : "(missing)";
            assert.equal(onDisk, text);
        });
    }

    for (const kind of Object.keys(EXAMPLES) as ResourceKind[]) {
        it(`${kind}: the example's inputs pass check()`, async () => {
            // References to other resources' outputs stand for ids.
            const inputs = JSON.parse(JSON.stringify(EXAMPLES[kind].inputs).replace(/"\$\{[^}]+\}"/g, '"123"'));
            const res = await resources[kind].core.check(undefined, inputs);
            assert.deepEqual(res.failures, []);
        });
    }
});
