import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { checkModelFiles, describeMissingFiles, findModelsOnDisk, modelDirectory } from "@/lib/embeddings/local/files";
import { writeTinyModel } from "@/scripts/make-tiny-onnx-model";

const modelsDir = fs.mkdtempSync(path.join(os.tmpdir(), "notebook-local-files-"));
afterAll(() => fs.rmSync(modelsDir, { recursive: true, force: true }));

describe("checkModelFiles(dir)", () => {
  it("finds every file of a complete model and the ONNX file to load", () => {
    const dir = path.join(modelsDir, "complete/model");
    writeTinyModel(dir);
    expect(checkModelFiles(dir)).toEqual({ onnxFile: "onnx/model.onnx", missing: [] });
  });

  it("prefers the quantized ONNX file when both are there", () => {
    const dir = path.join(modelsDir, "both/files");
    writeTinyModel(dir);
    writeTinyModel(dir, { onnxFile: "model_quantized.onnx" });
    expect(checkModelFiles(dir).onnxFile).toBe("onnx/model_quantized.onnx");
  });

  it("lists what is missing, counting an empty file as missing", () => {
    const dir = path.join(modelsDir, "partial/model");
    writeTinyModel(dir);
    fs.rmSync(path.join(dir, "onnx"), { recursive: true });
    fs.writeFileSync(path.join(dir, "tokenizer.json"), "");
    expect(checkModelFiles(dir)).toEqual({ onnxFile: null, missing: ["tokenizer.json", "onnx/model.onnx (or model_quantized.onnx)"] });
    expect(checkModelFiles(path.join(modelsDir, "nothing/here")).missing).toHaveLength(4);
  });
});

describe("describeMissingFiles({ modelId, repoId, dir, missing })", () => {
  it("names the files, the directory, the layout and MODEL_DOWNLOADS=1", () => {
    expect(describeMissingFiles({ modelId: "local:a/b", repoId: "a/b", dir: "/models/a/b", missing: ["config.json"] })).toBe(
      "local:a/b is not installed: config.json is missing in /models/a/b. Copy the model's files there in the Hugging Face " +
        "layout (as in the repo a/b on the hub: config.json, tokenizer.json, tokenizer_config.json, onnx/model_quantized.onnx " +
        "or onnx/model.onnx), or set MODEL_DOWNLOADS=1 to download them once from HF_ENDPOINT.",
    );
  });
});

describe("findModelsOnDisk(modelsDir)", () => {
  it("lists <owner>/<name> and <name> model directories, sorted, skipping dot folders and invalid names", () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "notebook-local-scan-"));
    writeTinyModel(modelDirectory(dir, "zeta/model"));
    writeTinyModel(modelDirectory(dir, "alpha/model"));
    writeTinyModel(modelDirectory(dir, "solo"));
    writeTinyModel(path.join(dir, ".downloads", "x"));
    fs.mkdirSync(path.join(dir, "owner", "not-a-model"), { recursive: true });
    fs.mkdirSync(path.join(dir, "owner", "bad name"), { recursive: true });
    fs.writeFileSync(path.join(dir, "owner", "bad name", "config.json"), "{}");
    expect(findModelsOnDisk(dir)).toEqual(["alpha/model", "solo", "zeta/model"]);
    expect(findModelsOnDisk(dir, { limit: 1 })).toEqual(["alpha/model"]);
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it("finds nothing in a directory that does not exist", () => {
    expect(findModelsOnDisk(path.join(modelsDir, "absent"))).toEqual([]);
  });
});
