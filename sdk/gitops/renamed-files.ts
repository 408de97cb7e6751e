import { parse } from "yaml";
import { domainKey } from "../../provider/validation/fields";
import type { ResellerFile } from "./format";

/**
 * Which name a data file's resources keep in a rendered YAML program. A file's name
 * names its resources (`acme.yaml` → `acme-client`, …); renaming the file would rename
 * every resource, which the engine runs as creates of the new names and deletes of the
 * old ones. The fleet moves state for that; a YAML program has no such step, so the
 * render keeps the old names instead: a file whose reseller the previously rendered
 * program declared under another name, found by its unique keys (the client's
 * externalBillingId, else its panel domain), keeps that name as long as no file of that
 * name exists. The previous program carries the names on, so rendering again is stable.
 */
export function keptNames(resellers: ReadonlyMap<string, ResellerFile>, previous: string | undefined): Map<string, string> {
    const kept = new Map<string, string>();
    if (!previous) return kept;
    let program: { resources?: Record<string, { type?: string; properties?: Record<string, unknown> }> };
    try {
        program = parse(previous) ?? {};
    } catch {
        // Not a program this renders (hand-edited, or another file): nothing to keep.
        return kept;
    }
    const resources = program.resources ?? {};
    // The render escapes `${` in data as `$${`: compare the data as written.
    const text = (v: unknown) => (typeof v === "string" ? v.replace(/\$\$\{/g, "${") : undefined);
    const byKey = new Map<string, string>();
    const prefixes = new Set<string>();
    for (const [name, r] of Object.entries(resources)) {
        if (r?.type === "fleio:index:Reseller" && name.endsWith("-client")) {
            const prefix = name.slice(0, -"-client".length);
            prefixes.add(prefix);
            const ext = text(r.properties?.externalBillingId)?.trim();
            if (ext) byKey.set(`ext:${ext}`, prefix);
        }
        if (r?.type === "fleio:index:FrontendDomain" && name.endsWith("-domain")) {
            const domain = text(r.properties?.domain);
            if (domain) byKey.set(`domain:${domainKey(domain)}`, name.slice(0, -"-domain".length));
        }
    }
    const taken = new Set(resellers.keys());
    for (const [name, file] of [...resellers].sort(([a], [b]) => (a < b ? -1 : 1))) {
        // A file whose name the previous program used keeps its own name.
        if (prefixes.has(name)) continue;
        const ext = file.client.externalBillingId?.trim();
        const prefix = (ext && byKey.get(`ext:${ext}`)) || (file.domain !== undefined ? byKey.get(`domain:${domainKey(file.domain)}`) : undefined);
        if (!prefix || taken.has(prefix)) continue;
        kept.set(name, prefix);
        taken.add(prefix);
    }
    return kept;
}
