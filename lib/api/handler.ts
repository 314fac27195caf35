import type { z } from "zod";
import { isDatabaseUnavailable } from "../db/unavailable";
import { AppError } from "./errors";
import { limits } from "./limits";
import { enforceRateLimit, type RateLimitKind } from "./rate-limit";

/**
 * Wraps a route handler: applies the rate limit of its kind, if any, and turns whatever it throws
 * into the one error reply shape, `{ error: { code, message } }`. Details of unexpected failures
 * are logged, never sent.
 */
export function apiHandler<Context>(
  handle: (request: Request, context: Context) => Promise<Response>,
  { rateLimit }: { rateLimit?: RateLimitKind } = {},
): (request: Request, context: Context) => Promise<Response> {
  return async (request, context) => {
    try {
      if (rateLimit) await enforceRateLimit(request, rateLimit);
      return await handle(request, context);
    } catch (error) {
      return toErrorResponse(error, request);
    }
  };
}

export function toErrorResponse(error: unknown, request?: Request): Response {
  if (error instanceof AppError) return error.toResponse();
  if (isDatabaseUnavailable(error)) {
    console.error(`[api] database unavailable during ${describe(request)}:`, error);
    return new AppError("unavailable:database", "The database is not reachable right now; try again shortly.", {
      headers: { "Retry-After": "5" },
    }).toResponse();
  }
  console.error(`[api] unexpected error during ${describe(request)}:`, error);
  return new AppError("internal:server", "Something went wrong on our side; the request was not completed.").toResponse();
}

/**
 * Reads and validates a JSON body; every problem becomes a 4xx naming the field. `maxBytes`
 * (default `limits.maxBodyBytes`) lets a route that queues work, such as a large upload, take more.
 */
export async function parseJsonBody<Schema extends z.ZodType>(
  request: Request,
  schema: Schema,
  { maxBytes = limits.maxBodyBytes }: { maxBytes?: number } = {},
): Promise<z.output<Schema>> {
  const declaredLength = Number(request.headers.get("content-length") ?? 0);
  if (declaredLength > maxBytes) throw bodyTooLarge(maxBytes);
  const raw = await request.text();
  if (Buffer.byteLength(raw) > maxBytes) throw bodyTooLarge(maxBytes);
  if (raw.trim() === "") {
    throw new AppError("bad_request:body", "Request body is empty; send a JSON object.");
  }
  let json: unknown;
  try {
    // A lone UTF-16 surrogate ("\ud800") can't be stored as UTF-8: make every string well formed,
    // replacing lone halves with U+FFFD as any UTF-8 encoder would.
    json = JSON.parse(raw, (_key, value: unknown) => (typeof value === "string" ? value.toWellFormed() : value));
  } catch (error) {
    throw new AppError("bad_request:body", `Request body is not valid JSON: ${(error as Error).message}`);
  }
  if (typeof json !== "object" || json === null || Array.isArray(json)) {
    throw new AppError("bad_request:body", "Request body must be a JSON object.");
  }
  rejectUnstorable(json);
  const result = schema.safeParse(json, { reportInput: true });
  if (!result.success) throw validationError(result.error);
  return result.data;
}

/**
 * Refuses what PostgreSQL can't store or JavaScript mishandles, anywhere in a body: the NUL
 * character (not allowed in text or jsonb), the key "__proto__" (zod silently drops it), and
 * nesting deeper than any request needs (which only costs stack and time).
 */
function rejectUnstorable(body: object): void {
  const visit = (value: unknown, path: (string | number)[]): void => {
    if (path.length > limits.maxJsonDepth) throw fieldError(path.slice(0, 1), `is nested deeper than ${limits.maxJsonDepth} levels`);
    if (typeof value === "string") {
      if (value.includes("\u0000")) throw fieldError(path, "must not contain the NUL character");
    } else if (Array.isArray(value)) {
      value.forEach((item, i) => visit(item, [...path, i]));
    } else if (value !== null && typeof value === "object") {
      for (const [key, item] of Object.entries(value)) {
        if (key === "__proto__" || key.includes("\u0000")) throw fieldError(path, `must not use the key ${JSON.stringify(key)}`);
        visit(item, [...path, key]);
      }
    }
  };
  visit(body, []);
}

function fieldError(path: (string | number)[], problem: string): AppError {
  return new AppError(`bad_request:${safeField(path[0])}`, `${formatPath(path) || "body"} ${problem}.`);
}

/** A field name fit for an error code: the name itself when it is plain, else "body". */
function safeField(key: unknown): string {
  return typeof key === "string" && /^[A-Za-z0-9_.-]{1,64}$/.test(key) ? key : "body";
}

function formatPath(path: readonly PropertyKey[]): string {
  return path.reduce<string>(
    (text, key) => (typeof key === "number" ? `${text}[${key}]` : text ? `${text}.${String(key)}` : String(key)),
    "",
  );
}

/** Turns the first zod issue into `bad_request:<field>` with a message naming the exact path. */
export function validationError(error: z.ZodError): AppError {
  const issue = error.issues[0];
  const field = issue.path.length > 0 ? safeField(issue.path[0]) : "body";
  const path = formatPath(issue.path);
  let message = issue.message;
  if (issue.code === "unrecognized_keys") {
    const names = issue.keys.map((key) => JSON.stringify(key.slice(0, 40)));
    message = `unknown field${names.length > 1 ? "s" : ""} ${names.join(", ")}; remove ${names.length > 1 ? "them" : "it"}`;
    return new AppError(`bad_request:${safeField(issue.keys[0])}`, `${path ? `${path} has an` : "Request body has an"} ${message}.`);
  }
  // `.int()` reports a fractional number as an invalid type; its own message says it better.
  if (issue.code === "invalid_type" && !(issue.expected === "int" && typeof issue.input === "number")) {
    message = issue.input === undefined ? "is required" : `must be ${issue.expected}, not ${typeName(issue.input)}`;
  }
  return new AppError(`bad_request:${field}`, `${path || "body"} ${message}.`);
}

function typeName(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "array";
  return typeof value;
}

function bodyTooLarge(maxBytes: number): AppError {
  return new AppError("payload_too_large:body", `Request body is larger than ${maxBytes / 1024 / 1024} MB; send fewer or shorter texts.`);
}

function describe(request?: Request): string {
  return request ? `${request.method} ${new URL(request.url).pathname}` : "request";
}
