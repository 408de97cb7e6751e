import * as fs from "node:fs";
import * as path from "node:path";
import { isDeepStrictEqual } from "node:util";
import { parse, stringify } from "yaml";
import { FleioClient } from "../provider/client/http";
import { settingsFromFlags } from "../provider/flag-settings";
import { CATALOG_DIR, DATA_FILE, resellerName } from "../sdk/gitops/load";
import { discoveredFiles, LeftOut, STAFF_PLANS, StaffPlans } from "./files";
import { importFile } from "./import-file";
import { Progress, readFleio } from "./read";

export { discoveredFiles, LeftOut, STAFF_PLANS, StaffPlans, DiscoverChoices, resellerLabel } from "./files";
export { readFleio, FleioSnapshot, NoResellerFeatureError } from "./read";
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
    /** Staff plans that price no reseller, described in the catalog too: none (default), the staff default plan, or all. */
    staffPlans?: StaffPlans;
}

/** What happened to one kind of file (reseller files, or catalog plan files under plans/). */
export interface FilesOutcome {
    /** Files written (new or changed), by name. */
    written: string[];
    /** Files already in the folder with exactly what was found. */
    unchanged: string[];
    /** Of `written`: files that were in the folder with something else. */
    changed: string[];
    /** Files in the folder whose object discover did not find (kept, not deleted). */
    notFound: string[];
}

export interface DiscoverReport extends FilesOutcome {
    /** The plan catalog (plans/<key>.yaml). */
    catalog: FilesOutcome;
    leftOut: LeftOut[];
    /** Bytes of discover-report.md. */
    reportBytes: number;
    /** The import file written, with how many resources it names (with `importFile` only). */
    importFile?: { path: string; resources: number };
    requests: number;
    seconds: number;
}

/** Bad options or settings: the CLI answers these with exit code 2. */
export class DiscoverUsageError extends Error {}

const HEADER = (site: string) => `# Written by pulumi-fleio discover from ${site}; every adopt id names the Fleio object it describes.\n`;

/**
 * Reads a live Fleio (GET requests only) and writes one data file per reseller into
 * `outDir`, and the plans several resellers share (or the staff plans asked for) into
 * `outDir/plans/`, each object with the adopt id of the object it describes; what the
 * format cannot hold goes to discover-report.md with why. A file already in the folder
 * is kept byte for byte when it says the same (so a rerun over a managed Fleio changes
 * no file), and a client or plan keeps the file name it had. Nothing is written before
 * Fleio has been read whole: a Fleio without the reseller feature gets no file.
 */
export async function discover(o: DiscoverOptions): Promise<DiscoverReport> {
    const started = Date.now();
    const settings = settingsFromFlags(o, o.env ?? process.env, (m) => new DiscoverUsageError(m));
    if (settings.apiScope !== "staff") throw new DiscoverUsageError("discover reads every reseller: it needs a staff token (--api-scope staff)");
    if (o.staffPlans !== undefined && !STAFF_PLANS.includes(o.staffPlans)) throw new DiscoverUsageError(`--staff-plans must be one of ${STAFF_PLANS.join(", ")}`);
    const api = new FleioClient(settings);
    const catalogDir = path.join(o.outDir, CATALOG_DIR);

    const existing = existingFiles(o.outDir);
    const existingCatalog = existingFiles(catalogDir);
    // A client (a plan) keeps the name an earlier discover (or a person) gave its file.
    const adoptIds = (m: Map<string, Existing>, id: (data: any) => unknown) => new Map([...m].flatMap(([name, e]) => (id(e.data) === undefined ? [] : [[String(id(e.data)), name] as [string, string]])));
    const names = adoptIds(existing, (d) => d?.client?.adopt);
    const catalogKeys = adoptIds(existingCatalog, (d) => d?.adopt);

    const snapshot = await readFleio(api, o.onProgress);
    const { files, catalog, leftOut } = discoveredFiles(snapshot, { staffPlans: o.staffPlans, names, catalogKeys });
    fs.mkdirSync(o.outDir, { recursive: true });
    const resellersOutcome = writeFiles(o.outDir, files, existing, HEADER(settings.siteUrl));
    if (catalog.size) fs.mkdirSync(catalogDir, { recursive: true });
    const catalogOutcome = writeFiles(catalogDir, catalog, existingCatalog, HEADER(settings.siteUrl));
    const report: DiscoverReport = { ...resellersOutcome, catalog: catalogOutcome, leftOut, reportBytes: 0, requests: 0, seconds: 0 };
    const reportText = formatReportFile(settings.siteUrl, report);
    writeIfChanged(path.join(o.outDir, REPORT_FILE), reportText);
    report.reportBytes = Buffer.byteLength(reportText);
    if (o.importFile) {
        const content = importFile(files, catalog);
        fs.mkdirSync(path.dirname(o.importFile), { recursive: true });
        writeIfChanged(o.importFile, `${JSON.stringify(content, null, 2)}\n`);
        report.importFile = { path: o.importFile, resources: content.resources.length };
    }
    report.requests = api.requestCount;
    report.seconds = (Date.now() - started) / 1000;
    return report;
}

interface Existing {
    file: string;
    data: unknown;
}

/** The data files already in a folder, by name (an unreadable one counts as saying something else). */
function existingFiles(dir: string): Map<string, Existing> {
    const out = new Map<string, Existing>();
    if (!fs.existsSync(dir)) return out;
    for (const file of fs.readdirSync(dir).filter((f) => DATA_FILE.test(f))) {
        let data: unknown;
        try {
            data = parse(fs.readFileSync(path.join(dir, file), "utf8"));
        } catch {
            data = undefined;
        }
        out.set(resellerName(file), { file, data });
    }
    return out;
}

function writeFiles(dir: string, content: ReadonlyMap<string, unknown>, existing: ReadonlyMap<string, Existing>, header: string): FilesOutcome {
    const out: FilesOutcome = { written: [], unchanged: [], changed: [], notFound: [] };
    for (const [name, data] of content) {
        const before = existing.get(name);
        if (before && isDeepStrictEqual(normalised(before.data), normalised(data))) {
            out.unchanged.push(name);
            continue;
        }
        if (before) {
            out.changed.push(name);
            if (before.file !== `${name}.yaml`) fs.rmSync(path.join(dir, before.file));
        }
        fs.writeFileSync(path.join(dir, `${name}.yaml`), `${header}${stringify(data)}`);
        out.written.push(name);
    }
    out.notFound = [...existing.keys()].filter((n) => !content.has(n)).sort();
    return out;
}

function writeIfChanged(file: string, text: string): void {
    if (fs.existsSync(file) && fs.readFileSync(file, "utf8") === text) return;
    fs.writeFileSync(file, text);
}

/** Two files say the same when they parse to the same data (comments, key order and quoting aside). */
function normalised(v: unknown): unknown {
    return JSON.parse(JSON.stringify(v ?? null));
}

function formatReportFile(site: string, r: DiscoverReport): string {
    const lines = [
        `# What pulumi-fleio discover left out`,
        "",
        `From ${site}. These objects are in Fleio but in no data file of this folder: the data format cannot describe them as they are, or they are outside every reseller, and a file that described them otherwise would change them at the next up. They stay as they are, unmanaged. Each is listed once.`,
        "",
    ];
    if (!r.leftOut.length) lines.push("Nothing: every object found is in a data file.");
    for (const l of r.leftOut) lines.push(`- **${l.object}**: ${l.why}`);
    if (r.notFound.length) lines.push("", `Files in this folder whose reseller was not found in Fleio (kept): ${r.notFound.join(", ")}`);
    if (r.catalog.notFound.length) lines.push("", `Catalog files whose plan was not found in Fleio (kept): ${r.catalog.notFound.map((k) => `${CATALOG_DIR}/${k}`).join(", ")}`);
    return `${lines.join("\n")}\n`;
}

/** The summary lines the CLI prints. */
export function formatDiscoverReport(r: DiscoverReport, outDir: string): string {
    const c = r.catalog;
    return [
        `discover: ${r.written.length + r.unchanged.length} resellers in ${outDir}: ${r.written.length - r.changed.length} new, ${r.changed.length} changed, ${r.unchanged.length} unchanged`,
        `  catalog: ${c.written.length + c.unchanged.length} plans in ${path.join(outDir, CATALOG_DIR)}: ${c.written.length - c.changed.length} new, ${c.changed.length} changed, ${c.unchanged.length} unchanged`,
        `  left out: ${r.leftOut.length} (see ${path.join(outDir, REPORT_FILE)}, ${r.reportBytes} bytes)`,
        ...(r.notFound.length ? [`  files whose reseller was not found: ${r.notFound.join(", ")}`] : []),
        ...(c.notFound.length ? [`  catalog files whose plan was not found: ${c.notFound.join(", ")}`] : []),
        ...(r.importFile ? [`  import file for \`pulumi import --file\` (native plugin): ${r.importFile.path}, ${r.importFile.resources} resources`] : []),
        `  ${r.requests} requests (GET only), ${r.seconds.toFixed(1)} s`,
    ].join("\n");
}
