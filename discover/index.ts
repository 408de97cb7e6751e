import * as fs from "node:fs";
import * as path from "node:path";
import { isDeepStrictEqual } from "node:util";
import { parse, stringify } from "yaml";
import { FleioClient } from "../provider/client/http";
import { settingsFromFlags } from "../provider/flag-settings";
import { DATA_FILE, resellerName } from "../sdk/gitops/load";
import { discoveredFiles, LeftOut } from "./files";
import { importFile } from "./import-file";
import { Progress, readFleio } from "./read";

export { discoveredFiles, LeftOut } from "./files";
export { readFleio, FleioSnapshot } from "./read";
export { importFile, ImportFile, ImportEntry } from "./import-file";

/** The report discover leaves beside the data files (not a data file: the loader reads YAML and JSON only). */
export const REPORT_FILE = "discover-report.md";

export interface DiscoverOptions {
    /** Folder for the data files; made when missing. */
    outDir: string;
    /** Default FLEIO_URL. The token is FLEIO_TOKEN, never an option. */
    url?: string;
    apiScope?: "staff" | "reseller";
    insecureSkipVerify?: boolean;
    env?: NodeJS.ProcessEnv;
    onProgress?: Progress;
    /** Also write Pulumi's bulk import file (`pulumi import --file`) for every object of the data files, here. */
    importFile?: string;
}

export interface DiscoverReport {
    /** Data files written (new or changed), by reseller name. */
    written: string[];
    /** Files already in the folder with exactly what was found. */
    unchanged: string[];
    /** Of `written`: files that were in the folder with something else. */
    changed: string[];
    /** Files in the folder whose reseller discover did not find (kept, not deleted). */
    notFound: string[];
    leftOut: LeftOut[];
    /** The import file written, with how many resources it names (with `importFile` only). */
    importFile?: { path: string; resources: number };
    requests: number;
    seconds: number;
}

/** Bad options or settings: the CLI answers these with exit code 2. */
export class DiscoverUsageError extends Error {}

/**
 * Reads a live Fleio (GET requests only) and writes one data file per reseller into
 * `outDir`, each object with the adopt id of the object it describes; what the format
 * cannot hold goes to discover-report.md with why. A file already in the folder is kept
 * byte for byte when it says the same (so a rerun over a managed Fleio shows no change),
 * and a client keeps the file name it had.
 */
export async function discover(o: DiscoverOptions): Promise<DiscoverReport> {
    const started = Date.now();
    const settings = settingsFromFlags(o, o.env ?? process.env, (m) => new DiscoverUsageError(m));
    if (settings.apiScope !== "staff") throw new DiscoverUsageError("discover reads every reseller: it needs a staff token (--api-scope staff)");
    const api = new FleioClient(settings);

    fs.mkdirSync(o.outDir, { recursive: true });
    const existing = new Map<string, { file: string; text: string; data: unknown }>();
    for (const file of fs.readdirSync(o.outDir).filter((f) => DATA_FILE.test(f))) {
        const text = fs.readFileSync(path.join(o.outDir, file), "utf8");
        let data: unknown;
        try {
            data = parse(text);
        } catch {
            data = undefined;
        }
        existing.set(resellerName(file), { file, text, data });
    }
    // A client keeps the name an earlier discover (or a person) gave its file.
    const names = new Map<string, string>();
    for (const [name, e] of existing) {
        const adopt = (e.data as { client?: { adopt?: unknown } } | undefined)?.client?.adopt;
        if (adopt !== undefined) names.set(String(adopt), name);
    }

    const snapshot = await readFleio(api, o.onProgress);
    const { files, leftOut } = discoveredFiles(snapshot, names);
    const report: DiscoverReport = { written: [], unchanged: [], changed: [], notFound: [], leftOut, requests: 0, seconds: 0 };
    for (const [name, content] of files) {
        const before = existing.get(name);
        if (before && isDeepStrictEqual(normalised(before.data), normalised(content))) {
            report.unchanged.push(name);
            continue;
        }
        if (before) {
            report.changed.push(name);
            if (before.file !== `${name}.yaml`) fs.rmSync(path.join(o.outDir, before.file));
        }
        fs.writeFileSync(path.join(o.outDir, `${name}.yaml`), `# Written by pulumi-fleio discover from ${settings.siteUrl}; every adopt id names the Fleio object it describes.\n${stringify(content)}`);
        report.written.push(name);
    }
    report.notFound = [...existing.keys()].filter((n) => !files.has(n)).sort();
    fs.writeFileSync(path.join(o.outDir, REPORT_FILE), formatReportFile(settings.siteUrl, report));
    if (o.importFile) {
        const content = importFile(files);
        fs.mkdirSync(path.dirname(o.importFile), { recursive: true });
        fs.writeFileSync(o.importFile, `${JSON.stringify(content, null, 2)}\n`);
        report.importFile = { path: o.importFile, resources: content.resources.length };
    }
    report.requests = api.requestCount;
    report.seconds = (Date.now() - started) / 1000;
    return report;
}

/** Two files say the same when they parse to the same data (comments, key order and quoting aside). */
function normalised(v: unknown): unknown {
    return JSON.parse(JSON.stringify(v ?? null));
}

function formatReportFile(site: string, r: DiscoverReport): string {
    const lines = [
        `# What pulumi-fleio discover left out`,
        "",
        `From ${site}. These objects are in Fleio but in no data file of this folder: the data format cannot describe them as they are, and a file that described them otherwise would change them at the next up. They stay as they are, unmanaged.`,
        "",
    ];
    if (!r.leftOut.length) lines.push("Nothing: every object found is in a data file.");
    for (const l of r.leftOut) lines.push(`- **${l.object}**: ${l.why}`);
    if (r.notFound.length) lines.push("", `Files in this folder whose reseller was not found in Fleio (kept): ${r.notFound.join(", ")}`);
    return `${lines.join("\n")}\n`;
}

/** The summary lines the CLI prints. */
export function formatDiscoverReport(r: DiscoverReport, outDir: string): string {
    return [
        `discover: ${r.written.length + r.unchanged.length} resellers in ${outDir}: ${r.written.length - r.changed.length} new, ${r.changed.length} changed, ${r.unchanged.length} unchanged`,
        `  left out: ${r.leftOut.length} (see ${path.join(outDir, REPORT_FILE)})`,
        ...(r.notFound.length ? [`  files whose reseller was not found: ${r.notFound.join(", ")}`] : []),
        ...(r.importFile ? [`  import file for \`pulumi import --file\` (native plugin): ${r.importFile.path}, ${r.importFile.resources} resources`] : []),
        `  ${r.requests} requests (GET only), ${r.seconds.toFixed(1)} s`,
    ].join("\n");
}
