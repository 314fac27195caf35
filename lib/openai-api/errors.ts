import { AppError, isAppError, type ErrorType } from "../api/errors";
import { toErrorResponse } from "../api/handler";
import { enforceRateLimit } from "../api/rate-limit";

/**
 * Errors of the /v1 routes in OpenAI's shape, `{ error: { message, type, param, code } }`, made
 * from the app's AppError so that both APIs refuse the same things with the same words:
 * - `type`: OpenAI's category: invalid_request_error (400, 413), requests (429), server_error (5xx).
 * - `param`: the request field at fault (`input`, `model`, `dimensions`…), or null.
 * - `code`: the app's own code (`bad_request:input`, `unreadable:texts`…), except where OpenAI's
 *   clients know a name: `model_not_found` (an error whose `details.openAiCode` says so),
 *   `rate_limit_exceeded`.
 * The status is the app's, with one exception: never 409, which the openai SDK retries; the only
 * 409 here (a model's stored vectors of two dimensions) is the server's problem and becomes 500.
 * The SDKs retry 429 and 5xx; a 5xx that a retry cannot cure (no Retry-After: a model not
 * configured, an internal error) carries `x-should-retry: false`, which the openai SDK obeys.
 */

export interface OpenAiErrorBody {
  error: { message: string; type: string; param: string | null; code: string | null };
}

const typeByAppType: Partial<Record<ErrorType, string>> = {
  bad_request: "invalid_request_error",
  unreadable: "invalid_request_error",
  payload_too_large: "invalid_request_error",
  not_found: "invalid_request_error",
  unauthorized: "authentication_error",
  forbidden: "permission_error",
  rate_limited: "requests",
};

/** Request fields an app error's surface may name; other surfaces (`body`, `texts`, `model` lookups) map as below. */
const requestFields = new Set(["input", "model", "encoding_format", "dimensions", "user"]);

export function toOpenAiError(error: AppError): { status: number; body: OpenAiErrorBody; headers: Record<string, string> } {
  const surface = error.code.slice(error.code.indexOf(":") + 1);
  const status = error.status === 409 ? 500 : error.status;
  const headers = { ...error.headers };
  if (status >= 500 && headers["Retry-After"] === undefined) headers["x-should-retry"] = "false";
  const param = requestFields.has(surface) ? surface : surface === "texts" ? "input" : null;
  const openAiCode = error.details?.openAiCode;
  const code = typeof openAiCode === "string" ? openAiCode : error.type === "rate_limited" ? "rate_limit_exceeded" : error.code;
  const type = status >= 500 ? "server_error" : (typeByAppType[error.type] ?? "invalid_request_error");
  return { status, headers, body: { error: { message: error.message, type, param, code } } };
}

/**
 * The /v1 counterpart of apiHandler: the same per-client rate limit, and whatever is thrown
 * answered in OpenAI's shape. Unexpected failures go through the app's toErrorResponse first, so
 * they are logged (and a database outage recognised) exactly as on /api routes, and never leak.
 * No authentication: /api/embed needs none, so any Authorization header (the SDKs always send
 * one) is ignored.
 */
export function openAiHandler<Context>(
  handle: (request: Request, context: Context) => Promise<Response>,
): (request: Request, context: Context) => Promise<Response> {
  return async (request, context) => {
    try {
      await enforceRateLimit(request, "compute");
      return await handle(request, context);
    } catch (error) {
      const { status, body, headers } = toOpenAiError(isAppError(error) ? error : await asAppError(error, request));
      return Response.json(body, { status, headers });
    }
  };
}

/** The AppError the app's own handler would answer `error` with (logging it as it does). */
async function asAppError(error: unknown, request: Request): Promise<AppError> {
  const reply = toErrorResponse(error, request);
  const { error: { code, message } } = (await reply.json()) as { error: { code: `${ErrorType}:${string}`; message: string } };
  const retryAfter = reply.headers.get("retry-after");
  return new AppError(code, message, { headers: retryAfter ? { "Retry-After": retryAfter } : {} });
}
