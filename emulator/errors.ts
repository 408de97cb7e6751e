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

/**
 * An unhandled exception in Fleio's view (KeyError, DoesNotExist, IndexError…): Django
 * answers 500. `why` names the Python exception Fleio would raise, so a test log
 * explains the 500; it is the emulator's own addition.
 */
export const serverError = (why: string): ApiError => new ApiError(500, { detail: "A server error occurred.", emulator_note: why });
