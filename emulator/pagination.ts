import { notFound } from "./errors";
import { Query } from "./query";

/**
 * Fleio's FleioPaginationSerializer: DRF's PageNumberPagination with `results`
 * renamed to `objects`, plus `totalCount` and `pageNo`.
 */
export interface Page<T> {
    count: number;
    next: string | null;
    previous: string | null;
    objects: T[];
    totalCount: number;
    /** the `page` parameter as the client sent it (a string), or 1 when absent */
    pageNo: number | string;
}

export const DEFAULT_PAGE_SIZE = 20;
export const MAX_PAGE_SIZE = 10000;

const INTEGER = /^\s*[+-]?\d+\s*$/;

/** DRF's `_positive_int(strict=True, cutoff=max)`: anything else falls back to the default. */
export function pageSize(query: Query): number {
    const raw = query.get("page_size");
    if (raw === undefined || !INTEGER.test(raw)) return DEFAULT_PAGE_SIZE;
    const n = parseInt(raw, 10);
    if (n <= 0) return DEFAULT_PAGE_SIZE;
    return Math.min(n, MAX_PAGE_SIZE);
}

/**
 * @param currentUrl the absolute URL of this request, as DRF's build_absolute_uri gives it;
 *                   `next`/`previous` are built from it.
 */
export function paginate<T>(items: T[], query: Query, currentUrl: string): Page<T> {
    const size = pageSize(query);
    const numPages = Math.max(1, Math.ceil(items.length / size));
    const raw = query.get("page");
    let pageNo: number | string = 1;
    let number = 1;
    if (raw === "last") {
        number = numPages;
        pageNo = numPages;
    } else if (raw !== undefined) {
        if (!INTEGER.test(raw)) throw notFound("Invalid page.");
        number = parseInt(raw, 10);
        pageNo = raw;
        if (number < 1 || number > numPages) throw notFound("Invalid page.");
    }
    const objects = items.slice((number - 1) * size, number * size);
    return {
        count: items.length,
        next: number < numPages ? replaceQueryParam(currentUrl, "page", String(number + 1)) : null,
        previous: number > 1 ? (number - 1 === 1 ? removeQueryParam(currentUrl, "page") : replaceQueryParam(currentUrl, "page", String(number - 1))) : null,
        objects,
        totalCount: items.length,
        pageNo,
    };
}

/** Python's urllib.parse.quote_plus: only letters, digits and `_.-~` stay as they are. */
export function quotePlus(s: string): string {
    return encodeURIComponent(s)
        .replace(/[!'()*]/g, (c) => "%" + c.charCodeAt(0).toString(16).toUpperCase())
        .replace(/%20/g, "+");
}

function withQuery(url: string, edit: (params: Map<string, string[]>) => void): string {
    const u = new URL(url);
    const params = new Map<string, string[]>();
    for (const [k, v] of new URLSearchParams(u.search)) params.set(k, [...(params.get(k) ?? []), v]);
    edit(params);
    // DRF re-encodes the query with its keys sorted (urlencode(sorted(...))).
    const query = [...params.keys()]
        .sort()
        .flatMap((k) => (params.get(k) ?? []).map((v) => `${quotePlus(k)}=${quotePlus(v)}`))
        .join("&");
    return `${u.protocol}//${u.host}${u.pathname}${query ? `?${query}` : ""}`;
}

export const replaceQueryParam = (url: string, key: string, value: string): string => withQuery(url, (p) => p.set(key, [value]));
export const removeQueryParam = (url: string, key: string): string => withQuery(url, (p) => p.delete(key));
