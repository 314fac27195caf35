import { describe, expect, it } from "vitest";
import { AppError } from "@/lib/api/errors";
import { openAiHandler, toOpenAiError } from "@/lib/openai-api/errors";

describe("toOpenAiError(error)", () => {
  it("a field's error: 400 invalid_request_error with the field as param and the app's code", () => {
    expect(toOpenAiError(new AppError("bad_request:input", "input must not be empty."))).toEqual({
      status: 400,
      headers: {},
      body: { error: { message: "input must not be empty.", type: "invalid_request_error", param: "input", code: "bad_request:input" } },
    });
  });

  it("texts the model cannot read are about input; a broken body has no param", () => {
    expect(toOpenAiError(new AppError("unreadable:texts", "use-lite cannot read"))).toMatchObject({ status: 400, body: { error: { param: "input", type: "invalid_request_error" } } });
    expect(toOpenAiError(new AppError("bad_request:body", "not JSON")).body.error.param).toBeNull();
    expect(toOpenAiError(new AppError("payload_too_large:body", "too large"))).toMatchObject({ status: 413, body: { error: { type: "invalid_request_error" } } });
  });

  it("429 keeps Retry-After and says rate_limit_exceeded", () => {
    const reply = toOpenAiError(new AppError("rate_limited:compute", "Too many requests", { headers: { "Retry-After": "20" } }));
    expect(reply).toEqual({
      status: 429,
      headers: { "Retry-After": "20" },
      body: { error: { message: "Too many requests", type: "requests", param: null, code: "rate_limit_exceeded" } },
    });
  });

  it("never 409, which the openai SDK retries: a conflict is the server's 500, not to be retried", () => {
    const reply = toOpenAiError(new AppError("conflict:model", "Stored use-lite vectors have different dimensions"));
    expect(reply.status).toBe(500);
    expect(reply.headers).toEqual({ "x-should-retry": "false" });
    expect(reply.body.error.type).toBe("server_error");
  });

  it("a 5xx says whether a retry can help: with Retry-After it may, without it the SDK is told not to", () => {
    expect(toOpenAiError(new AppError("unavailable:database", "down", { headers: { "Retry-After": "5" } })).headers).toEqual({ "Retry-After": "5" });
    expect(toOpenAiError(new AppError("unavailable:model", "HF_TOKEN is not set")).headers).toEqual({ "x-should-retry": "false" });
  });

  it("an error marked with details.openAiCode carries that code", () => {
    expect(toOpenAiError(new AppError("bad_request:model", "Unknown model", { details: { openAiCode: "model_not_found" } })).body.error).toMatchObject({ param: "model", code: "model_not_found" });
  });
});

describe("openAiHandler(handle)", () => {
  const request = () => new Request("http://localhost/v1/embeddings", { method: "POST", headers: { "x-notebook-socket-address": "203.0.113.9" } });

  it("answers an unexpected failure with a 500 in OpenAI's shape that leaks nothing", async () => {
    const handler = openAiHandler(async () => {
      throw new TypeError("Cannot read properties of undefined (reading 'vector') at /work/lib/x.ts:1:2");
    });
    const response = await handler(request(), {});
    expect(response.status).toBe(500);
    expect(response.headers.get("x-should-retry")).toBe("false");
    expect(await response.json()).toEqual({
      error: { message: "Something went wrong on our side; the request was not completed.", type: "server_error", param: null, code: "internal:server" },
    });
  });

  it("passes the handler's reply through", async () => {
    const response = await openAiHandler(async () => Response.json({ ok: true }))(request(), {});
    expect(await response.json()).toEqual({ ok: true });
  });
});
