/**
 * DRF-shaped errors. Handlers throw these; the router turns them into responses,
 * so every error body has the shape Fleio's exception handler gives.
 */

/** `{"field": ["msg"]}`, nested for nested serializers, as DRF's ValidationError detail. */
export type FieldErrors = { [field: string]: FieldErrorValue };
export type FieldErrorValue = string | string[] | FieldErrors | FieldErrorValue[];

export class ApiError extends Error {
    constructor(
        readonly status: number,
        readonly body: unknown,
        readonly headers: Record<string, string> = {},
        /** why, for the emulator's own request log; never part of Fleio's answer */
        readonly note?: string,
    ) {
        super(typeof body === "object" && body !== null && "detail" in body ? String((body as { detail: unknown }).detail) : `HTTP ${status}`);
    }
}

export const detail = (status: number, message: string, headers?: Record<string, string>): ApiError => new ApiError(status, { detail: message }, headers);

/** DRF's NotFound / Django's Http404 through DRF. */
export const notFound = (message = "Not found."): ApiError => detail(404, message);

/** Serializer validation failure. */
export const validation = (errors: FieldErrors): ApiError => new ApiError(400, errors);

/** One field's error, the common case. */
export const fieldError = (field: string, message: string): ApiError => validation({ [field]: [message] });

/** Fleio's APIBadRequest: `{"detail": ...}` with 400. */
export const badRequest = (message: string): ApiError => detail(400, message);

export const forbidden = (message = "You do not have permission to perform this action."): ApiError => detail(403, message);

export const conflict = (message: string): ApiError => detail(409, message);

/** Django's own pages (DEBUG off): outside DRF, errors are HTML, not JSON. */
export const DJANGO_500_HTML = "<h1>Server Error (500)</h1>";
export const DJANGO_404_HTML = "<h1>Not Found</h1><p>The requested resource was not found on this server.</p>";
export const HTML = { "content-type": "text/html; charset=utf-8" } as const;

/**
 * An unhandled exception in Fleio's view (KeyError, DoesNotExist, ProtectedError…):
 * Django answers its 500 page. `why` names the Python exception Fleio would raise; it
 * goes to the emulator's request log only.
 */
export const serverError = (why: string): ApiError => new ApiError(500, DJANGO_500_HTML, { ...HTML }, why);
