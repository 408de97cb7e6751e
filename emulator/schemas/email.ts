import { isIP } from "node:net";
import { domainToASCII } from "node:url";

/**
 * Django 2.2's `EmailValidator` (django/core/validators.py), which Fleio's client
 * `email` (a model EmailField, so DRF's EmailField) runs; fleio-api.md, "Versions and the
 * reseller feature": it accepts the domain `localhost` and IDN domains. Its steps, in
 * order: split at the last "@"; the user part is a dot-atom or a quoted string; the
 * domain is whitelisted (`localhost`), a dotted name whose last label has 2+ characters,
 * or an [IP literal]; failing that, the domain's IDNA (punycode) form is tried once.
 * Python compiles the patterns with re.IGNORECASE over str (Unicode case folding): `iu`.
 */
const DJANGO_USER_PART = [
    /^[-!#$%&'*+/=?^_`{}|~0-9A-Z]+(\.[-!#$%&'*+/=?^_`{}|~0-9A-Z]+)*$/iu,
    // eslint-disable-next-line no-control-regex
    /^"([\x01-\x08\x0b\x0c\x0e-\x1f!#-[\]-\x7f]|\\[\x01-\x09\x0b\x0c\x0e-\x7f])*"$/iu,
];
const DJANGO_DOMAIN_PART = /^((?:[A-Z0-9](?:[A-Z0-9-]{0,61}[A-Z0-9])?\.)+)(?:[A-Z0-9-]{2,63}(?<!-))$/iu;
const DJANGO_LITERAL = /^\[([A-f0-9:.]+)\]$/iu;
const DJANGO_DOMAIN_WHITELIST = ["localhost"];

/** EmailValidator.validate_domain_part: a dotted name, or an IPv4/IPv6 literal in brackets. */
function domainPartValid(domain: string): boolean {
    if (DJANGO_DOMAIN_PART.test(domain)) return true;
    const literal = DJANGO_LITERAL.exec(domain);
    return literal !== null && isIP(literal[1]) !== 0;
}

/** Whether Django 2.2 (so Fleio) accepts `value` as an e-mail address. */
export function djangoAcceptsEmail(value: string): boolean {
    if (!value || !value.includes("@")) return false;
    const at = value.lastIndexOf("@");
    const user = value.slice(0, at);
    const domain = value.slice(at + 1);
    if (!DJANGO_USER_PART.some((re) => re.test(user))) return false;
    if (DJANGO_DOMAIN_WHITELIST.includes(domain) || domainPartValid(domain)) return true;
    // Django: domain_part.encode('idna'); an encoding error leaves the address refused.
    const idna = domainToASCII(domain);
    return idna !== "" && idna !== domain && domainPartValid(idna);
}
