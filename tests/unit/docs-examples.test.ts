import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import * as ts from "typescript";
import { docPages, REPO, splitPage } from "./support/markdown";

/**
 * A program the docs show compiles against the SDK as it is: every ```ts block of the
 * README and the guides that imports pulumi-fleio is type-checked (strict, as this
 * repository's own code), so a renamed input or output fails the suite, not a reader.
 */
describe("docs: every TypeScript program the README and the guides show compiles against the SDK", function () {
    this.timeout(120_000);
    const blocks = docPages()
        .filter((p) => p === "README.md" || p.startsWith("docs/guides/"))
        .flatMap((page) => splitPage(fs.readFileSync(path.join(REPO, page), "utf8")).blocks.filter((b) => b.info === "ts" && /from "pulumi-fleio"/.test(b.body)).map((b) => ({ page, ...b })));

    it("the README and the guides show such programs (the check below is not empty)", () => {
        const where = new Set(blocks.map((b) => b.page));
        for (const p of ["README.md", "docs/guides/first-reseller.md", "docs/guides/onboarding.md"]) assert.ok(where.has(p), p);
    });

    it("each compiles (tsc, strict, pulumi-fleio resolved to sdk/)", () => {
        const dir = fs.mkdtempSync(path.join(os.tmpdir(), "docs-ts-"));
        try {
            const files = blocks.map((b, i) => {
                const f = path.join(dir, `block${i}.ts`);
                fs.writeFileSync(f, b.body);
                return f;
            });
            const program = ts.createProgram(files, {
                target: ts.ScriptTarget.ES2022,
                module: ts.ModuleKind.CommonJS,
                moduleResolution: ts.ModuleResolutionKind.Node10,
                strict: true,
                noEmit: true,
                skipLibCheck: true,
                esModuleInterop: true,
                types: ["node"],
                typeRoots: [path.join(REPO, "node_modules/@types")],
                baseUrl: REPO,
                paths: { "pulumi-fleio": ["sdk/index.ts"] },
            });
            const bad = ts.getPreEmitDiagnostics(program).filter((d) => d.file && files.includes(path.resolve(d.file.fileName)))
                .map((d) => {
                    const b = blocks[files.indexOf(path.resolve(d.file!.fileName))];
                    const { line } = d.file!.getLineAndCharacterOfPosition(d.start ?? 0);
                    return `${b.page}:${b.line + 1 + line}: ${ts.flattenDiagnosticMessageText(d.messageText, "\n")}`;
                });
            assert.deepEqual(bad, []);
        } finally {
            fs.rmSync(dir, { recursive: true, force: true });
        }
    });
});
