import * as fs from "node:fs";
import * as path from "node:path";
import { parse } from "yaml";

/**
 * Which provider serves a fleet's resources: the dynamic provider or the native plugin
 * (bin/pulumi-resource-fleio). It comes from the run's flag or from the data folder's
 * `.fleio-fleet` file (`provider: native`), both the same on every runner, and is set on
 * every stack at every run: a work folder's leftovers (a `fleio:native` set by hand in a
 * Pulumi.<stack>.yaml) never decide it. The native types carry aliases from the dynamic
 * ones (sdk/provider-handle.ts), so switching changes nothing in Fleio.
 */
export type FleetProvider = "dynamic" | "native";

/** The data folder's settings file: not a reseller file (the loader reads *.yaml, *.yml, *.json). */
export const SETTINGS_FILE = ".fleio-fleet";

export function chooseProvider(dataDir: string, flag: FleetProvider | undefined): FleetProvider {
    const file = path.join(dataDir, SETTINGS_FILE);
    let fromData: FleetProvider | undefined;
    if (fs.existsSync(file)) {
        let doc: unknown;
        try {
            doc = parse(fs.readFileSync(file, "utf8"));
        } catch (e) {
            throw new Error(`${file}: not valid YAML: ${(e as Error).message.split("\n")[0]}`);
        }
        const p = (doc as { provider?: unknown } | null)?.provider;
        const keys = doc && typeof doc === "object" ? Object.keys(doc).filter((k) => k !== "provider") : [];
        if (keys.length) throw new Error(`${file}: unknown setting ${keys.join(", ")}; it holds only \`provider: dynamic\` or \`provider: native\``);
        if (p !== undefined && p !== "dynamic" && p !== "native") throw new Error(`${file}: provider must be "dynamic" or "native" (got ${JSON.stringify(p)})`);
        fromData = p as FleetProvider | undefined;
    }
    if (flag && fromData && flag !== fromData)
        throw new Error(`--provider ${flag} disagrees with ${file} (provider: ${fromData}): runners would take turns switching the stacks; keep one`);
    return flag ?? fromData ?? "dynamic";
}

/** The native plugin's folder in this package (dist/fleet → bin). */
export const nativePluginDir = () => path.resolve(__dirname, "..", "..", "bin");

/** The project's plugin settings for a provider. */
export function projectPlugins(provider: FleetProvider): { plugins?: { providers: { name: string; path: string }[] } } {
    return provider === "native" ? { plugins: { providers: [{ name: "fleio", path: nativePluginDir() }] } } : {};
}
