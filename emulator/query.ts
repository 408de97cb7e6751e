/**
 * Query strings read the way Django's QueryDict reads them: `+` is a space (so a
 * literal plus must be sent as %2B, as axios and PHP's http_build_query do) and a
 * repeated key yields its last value.
 */
export class Query {
    readonly params: URLSearchParams;

    constructor(search: string) {
        this.params = new URLSearchParams(search.startsWith("?") ? search.slice(1) : search);
    }

    static fromUrl(rawUrl: string): Query {
        const i = rawUrl.indexOf("?");
        return new Query(i < 0 ? "" : rawUrl.slice(i + 1));
    }

    get(key: string): string | undefined {
        const all = this.params.getAll(key);
        return all.length ? all[all.length - 1] : undefined;
    }

    has(key: string): boolean {
        return this.params.has(key);
    }

    /** Plain object for the request log (last value wins). */
    toObject(): Record<string, string> {
        const out: Record<string, string> = {};
        for (const k of new Set(this.params.keys())) out[k] = this.get(k) ?? "";
        return out;
    }
}
