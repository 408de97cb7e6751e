import * as fs from "node:fs";
import * as path from "node:path";

/**
 * What the docs tests read out of the Markdown pages: the pages themselves, their
 * headings as GitHub anchors, their links and their code blocks. Only as much Markdown
 * as these pages use: ATX headings, inline links, fenced code blocks.
 */

export const REPO = path.resolve(__dirname, "../../../..");

/** README.md and every page under docs/, but docs/_incoming/ (notes not folded in yet). */
export function docPages(): string[] {
    const pages = ["README.md"];
    const walk = (rel: string) => {
        for (const e of fs.readdirSync(path.join(REPO, rel), { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
            const r = path.posix.join(rel, e.name);
            if (e.isDirectory()) {
                if (r !== "docs/_incoming") walk(r);
            } else if (e.name.endsWith(".md")) pages.push(r);
        }
    };
    walk("docs");
    return pages;
}

export interface CodeBlock {
    /** The info string after the opening fence, e.g. "sh runnable". */
    info: string;
    body: string;
    /** 1-based line of the opening fence. */
    line: number;
}

/** The page split into its prose lines (code blocks blanked, line numbers kept) and its fenced code blocks. */
export function splitPage(text: string): { prose: string[]; blocks: CodeBlock[] } {
    const prose: string[] = [];
    const blocks: CodeBlock[] = [];
    let open: { fence: string; info: string; line: number; body: string[] } | undefined;
    text.split("\n").forEach((l, i) => {
        const fence = /^\s*(`{3,}|~{3,})(.*)$/.exec(l);
        if (open) {
            prose.push("");
            if (fence && fence[1][0] === open.fence[0] && fence[1].length >= open.fence.length && !fence[2].trim()) {
                blocks.push({ info: open.info, body: open.body.join("\n"), line: open.line });
                open = undefined;
            } else open.body.push(l);
        } else if (fence) {
            open = { fence: fence[1], info: fence[2].trim(), line: i + 1, body: [] };
            prose.push("");
        } else prose.push(l);
    });
    if (open) throw new Error(`code block opened on line ${open.line} is never closed`);
    return { prose, blocks };
}

/** GitHub's anchor for a heading: inline code marks and punctuation dropped, lower case, spaces as "-". */
export function slug(heading: string): string {
    return heading
        .replace(/`/g, "")
        .replace(/\[([^\]]*)\]\([^)]*\)/g, "$1")
        .trim()
        .toLowerCase()
        .replace(/[^\p{L}\p{N}\s_-]/gu, "")
        .replace(/\s/g, "-");
}

/** Every anchor a page has: one per heading, a repeated heading numbered as GitHub numbers it. */
export function anchors(text: string): Set<string> {
    const seen = new Map<string, number>();
    const out = new Set<string>();
    for (const l of splitPage(text).prose) {
        const h = /^#{1,6}\s+(.*?)\s*#*\s*$/.exec(l);
        if (!h) continue;
        const s = slug(h[1]);
        const n = seen.get(s) ?? 0;
        seen.set(s, n + 1);
        out.add(n ? `${s}-${n}` : s);
    }
    return out;
}

export interface Link {
    target: string;
    line: number;
}

/** Inline links `[text](target)` of the prose, outside code blocks and code spans. */
export function links(text: string): Link[] {
    const out: Link[] = [];
    // Code spans may run over a line break; blank them whole, keeping the line breaks.
    const prose = splitPage(text).prose.join("\n").replace(/(`+)[\s\S]*?\1/g, (span) => span.replace(/[^\n]/g, " "));
    prose.split("\n").forEach((l, i) => {
        for (const m of l.matchAll(/\]\(\s*<?([^)\s>]+)>?(?:\s+"[^"]*")?\s*\)/g)) out.push({ target: m[1], line: i + 1 });
    });
    return out;
}

/** Every line of a code block and every code span of the prose: where a reader sees a command. */
export function commandLines(text: string): { line: string; at: number }[] {
    const out: { line: string; at: number }[] = [];
    const { prose, blocks } = splitPage(text);
    const joined = prose.join("\n");
    for (const m of joined.matchAll(/(`+)([\s\S]*?)\1/g)) out.push({ line: m[2].replace(/\s*\n\s*/g, " "), at: joined.slice(0, m.index).split("\n").length });
    for (const b of blocks) {
        // A shell line continued with a trailing backslash is one command.
        let start = 0;
        let acc = "";
        b.body.split("\n").forEach((l, i) => {
            if (!acc) start = i;
            acc += (acc ? " " : "") + l.replace(/\\$/, "").trim();
            if (!l.endsWith("\\")) {
                out.push({ line: acc, at: b.line + 1 + start });
                acc = "";
            }
        });
        if (acc) out.push({ line: acc, at: b.line + 1 + start });
    }
    return out;
}
