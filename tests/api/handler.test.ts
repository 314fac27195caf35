import { describe, expect, it } from "vitest";
import type { z } from "zod";
import { AppError } from "@/lib/api/errors";
import { apiHandler, parseJsonBody } from "@/lib/api/handler";
import { limits } from "@/lib/api/limits";
import { embedRequestSchema, searchRequestSchema } from "@/lib/api/schemas";

function post(body: string, headers: Record<string, string> = {}): Request {
  return new Request("http://localhost/api/test", { method: "POST", body, headers });
}

async function rejection(body: unknown, schema: z.ZodType = embedRequestSchema): Promise<AppError> {
  const raw = typeof body === "string" ? body : JSON.stringify(body);
  const error = await parseJsonBody(post(raw), schema).then(
    () => null,
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(AppError);
  return error as AppError;
}

describe("parseJsonBody(request, schema)", () => {
  it("accepts a valid body, normalising texts to trimmed NFC", async () => {
    const body = await parseJsonBody(post(JSON.stringify({ texts: [" cafe\u0301 ", "dog"] })), embedRequestSchema);
    expect(body.texts).toEqual(["café", "dog"]);
    expect(body.model).toBeUndefined();
  });

  it("fills search defaults: k 10, scope texts", async () => {
    const body = await parseJsonBody(post(JSON.stringify({ query: "cat" })), searchRequestSchema);
    expect(body).toEqual({ query: "cat", k: 10, scope: "texts" });
  });

  it.each([
    ["malformed JSON", "{texts: [", "bad_request:body", /not valid JSON/],
    ["an empty body", "", "bad_request:body", /empty/],
    ["a JSON array", "[]", "bad_request:body", /JSON object/],
    ["missing texts", {}, "bad_request:texts", /texts is required/],
    ["texts of the wrong type", { texts: "cat" }, "bad_request:texts", /texts must be array, not string/],
    ["a non-string text", { texts: ["cat", 7] }, "bad_request:texts", /texts\[1\] must be string, not number/],
    ["an empty text list", { texts: [] }, "bad_request:texts", /at least one text/],
    ["a whitespace-only text", { texts: ["cat", "  \n "] }, "bad_request:texts", /texts\[1\] must not be empty/],
    ["a control character", { texts: ["a\u0007b"] }, "bad_request:texts", /control characters/],
    ["an extra field", { texts: ["cat"], text: "dog" }, "bad_request:text", /unknown field "text"/],
    ["a model of the wrong type", { texts: ["cat"], model: 3 }, "bad_request:model", /model must be string/],
    ["a NUL character in any string", { texts: ["cat"], model: "use\u0000lite" }, "bad_request:model", /model must not contain the NUL character/],
    ["a __proto__ key", JSON.parse('{"texts":["cat"],"__proto__":{"x":1}}'), "bad_request:body", /must not use the key "__proto__"/],
    ["an unknown field with an odd name", { texts: ["cat"], "a b": 1 }, "bad_request:body", /unknown field "a b"/],
  ])("rejects %s with 400 naming the field", async (_, body, code, message) => {
    const error = await rejection(body);
    expect(error.status).toBe(400);
    expect(error.code).toBe(code);
    expect(error.message).toMatch(message);
  });

  it("rejects a body nested deeper than 32 levels", async () => {
    const deep = JSON.parse(`{"texts":["cat"],"model":${"[".repeat(40)}${"]".repeat(40)}}`);
    const error = await rejection(deep);
    expect(error.code).toBe("bad_request:model");
    expect(error.message).toMatch(/nested deeper than 32 levels/);
  });

  it("makes lone surrogates well formed instead of passing them to the database", async () => {
    const body = await parseJsonBody(post(String.raw`{"texts":["\u00e9\udc00"]}`), embedRequestSchema);
    expect(body.texts).toEqual(["é\ufffd"]);
  });

  it(`rejects more than ${limits.maxTexts} texts`, async () => {
    const error = await rejection({ texts: Array.from({ length: limits.maxTexts + 1 }, (_, i) => `t${i}`) });
    expect(error.code).toBe("bad_request:texts");
    expect(error.message).toMatch(/at most 2000 texts/);
  });

  it(`rejects a text over ${limits.maxTextLength} characters, and accepts one of exactly that length`, async () => {
    const error = await rejection({ texts: ["x".repeat(limits.maxTextLength + 1)] });
    expect(error.message).toMatch(/texts\[0\] must be at most 10000 characters/);
    const ok = await parseJsonBody(post(JSON.stringify({ texts: ["x".repeat(limits.maxTextLength)] })), embedRequestSchema);
    expect(ok.texts[0]).toHaveLength(limits.maxTextLength);
  });

  it.each([
    [{ query: "cat", k: 0 }, /k must be at least 1/],
    [{ query: "cat", k: 101 }, /k must be at most 100/],
    [{ query: "cat", k: 2.5 }, /k must be a whole number/],
    [{ query: "cat", k: "5" }, /k must be number, not string/],
    [{ query: "cat", scope: "everything" }, /scope/],
  ])("rejects search body %j", async (body, message) => {
    const error = await rejection(body, searchRequestSchema);
    expect(error.status).toBe(400);
    expect(error.message).toMatch(message);
  });

  it("rejects a body over the size limit with 413", async () => {
    const error = await parseJsonBody(post("x", { "content-length": String(limits.maxBodyBytes + 1) }), embedRequestSchema).catch(
      (caught: AppError) => caught,
    );
    expect((error as AppError).status).toBe(413);
  });
});

describe("apiHandler(handle)", () => {
  it("turns an AppError into its status and the one error shape", async () => {
    const handler = apiHandler(async () => {
      throw new AppError("not_found:thing", "No such thing.");
    });
    const response = await handler(post("{}"), {});
    expect(response.status).toBe(404);
    expect(await response.json()).toEqual({ error: { code: "not_found:thing", message: "No such thing." } });
  });

  it("hides unexpected errors behind a 500 that leaks nothing", async () => {
    const handler = apiHandler(async () => {
      throw new Error('relation "secret_table" does not exist');
    });
    const original = console.error;
    console.error = () => {};
    const response = await handler(post("{}"), {}).finally(() => (console.error = original));
    expect(response.status).toBe(500);
    const text = await response.text();
    expect(text).not.toMatch(/secret_table/);
    expect(JSON.parse(text).error.code).toBe("internal:server");
  });

  it("answers 503 with Retry-After when the database connection is refused", async () => {
    const handler = apiHandler(async () => {
      throw Object.assign(new Error("connect ECONNREFUSED 127.0.0.1:5432"), { code: "ECONNREFUSED" });
    });
    const original = console.error;
    console.error = () => {};
    const response = await handler(post("{}"), {}).finally(() => (console.error = original));
    expect(response.status).toBe(503);
    expect(response.headers.get("retry-after")).toBe("5");
  });
});
