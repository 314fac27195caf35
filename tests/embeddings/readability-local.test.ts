import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { checkReadable } from "@/lib/embeddings/readability";
import { useLite } from "@/lib/embeddings/use-lite";
import { writeTinyModel } from "@/scripts/make-tiny-onnx-model";
import { appErrorOf } from "../support/app-errors";

// A local: model whose files are here is offered for texts another model cannot read.
const modelsDir = fs.mkdtempSync(path.join(os.tmpdir(), "notebook-readability-local-"));
const saved = { MODELS_DIR: process.env.MODELS_DIR, MODEL_DOWNLOADS: process.env.MODEL_DOWNLOADS };

beforeAll(() => {
  // The tiny model, with 猫 in its vocabulary where cat was.
  const dir = path.join(modelsDir, "test", "zh");
  writeTinyModel(dir);
  const tokenizer = path.join(dir, "tokenizer.json");
  fs.writeFileSync(tokenizer, fs.readFileSync(tokenizer, "utf8").replace('"cat"', '"猫"'));
  Object.assign(process.env, { MODELS_DIR: modelsDir, MODEL_DOWNLOADS: "0" });
});

afterAll(() => {
  for (const [key, value] of Object.entries(saved)) if (value === undefined) delete process.env[key];
  else process.env[key] = value;
  fs.rmSync(modelsDir, { recursive: true, force: true });
});

describe("checkReadable(model, texts) with local: models here", () => {
  it("suggests a local: model whose files are on disk and whose tokenizer knows the text, and none that would need a download", async () => {
    const error = await appErrorOf(checkReadable(useLite, ["猫"]));
    expect(error.code).toBe("unreadable:texts");
    const readableBy = error.details!.readableBy as string[];
    expect(readableBy).toEqual(expect.arrayContaining(["cedict-glove-100d", "local:test/zh"]));
    expect(readableBy.some((id) => id.startsWith("local:Xenova/"))).toBe(false);
  });
});
