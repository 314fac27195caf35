import { describe, expect, it } from "vitest";
import * as tokenizers from "@/app/api/tokenizers/route";
import { readJson } from "../support/routes";

type Listed = { id: string; name: string; models: string[]; licence: string; vocabularySize: number };

describe("GET /api/tokenizers", () => {
  it("lists each tokenizer with its models, licence and vocabulary size", async () => {
    const { status, body } = await readJson<{ tokenizers: Listed[] }>(await tokenizers.GET(new Request("http://localhost/api/tokenizers"), {}));
    expect(status).toBe(200);
    expect(body.tokenizers.map((tokenizer) => tokenizer.id)).toEqual(["o200k_base", "cl100k_base", "gpt2", "qwen3"]);
    expect(body.tokenizers[0]).toEqual({
      id: "o200k_base",
      name: "o200k_base (GPT-4o)",
      models: expect.arrayContaining(["GPT-4o"]),
      licence: expect.stringContaining("MIT"),
      vocabularySize: 200_006,
    });
    expect(body.tokenizers.find((tokenizer) => tokenizer.id === "qwen3")).toMatchObject({ licence: expect.stringContaining("Apache-2.0"), vocabularySize: 151_669 });
  });
});
