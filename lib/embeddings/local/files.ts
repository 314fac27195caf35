import { existsSync, readdirSync, statSync } from "node:fs";
import path from "node:path";
import { repoIdProblem } from "../huggingface";

/**
 * The on-disk layout of `local:` models: the Hugging Face repo layout under MODELS_DIR, one
 * directory per model, `<MODELS_DIR>/<owner>/<name>/`. A model directory copied from the hub
 * (or from another machine) works as it is.
 */

/** The tokenizer's files: all that reading a text (`read`) needs. */
export const tokenizerFiles = ["tokenizer.json", "tokenizer_config.json"] as const;

/** Files every model needs, relative to its directory. */
export const requiredFiles = ["config.json", ...tokenizerFiles] as const;

/**
 * The ONNX file, one of these, in order of preference: the int8-quantized file is about a quarter
 * of the size and runs faster on CPUs, at a small cost in accuracy. When both are present the
 * quantized one is used; delete it to use the full-precision one (vectors change slightly).
 */
export const onnxFiles = ["onnx/model_quantized.onnx", "onnx/model.onnx"] as const;

/** Files read when present (sentence-transformers' modules say how to pool, normalise and cut). */
export const optionalFiles = [
  "1_Pooling/config.json",
  "modules.json",
  "sentence_bert_config.json",
  "config_sentence_transformers.json",
  "special_tokens_map.json",
] as const;

/** `<modelsDir>/<owner>/<name>` (a repo id without owner is one level deep). */
export function modelDirectory(modelsDir: string, repoId: string): string {
  return path.join(modelsDir, ...repoId.split("/"));
}

export interface ModelFilesCheck {
  /** The ONNX file to load, relative to the directory, or null when neither is there. */
  onnxFile: (typeof onnxFiles)[number] | null;
  /** What is missing, relative to the directory: required files, and `onnxFiles[0]` or `[1]` as one entry. */
  missing: string[];
}

/** Whether `file` (relative to `dir`) is there and not empty. A download in progress has another name. */
export function isFilePresent(dir: string, file: string): boolean {
  return (statSync(path.join(dir, file), { throwIfNoEntry: false })?.size ?? 0) > 0;
}

/** Which of a model's files are present in `dir`. */
export function checkModelFiles(dir: string): ModelFilesCheck {
  const present = (file: string) => isFilePresent(dir, file);
  const onnxFile = onnxFiles.find(present) ?? null;
  const missing: string[] = requiredFiles.filter((file) => !present(file));
  if (!onnxFile) missing.push(`${onnxFiles[1]} (or ${path.basename(onnxFiles[0])})`);
  return { onnxFile, missing };
}

/** The sentence for a model whose files are missing: which files, where, and how to get them. */
export function describeMissingFiles({ modelId, repoId, dir, missing }: { modelId: string; repoId: string; dir: string; missing: string[] }): string {
  return (
    `${modelId} is not installed: ${missing.join(", ")} ${missing.length === 1 ? "is" : "are"} missing in ${dir}. ` +
    `Copy the model's files there in the Hugging Face layout (as in the repo ${repoId} on the hub: config.json, ` +
    "tokenizer.json, tokenizer_config.json, onnx/model_quantized.onnx or onnx/model.onnx), or set MODEL_DOWNLOADS=1 " +
    "to download them once from HF_ENDPOINT."
  );
}

/**
 * Repo ids of the model directories under `modelsDir` (`<owner>/<name>` holding a config.json or
 * an onnx/ folder), sorted; at most `limit`. Directories whose names are not valid repo ids
 * (dot folders, temporary downloads) are skipped. A missing `modelsDir` has none.
 */
export function findModelsOnDisk(modelsDir: string, { limit = 50 }: { limit?: number } = {}): string[] {
  const subdirectories = (dir: string) => {
    try {
      return readdirSync(dir, { withFileTypes: true })
        .filter((entry) => entry.isDirectory() && !entry.name.startsWith("."))
        .map((entry) => entry.name)
        .sort();
    } catch {
      return [];
    }
  };
  const isModel = (dir: string) => existsSync(path.join(dir, "config.json")) || existsSync(path.join(dir, "onnx"));
  const found: string[] = [];
  for (const owner of subdirectories(modelsDir)) {
    const ownerDir = path.join(modelsDir, owner);
    // A model with no owner (`<MODELS_DIR>/<name>/`) is a repo id of one segment.
    const candidates = isModel(ownerDir) ? [owner] : subdirectories(ownerDir).map((name) => `${owner}/${name}`);
    for (const repoId of candidates) {
      if (found.length >= limit) return found;
      if (repoIdProblem(repoId) === null && isModel(modelDirectory(modelsDir, repoId))) found.push(repoId);
    }
  }
  return found;
}
