import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { localModelFamily, parseLocalModelId } from "@/lib/embeddings/local";
import { writeTinyModel } from "@/scripts/make-tiny-onnx-model";

const modelsDir = fs.mkdtempSync(path.join(os.tmpdir(), "notebook-local-family-"));
const saved = { MODELS_DIR: process.env.MODELS_DIR, MODEL_DOWNLOADS: process.env.MODEL_DOWNLOADS };
beforeAll(() => Object.assign(process.env, { MODELS_DIR: modelsDir, MODEL_DOWNLOADS: "0" }));
afterAll(() => {
  for (const [key, value] of Object.entries(saved)) if (value === undefined) delete process.env[key]; else process.env[key] = value;
  fs.rmSync(modelsDir, { recursive: true, force: true });
});

describe("parseLocalModelId(id)", () => {
  it("returns the repo id of local:<owner/name>", () => {
    expect(parseLocalModelId("local:Xenova/all-MiniLM-L6-v2")).toBe("Xenova/all-MiniLM-L6-v2");
  });

  it.each([
    ["local:", "is empty"],
    ["local:a/b/c", "has more than one '/'"],
    ["local:../etc", "may only hold letters"],
    ["local:owner/.hidden", "may only hold letters"],
    ["Xenova/all-MiniLM-L6-v2", "lacks the local: prefix"],
  ])("refuses %s: it %s", (id, problem) => {
    expect(() => parseLocalModelId(id)).toThrow(expect.objectContaining({ code: "bad_request:model", message: expect.stringContaining(problem) }));
    expect(() => parseLocalModelId(id)).toThrow(/write it as local:<owner\/name>, e\.g\. local:Xenova\/all-MiniLM-L6-v2/);
  });
});

describe("localModelFamily", () => {
  it("lists the four known models and every model found in MODELS_DIR", () => {
    writeTinyModel(path.join(modelsDir, "test", "tiny"));
    expect(localModelFamily.listed()).toEqual([
      "local:Xenova/multilingual-e5-small",
      "local:Xenova/paraphrase-multilingual-MiniLM-L12-v2",
      "local:Xenova/all-MiniLM-L6-v2",
      "local:Xenova/bge-small-zh-v1.5",
      "local:test/tiny",
    ]);
  });

  it("creates models from MODELS_DIR and MODEL_DOWNLOADS", () => {
    expect(localModelFamily.create("local:test/tiny").info()).toMatchObject({ available: true, dims: 6 });
    expect(localModelFamily.create("local:test/elsewhere").info()).toMatchObject({ available: false, download: { state: "absent" } });
  });
});
