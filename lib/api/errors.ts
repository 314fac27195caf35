/**
 * The one error type of the app. `code` reads `type:surface` (`bad_request:texts`,
 * `not_found:model`); the type picks the HTTP status, the surface names what it is about.
 * Messages are written for the caller: they name the field, the problem and the fix.
 */
export type ErrorType =
  | "bad_request"
  | "unreadable"
  | "unauthorized"
  | "forbidden"
  | "not_found"
  | "conflict"
  | "payload_too_large"
  | "rate_limited"
  | "internal"
  | "bad_gateway"
  | "unavailable"
  | "gateway_timeout";

export type ErrorCode = `${ErrorType}:${string}`;

const statusByType: Record<ErrorType, number> = {
  bad_request: 400,
  // The model cannot read the text (e.g. use-lite and Chinese): the request is fine, the model is wrong for it.
  unreadable: 400,
  unauthorized: 401,
  forbidden: 403,
  not_found: 404,
  conflict: 409,
  payload_too_large: 413,
  rate_limited: 429,
  internal: 500,
  bad_gateway: 502,
  unavailable: 503,
  gateway_timeout: 504,
};

export interface ErrorBody {
  /** `details`: machine-readable particulars for some codes, e.g. the texts a model cannot read. */
  error: { code: string; message: string; details?: Record<string, unknown> };
}

export class AppError extends Error {
  readonly type: ErrorType;
  readonly status: number;
  /** Extra response headers, e.g. `Retry-After` on 429/503. */
  readonly headers: Record<string, string>;
  readonly details: Record<string, unknown> | undefined;

  constructor(
    readonly code: ErrorCode,
    message: string,
    options: { cause?: unknown; headers?: Record<string, string>; details?: Record<string, unknown> } = {},
  ) {
    super(message, { cause: options.cause });
    this.name = "AppError";
    this.type = code.split(":")[0] as ErrorType;
    this.status = statusByType[this.type];
    this.headers = options.headers ?? {};
    this.details = options.details;
  }

  toBody(): ErrorBody {
    return { error: { code: this.code, message: this.message, ...(this.details ? { details: this.details } : {}) } };
  }

  toResponse(): Response {
    return Response.json(this.toBody(), { status: this.status, headers: this.headers });
  }
}

export function isAppError(value: unknown): value is AppError {
  return value instanceof AppError;
}
