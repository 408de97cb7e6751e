import { AsyncLocalStorage } from "node:async_hooks";

/**
 * How a check() failure may show what the user wrote. A failure reaches the console
 * and CI logs, so a value is shown only when it is short and not secret: a secret is
 * never printed, and a long value is cut to a prefix and its length, so a 100 KB
 * value cannot become a 100 KB message.
 *
 * Secrets: @pulumi/pulumi 3.248's dynamic provider host answers Configure with
 * acceptSecrets=false (cmd/dynamic-provider/index.js), so the engine strips the
 * secret marker before Check (provider_plugin.go marshals with KeepSecrets false)
 * and a secret arrives as a plain value that cannot be told apart. That is why only
 * code-like fields (currency, country, units, ids, decimals) ever echo a value, and
 * free text (names, e-mail, phone, VAT id) never does. Where a value does arrive
 * wrapped as a secret (another host, a direct caller), its leaves are registered
 * here for the duration of the check and shown as "(secret value not shown)".
 */

/** Longest prefix (in characters) a message repeats. */
export const ECHO_PREFIX = 32;
export const SECRET_NOT_SHOWN = "(secret value not shown)";

const secretScope = new AsyncLocalStorage<ReadonlySet<string>>();

/** Runs `fn` with these values treated as secret by shown(). */
export function withSecrets<T>(values: Iterable<unknown>, fn: () => T): T {
    const set = new Set<string>();
    for (const v of values) {
        if (v === null || v === undefined || typeof v === "object") continue;
        const s = String(v);
        // check() may echo a normalised form (trimmed, upper-cased) of what was sent.
        for (const form of [s, s.trim(), s.trim().toUpperCase(), s.trim().toLowerCase()]) if (form) set.add(form);
    }
    return set.size ? secretScope.run(set, fn) : fn();
}

function isSecret(text: string): boolean {
    const set = secretScope.getStore();
    if (!set) return false;
    if (set.has(text) || set.has(text.trim())) return true;
    for (const s of set) if (s.length >= 4 && text.includes(s)) return true;
    return false;
}

/** Text cut to `max` characters (code points), with its length when it was cut. */
export function cut(text: string, max = ECHO_PREFIX): string {
    const chars = Array.from(text);
    return chars.length <= max ? text : `${chars.slice(0, max).join("")}… (${chars.length} characters)`;
}

/** A value as a failure may show it: quoted, bounded, and never a secret. */
export function shown(value: unknown): string {
    if (value === undefined) return "nothing";
    if (value === null) return "null";
    if (typeof value === "object") return Array.isArray(value) ? "a list" : "an object";
    const text = String(value);
    if (isSecret(text)) return SECRET_NOT_SHOWN;
    if (typeof value !== "string") return cut(text);
    const chars = Array.from(text);
    // JSON quoting makes control characters visible (\u0000) instead of printing them.
    return chars.length <= ECHO_PREFIX ? JSON.stringify(text) : `${JSON.stringify(chars.slice(0, ECHO_PREFIX).join(""))}… (${chars.length} characters)`;
}

/** " (got …)" for a message's end. */
export const got = (value: unknown) => ` (got ${shown(value)})`;
