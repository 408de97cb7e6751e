import * as fs from "node:fs";
import * as path from "node:path";
import { parse } from "yaml";
import { resellerFile, ResellerFile } from "./format";

/** The file names the loader reads: YAML or JSON, one reseller each. */
export const DATA_FILE = /\.(ya?ml|json)$/;

/** A reseller's name: its file's name without extension. */
export const resellerName = (file: string) => file.replace(DATA_FILE, "");

/** Parses one data file's text; a bad file fails naming the file and every bad field. */
export function parseResellerFile(file: string, text: string): ResellerFile {
    let raw: unknown;
    try {
        // YAML is a superset of JSON: one parser reads both.
        raw = parse(text);
    } catch (e) {
        throw new Error(`${file}: not valid ${file.endsWith(".json") ? "JSON" : "YAML"}: ${(e as Error).message.split("\n")[0]}`);
    }
    const parsed = resellerFile.safeParse(raw);
    if (!parsed.success) {
        const why = parsed.error.issues.map((i) => `${i.path.join(".") || "(file)"}: ${i.message}`).join("; ");
        throw new Error(`${file}: ${why}`);
    }
    return parsed.data;
}

/**
 * Every `*.yaml`, `*.yml` and `*.json` in a folder, keyed by reseller name (file name
 * without extension). Two files for one name (acme.yaml and acme.json) are refused.
 */
export function loadResellers(dir: string): Map<string, ResellerFile> {
    if (!fs.existsSync(dir) || !fs.statSync(dir).isDirectory()) throw new Error(`${dir}: no such folder of reseller files`);
    const out = new Map<string, ResellerFile>();
    const from = new Map<string, string>();
    for (const file of fs.readdirSync(dir).filter((f) => DATA_FILE.test(f)).sort()) {
        const name = resellerName(file);
        if (from.has(name)) throw new Error(`${from.get(name)} and ${file} both describe reseller "${name}"; keep one of them`);
        from.set(name, file);
        out.set(name, parseResellerFile(file, fs.readFileSync(path.join(dir, file), "utf8")));
    }
    return out;
}
