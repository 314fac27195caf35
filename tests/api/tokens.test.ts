import { describe, expect, it } from "vitest";
import * as tokens from "@/app/api/tokens/route";
import { jsonRequest, readJson, type ErrorReply } from "../support/routes";

// The route reads no database: no PGLITE_DIR needed.

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
