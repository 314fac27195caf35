import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { encode as cl100kEncode } from "gpt-tokenizer/encoding/cl100k_base";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { socketAddressHeader } from "@/lib/api/client-address";
import type { Database } from "@/lib/db/connection";
import { flushEmbeddingWrites } from "@/lib/db/queries";
import { createScratchDatabase, testBackends } from "../support/databases";
import { jsonRequest, readJson } from "../support/routes";

// The route handlers use the process-wide database: each backend below points it at its own.
const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "notebook-openai-"));
process.env.PGLITE_DIR = dataDir;
delete process.env.DATABASE_URL;
delete process.env.OPENAI_MODEL_ALIASES;
// Every request comes from a client of its own, except in the rate-limit test, which uses up 3.
process.env.RATE_LIMIT_COMPUTE_PER_MINUTE = "3";

const { getDatabase, closeDatabase } = await import("@/lib/db/client");
const v1 = await import("@/app/v1/embeddings/route");
const embed = await import("@/app/api/embed/route");
const tokens = await import("@/app/api/tokens/route");
const { fromBase64Float32 } = await import("@/lib/openai-api/encoding");

type OpenAiError = { error: { message: string; type: string; param: string | null; code: string | null } };
type Embeddings = {
  object: string;
  data: { object: string; index: number; embedding: number[] | string }[];
  model: string;
  usage: { prompt_tokens: number; total_tokens: number };
};

let client = 0;
const newClient = () => ({ [socketAddressHeader]: `192.0.2.${++client % 250}`, "x-forwarded-for": `client-${client}` });

async function postV1(body: unknown, headers: Record<string, string> = newClient()) {
  const response = await v1.POST(jsonRequest("/v1/embeddings", body, { headers: { "content-type": "application/json", ...headers } }), {});
  return { ...(await readJson<Embeddings & OpenAiError>(response)), headers: response.headers };
}

async function appVectors(model: string, texts: string[]): Promise<number[][]> {
  const request = jsonRequest("/api/embed", { model, texts }, { headers: { "content-type": "application/json", ...newClient() } });
  const { status, body } = await readJson<{ vectors: number[][] }>(await embed.POST(request, {}));
  expect(status).toBe(200);
  return body.vectors;
}

async function tokenCount(model: string, text: string): Promise<number> {
  const request = jsonRequest("/api/tokens", { model, text }, { headers: { "content-type": "application/json", ...newClient() } });
  return (await readJson<{ count: number }>(await tokens.POST(request, {}))).body.count;
}

const floats = (data: Embeddings["data"]) => data.map(({ embedding }) => embedding as number[]);
const float32 = (vector: number[]) => vector.map(Math.fround);

afterAll(async () => {
  await closeDatabase();
  fs.rmSync(dataDir, { recursive: true, force: true });
});

describe.each(testBackends)("POST /v1/embeddings on $name", (backend) => {
  let db: Database;
  let drop: (() => Promise<void>) | undefined;
  const storedRows = async () => (await flushEmbeddingWrites(db), db.prisma.embedding.count());

  beforeAll(async () => {
    if (!backend.enabled) return;
    await closeDatabase();
    if (backend.name === "postgres") {
      const scratch = await createScratchDatabase(process.env.TEST_DATABASE_URL!);
      process.env.DATABASE_URL = scratch.url;
      drop = scratch.drop;
    } else {
      delete process.env.DATABASE_URL;
    }
    db = await getDatabase();
  });

  afterAll(async () => {
    if (!backend.enabled) return;
    await closeDatabase();
    delete process.env.DATABASE_URL;
    await drop?.();
  });

  it.skipIf(!backend.enabled)("embeds one string in OpenAI's shape, with the vector /api/embed gives it", async () => {
    const { status, body } = await postV1({ model: "use-lite", input: "The cat sat on the mat." });
    expect(status).toBe(200);
    expect(Object.keys(body).sort()).toEqual(["data", "model", "object", "usage"]);
    expect(body).toMatchObject({ object: "list", model: "use-lite" });
    expect(body.data).toHaveLength(1);
    expect(body.data[0]).toMatchObject({ object: "embedding", index: 0 });
    expect(body.data[0].embedding).toHaveLength(512);
    expect(floats(body.data)).toEqual(await appVectors("use-lite", ["The cat sat on the mat."]));
  });

  it.skipIf(!backend.enabled)("embeds an array in input order, duplicates included, indexed from 0", async () => {
    const input = ["king", "queen", "king", "banana"];
    const { status, body } = await postV1({ model: "glove-100d", input, encoding_format: "float" });
    expect(status).toBe(200);
    expect(body.model).toBe("glove-100d");
    expect(body.data.map(({ index }) => index)).toEqual([0, 1, 2, 3]);
    expect(floats(body.data)).toEqual(await appVectors("glove-100d", input));
  });

  it.skipIf(!backend.enabled)("base64: each vector's little-endian float32 bytes, the float vector rounded to float32", async () => {
    const input = ["cat", "a truck on the road"];
    const [base64, float] = [await postV1({ model: "use-lite", input, encoding_format: "base64" }), await postV1({ model: "use-lite", input })];
    expect(base64.status).toBe(200);
    for (const [i, { embedding }] of base64.body.data.entries()) {
      expect(typeof embedding).toBe("string");
      expect(Buffer.from(embedding as string, "base64")).toHaveLength(512 * 4);
      expect(fromBase64Float32(embedding as string)).toEqual(float32(float.body.data[i].embedding as number[]));
    }
  });

  it.skipIf(!backend.enabled)("OpenAI's model names are answered by the default model, and the reply says so", async () => {
    const defaultVector = (await postV1({ model: "use-lite", input: "cat" })).body.data[0].embedding;
    for (const model of ["text-embedding-3-small", "text-embedding-3-large", "text-embedding-ada-002"]) {
      const { status, body } = await postV1({ model, input: "cat" });
      expect(status).toBe(200);
      expect(body.model).toBe("use-lite");
      expect(body.data[0].embedding).toEqual(defaultVector);
    }
  });

  it.skipIf(!backend.enabled)("usage counts the model's own tokens: use-lite's pieces, GloVe's words", async () => {
    const input = ["The cat sat.", "Unbelievably quick foxes"];
    const { body } = await postV1({ model: "use-lite", input });
    const expected = (await tokenCount("use-lite", input[0])) + (await tokenCount("use-lite", input[1]));
    expect(expected).toBeGreaterThan(4);
    expect(body.usage).toEqual({ prompt_tokens: expected, total_tokens: expected });
    const glove = await postV1({ model: "glove-100d", input: ["the cat sat", "the cat sat"] });
    expect(glove.body.usage).toEqual({ prompt_tokens: 6, total_tokens: 6 });
  });

  it.skipIf(!backend.enabled)("cl100k_base token ids are embedded as the text they decode to", async () => {
    const texts = ["The cat sat on the mat.", "人工智能的未来"];
    const fromText = await postV1({ model: "cedict-glove-100d", input: texts });
    const fromIds = await postV1({ model: "cedict-glove-100d", input: texts.map((text) => cl100kEncode(text)) });
    expect(fromIds.status).toBe(200);
    expect(fromIds.body.data).toEqual(fromText.body.data);
    expect(fromIds.body.usage).toEqual(fromText.body.usage);
    const single = await postV1({ model: "use-lite", input: cl100kEncode("cat") });
    expect(floats(single.body.data)).toEqual(await appVectors("use-lite", ["cat"]));
  });

  it.skipIf(!backend.enabled)("OPENAI_MODEL_ALIASES picks the model for a name; a bad value is a 500 naming it, not retried", async () => {
    try {
      process.env.OPENAI_MODEL_ALIASES = "text-embedding-3-small=glove-100d,words=cedict-glove-100d";
      expect((await postV1({ model: "text-embedding-3-small", input: "cat" })).body.model).toBe("glove-100d");
      expect((await postV1({ model: "words", input: "猫" })).body.model).toBe("cedict-glove-100d");
      expect((await postV1({ model: "text-embedding-ada-002", input: "cat" })).body.model).toBe("use-lite");
      process.env.OPENAI_MODEL_ALIASES = "small=glove-300d";
      const { status, body, headers } = await postV1({ model: "use-lite", input: "cat" });
      expect(status).toBe(500);
      expect(headers.get("x-should-retry")).toBe("false");
      expect(body.error).toMatchObject({ type: "server_error", code: "internal:config" });
      expect(body.error.message).toMatch(/^The server's OPENAI_MODEL_ALIASES setting is invalid: alias "small" points at Unknown model "glove-300d"/);
    } finally {
      delete process.env.OPENAI_MODEL_ALIASES;
    }
  });

  it.skipIf(!backend.enabled)("adds nothing to the shared embeddings cache", async () => {
    const before = await storedRows();
    expect((await postV1({ model: "use-lite", input: ["a sentence only the OpenAI route has seen"] })).status).toBe(200);
    expect(await storedRows()).toBe(before);
  });

  it.skipIf(!backend.enabled)("ignores the Authorization header, whatever it holds", async () => {
    for (const authorization of ["Bearer sk-anything", "Bearer ", "Basic Zm9vOmJhcg=="]) {
      expect((await postV1({ model: "use-lite", input: "cat" }, { ...newClient(), authorization })).status).toBe(200);
    }
  });

  describe("refusals, in OpenAI's error shape", () => {
    const refused = async (body: unknown) => {
      const reply = await postV1(body);
      expect(Object.keys(reply.body)).toEqual(["error"]);
      expect(Object.keys(reply.body.error).sort()).toEqual(["code", "message", "param", "type"]);
      return reply;
    };

    it.skipIf(!backend.enabled)("an unknown model is 400 model_not_found naming the models there are", async () => {
      const { status, body } = await refused({ model: "gpt-embedder-9000", input: "cat" });
      expect(status).toBe(400);
      expect(body.error).toMatchObject({ type: "invalid_request_error", param: "model", code: "model_not_found" });
      expect(body.error.message).toMatch(/^Unknown model "gpt-embedder-9000"\. Use one of use-lite, glove-100d, cedict-glove-100d/);
      expect(body.error.message).toContain("text-embedding-3-small");
    });

    it.each([
      ["an empty string", "", "input must not be empty or whitespace-only."],
      ["a whitespace-only string in an array", ["cat", "  "], "input[1] must not be empty or whitespace-only."],
      ["an empty array", [], "input must hold at least one input."],
      ["2,001 inputs", Array(2001).fill("cat"), "input must hold at most 2000 inputs; send the rest in another request."],
      ["a text of 10,001 characters", ["a".repeat(10_001)], "input[0] must be at most 10000 characters."],
      ["strings mixed with token ids", ["cat", 123], "input must be a string, an array of strings, an array of token ids or an array of arrays of token ids, all of one kind."],
      ["a token id past cl100k_base's text tokens", [100_257], "input[0] is 100257, not a cl100k_base text token (0–100255); token ids are read as cl100k_base, the tokenizer of OpenAI's embedding models."],
      ["a negative token id", [[1], [-1]], "input[1][0] must be a token id, 0 or more."],
    ])("%s is 400 invalid_request_error on input", async (_title, input, message) => {
      if (!backend.enabled) return;
      const { status, body } = await refused({ model: "use-lite", input });
      expect(status).toBe(400);
      expect(body.error).toMatchObject({ type: "invalid_request_error", param: "input", message });
    });

    it.skipIf(!backend.enabled)("token ids cut in the middle of a character are refused, not patched", async () => {
      const ids = cl100kEncode("猫");
      expect(ids.length).toBeGreaterThan(1);
      const { status, body } = await refused({ model: "cedict-glove-100d", input: ids.slice(0, 1) });
      expect(status).toBe(400);
      expect(body.error.message).toMatch(/^input's token ids do not decode to whole UTF-8 characters/);
    });

    it.skipIf(!backend.enabled)("a text use-lite cannot read is 400 unreadable:texts naming a model that can, and nothing is embedded", async () => {
      const { status, body } = await refused({ model: "text-embedding-3-small", input: ["cat", "猫"] });
      expect(status).toBe(400);
      expect(body.error).toMatchObject({ type: "invalid_request_error", param: "input", code: "unreadable:texts" });
      expect(body.error.message).toMatch(/^use-lite cannot read "猫".*cedict-glove-100d/);
    });

    it.skipIf(!backend.enabled)("dimensions other than the model's are refused, never truncated; the model's own pass", async () => {
      const { status, body } = await refused({ model: "use-lite", input: "cat", dimensions: 256 });
      expect(status).toBe(400);
      expect(body.error).toMatchObject({ type: "invalid_request_error", param: "dimensions", code: "bad_request:dimensions" });
      expect(body.error.message).toBe("dimensions is 256, but use-lite makes 512-dimensional vectors, and they are never truncated; leave dimensions out or send 512.");
      expect((await postV1({ model: "glove-100d", input: "cat", dimensions: 100, user: "someone" })).status).toBe(200);
    });

    it.each([
      ["a missing model", { input: "cat" }, "model", "model is required."],
      ["an unknown encoding_format", { model: "use-lite", input: "cat", encoding_format: "int8" }, "encoding_format", 'encoding_format must be "float" or "base64".'],
      ["an unknown field", { model: "use-lite", input: "cat", temperature: 1 }, "temperature", 'Request body has an unknown field "temperature"; remove it.'],
    ])("%s is 400 naming the field", async (_title, request, param, message) => {
      if (!backend.enabled) return;
      const { status, body } = await refused(request);
      expect(status).toBe(400);
      expect(body.error.message).toBe(message);
      expect(body.error.param).toBe(["model", "encoding_format"].includes(param) ? param : null);
      expect(body.error.code).toBe(`bad_request:${param}`);
    });

    it.skipIf(!backend.enabled)("a body that is not JSON is 400 bad_request:body, one over 5 MB is 413", async () => {
      const notJson = await v1.POST(jsonRequest("/v1/embeddings", "{input: cat}", { headers: newClient() }), {});
      expect(notJson.status).toBe(400);
      expect(((await notJson.json()) as OpenAiError).error).toMatchObject({ type: "invalid_request_error", param: null, code: "bad_request:body" });
      const huge = await refused({ model: "use-lite", input: "x".repeat(5 * 1024 * 1024) });
      expect(huge.status).toBe(413);
      expect(huge.body.error).toMatchObject({ type: "invalid_request_error", code: "payload_too_large:body" });
    });
  });
});

describe("POST /v1/embeddings rate limit", () => {
  it("answers 429 in OpenAI's shape with Retry-After once a client has used its allowance", async () => {
    const client = { [socketAddressHeader]: "198.51.100.7" };
    const statuses: number[] = [];
    let last: Awaited<ReturnType<typeof postV1>> | undefined;
    for (let i = 0; i < 4; i++) {
      last = await postV1({ model: "glove-100d", input: "cat" }, client);
      statuses.push(last.status);
    }
    expect(statuses).toEqual([200, 200, 200, 429]);
    expect(last!.body.error).toMatchObject({ type: "requests", code: "rate_limit_exceeded", param: null });
    expect(Number(last!.headers.get("retry-after"))).toBeGreaterThan(0);
  });
});
