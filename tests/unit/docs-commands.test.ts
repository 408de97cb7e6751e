import * as assert from "node:assert/strict";
import { execFile } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { promisify } from "node:util";
import { runCli } from "../../cli";
import { startEmulator, RunningEmulator } from "../../emulator";
import { commandLines, docPages, REPO, splitPage } from "./support/markdown";

const run = promisify(execFile);
const CLI = path.join(REPO, "dist/cli/index.js");

/**
 * A command the docs show must work: the blocks marked runnable (```sh runnable) run as
 * shown, and every `pulumi-fleio` command line anywhere in the docs names commands and
 * flags the built command has (docs/README.md, "How these pages are checked").
 */
describe("docs: the commands the guides show work", function () {
    this.timeout(120_000);
    const pages = docPages();
    const runnable = pages.flatMap((page) =>
        splitPage(fs.readFileSync(path.join(REPO, page), "utf8"))
            .blocks.filter((b) => /^sh\s+runnable$/.test(b.info))
            .map((b) => ({ page, ...b })),
    );

    it("the guides mark runnable blocks (the check below is not empty)", () => {
        const where = new Set(runnable.map((b) => b.page));
        for (const p of ["docs/install.md", "docs/guides/gitops.md", "docs/guides/contract.md", "docs/guides/existing-fleio.md", "docs/guides/fleets.md"]) assert.ok(where.has(p), `${p} has a runnable block`);
    });

    describe("every block marked `sh runnable` exits 0", () => {
        let em: RunningEmulator;
        let shims: string;
        before(async () => {
            em = await startEmulator({ seed: 21 });
            shims = fs.mkdtempSync(path.join(os.tmpdir(), "docs-shims-"));
            fs.writeFileSync(path.join(shims, "pulumi-fleio"), `#!/bin/sh\nexec "${process.execPath}" "${CLI}" "$@"\n`, { mode: 0o755 });
        });
        after(async () => {
            await em?.close();
            fs.rmSync(shims, { recursive: true, force: true });
        });

        for (const b of runnable) {
            it(`${b.page}:${b.line}: ${b.body.split("\n")[0]}`, async () => {
                const cwd = fs.mkdtempSync(path.join(os.tmpdir(), "docs-block-"));
                try {
                    fs.cpSync(path.join(REPO, "examples"), path.join(cwd, "examples"), { recursive: true, filter: (src) => path.basename(src) !== "node_modules" });
                    // `npx pulumi-fleio` is the built command; any other npx would reach the registry.
                    const script = `npx() { if [ "$1" = pulumi-fleio ]; then shift; pulumi-fleio "$@"; else echo "a runnable block may npx pulumi-fleio only" >&2; return 127; fi; }\n${b.body}\n`;
                    const env = { ...process.env, PATH: `${shims}${path.delimiter}${process.env.PATH}`, FLEIO_URL: em.url, FLEIO_TOKEN: em.staffToken };
                    try {
                        await run("bash", ["-e", "-c", script], { cwd, env, maxBuffer: 64 * 1024 * 1024 });
                    } catch (e) {
                        const x = e as { code?: number; stdout?: string; stderr?: string };
                        assert.fail(`exit code ${x.code}\n--- stdout\n${x.stdout?.slice(-2000)}\n--- stderr\n${x.stderr?.slice(-2000)}`);
                    }
                } finally {
                    fs.rmSync(cwd, { recursive: true, force: true });
                }
            });
        }
    });

    describe("every `pulumi-fleio` command line names commands and flags the built command has", () => {
        const help = new Map<string, string>();
        const helpOf = async (cmd: string[]) => {
            const key = cmd.join(" ");
            if (!help.has(key)) {
                // In process (what the built command runs), its output captured only while it runs.
                const out: string[] = [];
                const write = process.stdout.write;
                process.stdout.write = ((s: string) => (out.push(String(s)), true)) as typeof process.stdout.write;
                try {
                    assert.equal(await runCli(["node", "pulumi-fleio", ...cmd, "--help"]), 0, `pulumi-fleio ${key} --help`);
                } finally {
                    process.stdout.write = write;
                }
                help.set(key, out.join(""));
            }
            return help.get(key)!;
        };
        /** The names under "Commands:" of a help text. */
        const subcommands = (text: string) => [...(text.split(/^Commands:$/m)[1] ?? "").matchAll(/^  ([a-z][\w-]*)/gm)].map((m) => m[1]).filter((c) => c !== "help");

        /** `... pulumi-fleio fleet preview|up --data x` → the words after the command; `npm run fleet -- up` counts as `pulumi-fleio fleet up`. */
        const invocations = (line: string): string[][] => {
            const out: string[][] = [];
            // A table cell writes "|" as "\\|"; a comment is no part of the command.
            const shell = line.replace(/\\\|/g, "|").replace(/\s#\s.*$/, "");
            // The command where a shell would run it (a line's start, after npx, && or ;), not the word in a message.
            for (const m of shell.matchAll(/(?:(?:^|npx\s+|&&\s*|;\s*)pulumi-fleio(?![\w/.:-])|npm run (fleet|contract) --)((?:\s+[^\s;&|]+(?:\|[^\s;&|]+)*)*)/g)) {
                out.push([...(m[1] ? [m[1]] : []), ...m[2].trim().split(/\s+/).filter(Boolean)]);
            }
            return out;
        };

        it("a command line is recognised in a code span, a code block and an npm script", () => {
            assert.deepEqual(invocations("npx pulumi-fleio fleet preview|up --data x   # a comment --nope"), [["fleet", "preview|up", "--data", "x"]]);
            assert.deepEqual(invocations("npm run fleet -- up --data <dir>"), [["fleet", "up", "--data", "<dir>"]]);
            assert.deepEqual(invocations("npm run fleet -- preview\\|up --data <dir>"), [["fleet", "preview|up", "--data", "<dir>"]]);
            assert.deepEqual(invocations("bin/pulumi-resource-fleio"), []);
            assert.deepEqual(invocations("verdict: this Fleio fits pulumi-fleio (49 passed)"), []);
            assert.deepEqual(invocations("pulumi-fleio: warning: could not ask Fleio"), []);
        });

        for (const page of pages) {
            const lines = commandLines(fs.readFileSync(path.join(REPO, page), "utf8")).flatMap((l) => invocations(l.line).filter((w) => w.length).map((words) => ({ ...l, words })));
            if (!lines.length) continue;
            it(`${page}: ${lines.length} command line(s)`, async () => {
                const bad: string[] = [];
                for (const { words, at, line } of lines) {
                    // Walk down the subcommands the words name; "a|b" names each of a and b.
                    let paths: string[][] = [[]];
                    let i = 0;
                    for (; i < words.length; i++) {
                        const alts = words[i].split("|");
                        const next: string[][] = [];
                        for (const p of paths) {
                            const subs = subcommands(await helpOf(p));
                            if (alts.every((a) => subs.includes(a))) next.push(...alts.map((a) => [...p, a]));
                        }
                        if (next.length !== paths.length * alts.length) break;
                        paths = next;
                    }
                    if (i < words.length && !words[i].startsWith("-") && !/^[<.…]/.test(words[i])) {
                        const p = paths[0];
                        const subs = subcommands(await helpOf(p));
                        if (subs.length) bad.push(`${page}:${at}: \`${line}\`: "${words[i]}" is no command of pulumi-fleio ${p.join(" ")} (${subs.join(", ")})`);
                    }
                    for (const flag of words.slice(i).filter((w) => /^--[a-z]/.test(w)).map((w) => w.replace(/=.*$/, ""))) {
                        for (const p of paths) if (!new RegExp(`(^|[\\s,])${flag}(?![\\w-])`, "m").test(await helpOf(p))) bad.push(`${page}:${at}: \`${line}\`: pulumi-fleio ${p.join(" ")} has no ${flag}`);
                    }
                }
                assert.deepEqual(bad, []);
            });
        }
    });
});
