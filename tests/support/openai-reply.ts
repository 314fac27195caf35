import { allowedServerErrors, leakPatterns, type Reply, type SentRequest } from "./fuzz";

/**
 * What every reply of a /v1 route must be, the counterpart of fuzz.ts's inspectReply for OpenAI's
 * error shape: JSON; an error exactly `{ error: { message, type, param, code } }` (message a
 * non-empty string, param and code a string or null) whose type fits the status; never a 409,
 * which the openai SDK retries; no 5xx but the documented 503s; no internals, no secrets.
 */

const typeByStatus: Record<number, string> = { 400: "invalid_request_error", 413: "invalid_request_error", 429: "requests" };

export async function inspectOpenAiReply(response: Response, sent: SentRequest, secrets: string[]): Promise<{ reply: Reply; problems: string[] }> {
  const problems: string[] = [];
  const raw = await response.text();
  const reply: Reply = { status: response.status, raw, json: undefined };
  for (const secret of secrets) if (raw.includes(secret)) problems.push(`reply contains the secret ${secret.slice(0, 6)}…`);
  if (!/^application\/json/.test(response.headers.get("content-type") ?? "")) problems.push(`content-type ${response.headers.get("content-type")}`);
  try {
    reply.json = JSON.parse(raw);
  } catch {
    problems.push("body is not JSON");
    return { reply, problems };
  }
  if (response.status < 400) return { reply, problems };

  const error = (reply.json as { error?: Record<string, unknown> }).error;
  const isObject = (value: unknown): value is Record<string, unknown> => typeof value === "object" && value !== null && !Array.isArray(value);
  if (!isObject(reply.json) || Object.keys(reply.json).join() !== "error" || !isObject(error) || Object.keys(error).sort().join() !== "code,message,param,type") {
    problems.push("error reply is not exactly { error: { message, type, param, code } }");
    return { reply, problems };
  }
  const { message, type, param, code } = error;
  const stringOrNull = (value: unknown) => value === null || typeof value === "string";
  if (typeof message !== "string" || message.trim() === "" || typeof type !== "string" || !stringOrNull(param) || !stringOrNull(code)) {
    problems.push("error message or type is not a non-empty string, or param or code is neither a string nor null");
    return { reply, problems };
  }
  Object.assign(reply, { code: code ?? undefined, message });
  if (response.status === 409) problems.push("409, which the openai SDK retries");
  const expectedType = response.status >= 500 ? "server_error" : typeByStatus[response.status];
  if (type !== expectedType) problems.push(`type ${type} with status ${response.status}`);
  if (response.status >= 500 && !(response.status === 503 && allowedServerErrors.has(code ?? ""))) problems.push(`server error ${response.status} ${code}`);
  for (const pattern of leakPatterns) {
    if (pattern.test(message) && !pattern.test(sent.text)) problems.push(`message leaks ${pattern}: ${message.slice(0, 200)}`);
  }
  return { reply, problems };
}
