/**
 * Secrets that must never leave the process: every error message, log line and
 * debug dump the client produces passes through `redact`. Tokens are registered
 * when a client is built, so a token that arrives through config or env is covered.
 */
const secrets = new Set<string>();

export function registerSecret(value: string | undefined): void {
    // Short values would redact ordinary words; Fleio tokens are 40 hex characters.
    if (value && value.length >= 8) secrets.add(value);
}

export function redact(text: string): string {
    let out = text;
    for (const s of secrets) out = out.split(s).join("[REDACTED]");
    // A token that was never registered (e.g. a malformed one echoed back) still
    // never leaves in an Authorization header.
    return out.replace(/(Token|Bearer)\s+[A-Za-z0-9._-]{8,}/gi, "$1 [REDACTED]");
}
