/**
 * Errors that exist only at the HTTP edge (authentication, authorisation, CSRF, rate limit,
 * validation). Domain failures stay `AtendeError`; both are mapped in one place,
 * `middlewares/errorHandler.ts`.
 */
export class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly id: string,
    message: string,
    readonly hint?: string,
  ) {
    super(message);
    this.name = "HttpError";
  }
}

export const validationError = (message: string) =>
  new HttpError(400, "validation_error", message, "Fix the field named in the message.");

export const authenticationRequired = () =>
  new HttpError(401, "authentication_required", "Sign in first.");

export const invalidCredentials = () =>
  new HttpError(
    401,
    "invalid_credentials",
    "Wrong e-mail or password, or the account is disabled.",
  );

export const forbidden = (needed: string) =>
  new HttpError(
    403,
    "forbidden",
    `This needs the ${needed} role.`,
    "Ask an owner to change your role.",
  );

export const crossOriginRequest = () =>
  new HttpError(
    403,
    "cross_origin_request",
    "State-changing requests must come from the dashboard's own origin (Origin header).",
  );

export const unsupportedMediaType = () =>
  new HttpError(415, "unsupported_media_type", "State-changing requests must send JSON.");

export const rateLimited = (retryAfterSeconds: number) =>
  new HttpError(
    429,
    "rate_limited",
    "Too many failed sign-ins from this address.",
    `Try again in ${Math.ceil(retryAfterSeconds / 60)} minute(s).`,
  );

export const routeNotFound = () => new HttpError(404, "not_found", "No such API endpoint.");
