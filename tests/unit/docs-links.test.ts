import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import { anchors, docPages, links, REPO, slug, splitPage } from "./support/markdown";

/**
 * The docs are a small site in the repository: README.md and docs/**. A page moved or a
 * heading renamed must not leave a link pointing nowhere (docs/README.md, "How these
 * pages are checked").
 */
describe("docs: every relative link and anchor resolves", () => {
    const pages = docPages();

    it("the pages are found (README.md, the docs index, install, every guide, the reference), and none under docs/_incoming/", () => {
        for (const p of ["README.md", "docs/README.md", "docs/install.md", "docs/gitops-format.md", "docs/reference/README.md", "docs/reference/Reseller.md"]) assert.ok(pages.includes(p), p);
        for (const g of ["first-reseller", "onboarding", "gitops", "fleets", "existing-fleio", "yaml-and-import", "contract", "recovery", "token-rotation"]) assert.ok(pages.includes(`docs/guides/${g}.md`), g);
        assert.deepEqual(pages.filter((p) => p.startsWith("docs/_incoming/")), []);
    });

    it("anchors are made as GitHub makes them", () => {
        assert.equal(slug("Taking over existing objects (`adopt`)"), "taking-over-existing-objects-adopt");
        assert.equal(slug("Fleio's default plans"), "fleios-default-plans");
        assert.equal(slug("The `pulumi-fleio` command"), "the-pulumi-fleio-command");
        assert.equal(slug("Into a program of plain resources: an import file"), "into-a-program-of-plain-resources-an-import-file");
        assert.deepEqual([...anchors("# A\n## B\n```\n# not a heading\n```\n## B\n")], ["a", "b", "b-1"]);
    });

    it("links in code spans and code blocks are not links; a code span over a line break is one span", () => {
        assert.deepEqual(links("`[a](x.md)` [b](y.md)\n```\n[c](z.md)\n```\n``one\n[d](w.md) two``"), [{ target: "y.md", line: 1 }]);
    });

    for (const page of pages) {
        it(`${page}: every relative link points at a file of the repository, every #anchor at a heading of its page`, () => {
            const text = fs.readFileSync(path.join(REPO, page), "utf8");
            splitPage(text); // an unclosed code block would hide the rest of the page from these checks
            const bad: string[] = [];
            for (const { target, line } of links(text)) {
                if (/^[a-z][a-z0-9+.-]*:/i.test(target)) continue; // https:, mailto:: not in the repository
                const [file, anchor] = target.split("#", 2);
                const abs = file ? path.resolve(path.dirname(path.join(REPO, page)), decodeURIComponent(file)) : path.join(REPO, page);
                if (!abs.startsWith(REPO + path.sep) && abs !== REPO) {
                    bad.push(`${page}:${line}: ${target} leaves the repository`);
                    continue;
                }
                if (!fs.existsSync(abs)) {
                    bad.push(`${page}:${line}: ${target}: no such file`);
                    continue;
                }
                if (anchor !== undefined) {
                    if (!abs.endsWith(".md")) bad.push(`${page}:${line}: ${target}: an anchor into a file that is not a page`);
                    else if (!anchors(fs.readFileSync(abs, "utf8")).has(anchor)) bad.push(`${page}:${line}: ${target}: no heading "#${anchor}" in ${path.relative(REPO, abs)}`);
                }
            }
            assert.deepEqual(bad, []);
        });
    }

    it("every page can be reached from README.md by its links (no page nobody finds)", () => {
        const reachable = new Set<string>();
        const queue = ["README.md"];
        while (queue.length) {
            const p = queue.shift()!;
            if (reachable.has(p)) continue;
            reachable.add(p);
            for (const { target } of links(fs.readFileSync(path.join(REPO, p), "utf8"))) {
                const file = target.split("#")[0];
                if (!file || /^[a-z][a-z0-9+.-]*:/i.test(file) || !file.endsWith(".md")) continue;
                const rel = path.relative(REPO, path.resolve(path.dirname(path.join(REPO, p)), file)).split(path.sep).join("/");
                if (pages.includes(rel)) queue.push(rel);
            }
        }
        assert.deepEqual(pages.filter((p) => !reachable.has(p)), []);
    });

    it("the README shows, as its test command, exactly the command CI runs (.ci/run)", () => {
        const ci = fs.readFileSync(path.join(REPO, ".ci/run"), "utf8").trim().split("\n").pop()!.trim();
        assert.match(ci, /npm test/);
        const readme = splitPage(fs.readFileSync(path.join(REPO, "README.md"), "utf8")).blocks.flatMap((b) => b.body.split("\n").map((l) => l.replace(/\s+#.*$/, "").trim()));
        assert.ok(readme.includes(ci), `README.md shows \`${ci}\` in a code block`);
    });
});
