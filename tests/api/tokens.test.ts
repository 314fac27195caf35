import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import * as createCollection from "@/app/api/collections/route";
import * as documents from "@/app/api/collections/[id]/documents/route";
import * as tokens from "@/app/api/tokens/route";
import { closeDatabase } from "@/lib/db/client";
import { jsonRequest, readJson, type ErrorReply } from "../support/routes";

// Only the collection counts read the database: a PGlite of its own, opened on first use.
const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "notebook-tokens-"));
process.env.PGLITE_DIR = dataDir;
delete process.env.DATABASE_URL;
afterAll(async () => {
  await closeDatabase();
  fs.rmSync(dataDir, { recursive: true, force: true });
});

type TokensReply = {
  model: string;
  supported: boolean;
  count: number;
  tokens: { text: string; id: number | null; known: boolean }[];
  note?: string;
};

const post = async (body: unknown) => readJson<TokensReply & ErrorReply>(await tokens.POST(jsonRequest("/api/tokens", body), {}));

describe("POST /api/tokens", () => {
  it("answers use-lite's pieces and ids by default", async () => {
    const { status, body } = await post({ text: "The cat sat on the mat." });
    expect(status).toBe(200);
    expect(body).toMatchObject({ model: "use-lite", supported: true, count: 8 });
    expect(body.tokens.slice(0, 2)).toEqual([
      { text: "▁The", id: 34, known: true },
      { text: "▁cat", id: 1163, known: true },
    ]);
  });

  it("answers glove-100d's words with their frequency ranks, unknown words with id null", async () => {
    const { status, body } = await post({ model: "glove-100d", text: "  The qwzxv\u0301 cat  " });
    expect(status).toBe(200);
    expect(body.tokens.map(({ text, known }) => [text, known])).toEqual([["the", true], ["qwzxv", false], ["cat", true]]);
    expect(body.tokens[0].id).toBe(1);
    expect(body.tokens[1].id).toBeNull();
    expect(body.note).toContain('"qwzxv" is not among');
  });

  it("answers supported: false for a remote model, without needing HF_TOKEN", async () => {
    const { status, body } = await post({ model: "hf:BAAI/bge-small-en-v1.5", text: "cat" });
    expect(status).toBe(200);
    expect(body).toMatchObject({ model: "hf:BAAI/bge-small-en-v1.5", supported: false, tokens: [], count: 0 });
    expect(body.note).toContain("not available offline");
  });

  it("refuses empty or whitespace-only text with 400 bad_request:text", async () => {
    for (const text of ["", "  \n "]) {
      const { status, body } = await post({ text });
      expect(status).toBe(400);
      expect(body.error).toEqual({ code: "bad_request:text", message: "text must not be empty or whitespace-only." });
    }
  });

  it("refuses a missing text, a text over 10,000 characters and unknown fields with 400", async () => {
    expect((await post({})).body.error).toEqual({ code: "bad_request:text", message: "text is required." });
    expect((await post({ text: "a".repeat(10_001) })).body.error).toEqual({
      code: "bad_request:text",
      message: "text must be at most 10000 characters.",
    });
    expect((await post({ texts: ["cat"], text: "cat" })).body.error.code).toBe("bad_request:texts");
  });

  it("refuses an unknown model with 400 bad_request:model naming the models", async () => {
    const { status, body } = await post({ model: "word2vec", text: "cat" });
    expect(status).toBe(400);
    expect(body.error.code).toBe("bad_request:model");
    expect(body.error.message).toContain('Unknown model "word2vec"');
  });
});

type LlmTokensReply = { tokenizer: string; count: number; tokens: { text: string; id: number; bytes?: number[] }[] };
const postLlm = async (body: unknown) => readJson<LlmTokensReply & ErrorReply>(await tokens.POST(jsonRequest("/api/tokens", body), {}));

describe("POST /api/tokens with a tokenizer", () => {
  it("answers o200k_base's five pieces of the essay's sentence with their ids", async () => {
    const { status, body } = await postLlm({ text: "人工智能的未来将", tokenizer: "o200k_base" });
    expect(status).toBe(200);
    expect(body).toEqual({
      tokenizer: "o200k_base",
      count: 5,
      tokens: [
        { text: "人工", id: 47243 },
        { text: "智能", id: 60319 },
        { text: "的", id: 1616 },
        { text: "未来", id: 66231 },
        { text: "将", id: 15038 },
      ],
    });
  });

  it("answers a piece that is part of a character with its bytes", async () => {
    const { body } = await postLlm({ text: "智", tokenizer: "cl100k_base" });
    expect(body.tokens).toEqual([
      { text: "<e6 99>", id: 45114, bytes: [0xe6, 0x99] },
      { text: "<ba>", id: 118, bytes: [0xba] },
    ]);
  });

  it("counts texts up to 200,000 characters, a collection document's longest", async () => {
    const { status, body } = await postLlm({ text: "cat ".repeat(50_000), tokenizer: "gpt2" });
    expect(status).toBe(200);
    expect(body.count).toBe(50_000);
    expect((await postLlm({ text: "a".repeat(200_001), tokenizer: "gpt2" })).body.error).toEqual({
      code: "bad_request:text",
      message: "text must be at most 200000 characters.",
    });
  });

  it("refuses model and tokenizer together with 400 bad_request:tokenizer", async () => {
    const { status, body } = await postLlm({ text: "cat", model: "use-lite", tokenizer: "o200k_base" });
    expect(status).toBe(400);
    expect(body.error.code).toBe("bad_request:tokenizer");
    expect(body.error.message).toMatch(/^tokenizer must not be sent with model/);
  });

  it("refuses an unknown tokenizer with 400 naming the ones there are, and an empty one naming the field", async () => {
    const { status, body } = await postLlm({ text: "cat", tokenizer: "llama3" });
    expect(status).toBe(400);
    expect(body.error).toEqual({
      code: "bad_request:tokenizer",
      message: 'Unknown tokenizer "llama3"; use one of o200k_base, cl100k_base, gpt2, qwen3 (GET /api/tokenizers).',
    });
    expect((await postLlm({ text: "cat", tokenizer: " " })).body.error).toEqual({ code: "bad_request:tokenizer", message: "tokenizer must not be empty." });
    expect((await postLlm({ text: "cat", tokenizer: 5 })).body.error.code).toBe("bad_request:tokenizer");
  });
});

describe("POST /api/tokens with a collection", () => {
  const bearer = (key: string) => ({ headers: { "content-type": "application/json", authorization: `Bearer ${key}` } });
  const count = async (body: unknown, key?: string) =>
    readJson<{ tokenizer: string; documents: { documentId: string; count: number | null }[]; count: number } & ErrorReply>(
      await tokens.POST(jsonRequest("/api/tokens", body, key ? bearer(key) : {}), {}),
    );

  it("counts every document's tokens for the tokenizer, with the read key of a private collection", async () => {
    const created = await readJson<{ id: string; readKey: string; writeKey: string }>(await createCollection.POST(jsonRequest("/api/collections", { name: "Token counts" }), {}));
    const { id, readKey, writeKey } = created.body;
    const added = await readJson<{ documents: { documentId: string }[] }>(
      await documents.POST(jsonRequest(`/api/collections/${id}/documents`, { documents: [{ text: "The cat sat on the mat." }, { text: "cat ".repeat(3_000) }] }, bearer(writeKey)), {
        params: Promise.resolve({ id }),
      }),
    );
    const [first, second] = added.body.documents.map((document) => document.documentId);

    const { status, body } = await count({ tokenizer: "o200k_base", collection: id }, readKey);
    expect(status).toBe(200);
    expect(body).toEqual({ tokenizer: "o200k_base", documents: [{ documentId: first, count: 7 }, { documentId: second, count: 3_000 }], count: 3_007 });
    expect((await count({ tokenizer: "gpt2", collection: id }, writeKey)).body.documents[0].count).toBe(7);

    expect((await count({ tokenizer: "o200k_base", collection: id })).status).toBe(401);
    expect((await count({ tokenizer: "o200k_base", collection: "nosuchcollection" })).status).toBe(404);
  }, 60_000);

  it("refuses a collection without a tokenizer, or with text, naming the field", async () => {
    expect((await count({ collection: "abc" })).body.error).toEqual({
      code: "bad_request:tokenizer",
      message: "tokenizer is required with collection: documents are counted with an LLM tokenizer from GET /api/tokenizers.",
    });
    expect((await count({ collection: "abc", text: "cat", tokenizer: "gpt2" })).body.error.code).toBe("bad_request:collection");
    expect((await count({ collection: "a/b", tokenizer: "gpt2" })).body.error).toEqual({ code: "bad_request:collection", message: "collection must be a collection id." });
  });
});
