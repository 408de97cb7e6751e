import { isIP } from "node:net";
import { domainToASCII } from "node:url";

/**
 * Django 2.2's EmailValidator (django/core/validators.py), which Fleio's Client.email
 * (EmailField, max_length 127) runs: the part before the last "@" is an ASCII
 * dot-atom or a quoted string; the domain is a dotted name, "localhost", or an
 * [IP literal], and an internationalised domain (IDN) passes when its punycode form
 * does. A Unicode local part is refused by Django, so it is refused here too.
 * Python compiles these patterns with IGNORECASE over str, which also folds Unicode
 * case ("K" KELVIN SIGN matches k); the `iu` flags do the same.
 */
const USER_DOT_ATOM = /^[-!#$%&'*+/=?^_`{}|~0-9A-Z]+(\.[-!#$%&'*+/=?^_`{}|~0-9A-Z]+)*$/iu;
// eslint-disable-next-line no-control-regex
const USER_QUOTED = /^"([\u0001-\u0008\u000b\u000c\u000e-\u001f!#-[\]-\u007f]|\\[\u0001-\u0009\u000b\u000c\u000e-\u007f])*"$/iu;
const DOMAIN = /^((?:[A-Z0-9](?:[A-Z0-9-]{0,61}[A-Z0-9])?\.)+)(?:[A-Z0-9-]{2,63}(?<!-))$/iu;
const LITERAL = /^\[([A-f0-9:.]+)\]$/iu;
const DOMAIN_WHITELIST = new Set(["localhost"]);

function validDomain(domain: string): boolean {
    if (DOMAIN.test(domain)) return true;
    const literal = LITERAL.exec(domain);
    return literal !== null && isIP(literal[1]) !== 0;
}

/** Why Fleio would refuse this address, or undefined when it accepts it. */
export function emailProblem(value: string): string | undefined {
    const at = value.lastIndexOf("@");
    if (!value || at < 0) return 'must be an e-mail address such as "billing@example.com"';
    const user = value.slice(0, at);
    const domain = value.slice(at + 1);
    if (!USER_DOT_ATOM.test(user) && !USER_QUOTED.test(user)) {
        return /[^\u0000-\u007f]/.test(user)
            ? "must have only ASCII characters before the @: Fleio's e-mail check (Django 2.2) refuses others; the domain may be internationalised"
            : "has an invalid part before the @: use letters, digits and !#$%&'*+/=?^_`{|}~- separated by single dots";
    }
    if (DOMAIN_WHITELIST.has(domain) || validDomain(domain)) return undefined;
    // Django tries the IDNA (punycode) form of a domain the plain pattern refuses.
    const ascii = /[^\u0000-\u007f]/.test(domain) ? domainToASCII(domain) : "";
    if (ascii && validDomain(ascii)) return undefined;
    return 'has an invalid domain after the @: give a domain such as "example.com" (internationalised names such as "bücher.example" are fine)';
}
