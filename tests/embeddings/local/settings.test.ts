import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { defaultSettings, readModelSettings } from "@/lib/embeddings/local/settings";

const root = fs.mkdtempSync(path.join(os.tmpdir(), "notebook-local-settings-"));
afterAll(() => fs.rmSync(root, { recursive: true, force: true }));

let count = 0;
function modelDir(files: Record<string, unknown>): string {
  const dir = path.join(root, String(++count));
  for (const [file, json] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
    fs.writeFileSync(path.join(dir, file), typeof json === "string" ? json : JSON.stringify(json));
  }
  return dir;
}

describe("readModelSettings(dir, repoId)", () => {
  it("falls back to mean pooling, normalised, no prefix, 512 tokens, dims unknown", async () => {
    expect(await readModelSettings(modelDir({}), "someone/unknown")).toEqual({ ...defaultSettings, dims: null });
    expect(defaultSettings).toEqual({ pooling: "mean", normalize: true, prefix: "", maxLength: 512 });
  });

  it("takes a known model's settings from the table", async () => {
    expect(await readModelSettings(modelDir({}), "Xenova/multilingual-e5-small")).toEqual({
      pooling: "mean",
      normalize: true,
      prefix: "query: ",
      maxLength: 512,
      dims: 384,
    });
    expect(await readModelSettings(modelDir({}), "Xenova/bge-small-zh-v1.5")).toMatchObject({ pooling: "cls", prefix: "", dims: 512 });
  });

  it("prefers the model's own sentence-transformers files over the table", async () => {
    const dir = modelDir({
      "1_Pooling/config.json": { pooling_mode_cls_token: true, pooling_mode_mean_tokens: false },
      "modules.json": [{ type: "sentence_transformers.models.Transformer" }, { type: "sentence_transformers.models.Pooling" }],
      "config_sentence_transformers.json": { prompts: { query: "query: ", passage: "passage: " }, default_prompt_name: "passage" },
      "sentence_bert_config.json": { max_seq_length: 128 },
      "config.json": { hidden_size: 768 },
    });
    expect(await readModelSettings(dir, "Xenova/multilingual-e5-small")).toEqual({
      pooling: "cls",
      normalize: false,
      prefix: "passage: ",
      maxLength: 128,
      dims: 768,
    });
  });

  it("uses the query prompt when no default prompt is named, and the tokenizer's limit when nothing else says", async () => {
    const dir = modelDir({
      "config_sentence_transformers.json": { prompts: { query: "search_query: " }, default_prompt_name: null },
      "tokenizer_config.json": { model_max_length: 8192 },
    });
    expect(await readModelSettings(dir, "someone/unknown")).toMatchObject({ prefix: "search_query: ", maxLength: 8192 });
  });

  it("ignores unreadable files and absurd limits", async () => {
    const dir = modelDir({ "1_Pooling/config.json": "{ broken", "tokenizer_config.json": { model_max_length: 1e30 } });
    expect(await readModelSettings(dir, "someone/unknown")).toEqual({ ...defaultSettings, dims: null });
  });
});
