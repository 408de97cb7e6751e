import * as fs from "node:fs";
import * as path from "node:path";
import { parse } from "yaml";
import type { z } from "zod";
import { catalogPlanFile, CatalogPlanFile, resellerFile, ResellerFile } from "./format";

/** The file names the loader reads: YAML or JSON, one reseller each. */
export const DATA_FILE = /\.(ya?ml|json)$/;

/** A reseller's name: its file's name without extension. */
export const resellerName = (file: string) => file.replace(DATA_FILE, "");

/** The catalog's folder inside a data folder (format version 2): one file per plan. */
export const CATALOG_DIR = "plans";

/** Parses one data file's text; a bad file fails naming the file and every bad field. */
export function parseResellerFile(file: string, text: string): ResellerFile {
    return parseWith(resellerFile, file, text);
}

/** Parses one catalog plan file's text (`plans/<key>.yaml`); a bad file fails naming the file and every bad field. */
export function parseCatalogPlanFile(file: string, text: string): CatalogPlanFile {
    return parseWith(catalogPlanFile, file, text);
}

function parseWith<S extends z.ZodType>(schema: S, file: string, text: string): z.infer<S> {
    let raw: unknown;
    try {
        // YAML is a superset of JSON: one parser reads both.
        raw = parse(text);
    } catch (e) {
        throw new Error(`${file}: not valid ${file.endsWith(".json") ? "JSON" : "YAML"}: ${(e as Error).message.split("\n")[0]}`);
    }
    const parsed = schema.safeParse(raw);
    if (!parsed.success) {
        const why = parsed.error.issues.map((i) => `${i.path.join(".") || "(file)"}: ${i.message}`).join("; ");
        throw new Error(`${file}: ${why}`);
    }
    return parsed.data;
}

/** A data folder: its resellers and its plan catalog (empty for a version 1 folder), by name. */
export interface GitopsData {
    resellers: Map<string, ResellerFile>;
    catalog: Map<string, CatalogPlanFile>;
}

/**
 * Every `*.yaml`, `*.yml` and `*.json` in a folder, keyed by reseller name (file name
 * without extension), and every catalog plan in its `plans/` folder, keyed by the file
 * name. Two files for one name (acme.yaml and acme.json) are refused; so is a reseller
 * file naming a catalog plan that has no file, naming every reseller file that does.
 */
export function loadGitopsData(dir: string): GitopsData {
    if (!fs.existsSync(dir) || !fs.statSync(dir).isDirectory()) throw new Error(`${dir}: no such folder of reseller files`);
    const resellerFiles = new Map<string, string>();
    const resellers = readFolder(dir, "", resellerFiles, "reseller", parseResellerFile);
    const catalogDir = path.join(dir, CATALOG_DIR);
    const catalogFiles = new Map<string, string>();
    const catalog = fs.existsSync(catalogDir) ? readFolder(catalogDir, `${CATALOG_DIR}/`, catalogFiles, "catalog plan", parseCatalogPlanFile) : new Map<string, CatalogPlanFile>();
    for (const [key, file] of catalogFiles) {
        if (!/^[a-z0-9][a-z0-9-]{0,62}$/.test(key)) throw new Error(`${file}: a catalog plan's file name is its key, which names Pulumi resources: use lower-case letters, digits and dashes (e.g. ${CATALOG_DIR}/gold.yaml)`);
    }
    const missing = new Map<string, string[]>();
    for (const [name, r] of resellers) {
        const key = r.plan?.catalog;
        if (key !== undefined && !catalog.has(key)) missing.set(key, [...(missing.get(key) ?? []), resellerFiles.get(name)!]);
    }
    if (missing.size) {
        const lines = [...missing].map(([key, files]) => `the catalog plan "${key}" (${CATALOG_DIR}/${key}.yaml) has no file, but ${files.join(", ")} name${files.length === 1 ? "s" : ""} it`);
        throw new Error(`${lines.join("; ")}; add the catalog file, or give those resellers another plan`);
    }
    return { resellers, catalog };
}

/** The resellers of a data folder (checked against its catalog: see loadGitopsData). */
export function loadResellers(dir: string): Map<string, ResellerFile> {
    return loadGitopsData(dir).resellers;
}

function readFolder<T>(dir: string, prefix: string, from: Map<string, string>, what: string, parse: (file: string, text: string) => T): Map<string, T> {
    const out = new Map<string, T>();
    for (const file of fs.readdirSync(dir).filter((f) => DATA_FILE.test(f)).sort()) {
        const name = resellerName(file);
        if (from.has(name)) throw new Error(`${from.get(name)} and ${prefix}${file} both describe ${what} "${name}"; keep one of them`);
        from.set(name, `${prefix}${file}`);
        out.set(name, parse(`${prefix}${file}`, fs.readFileSync(path.join(dir, file), "utf8")));
    }
    return out;
}
