import { AppError } from "../../api/errors";
import { readConfig } from "../../config";
import { repoIdProblem } from "../huggingface";
import type { ModelFamily } from "../types";
import { findModelsOnDisk } from "./files";
import { knownModels } from "./known-models";
import { createLocalModel } from "./model";

/**
 * `local:<owner/name>`: ONNX embedding models run in this process with `@huggingface/transformers`,
 * from files in MODELS_DIR (or downloaded once from HF_ENDPOINT when MODEL_DOWNLOADS allows).
 */
const ID_PREFIX = "local:";
const EXAMPLE_ID = "local:Xenova/all-MiniLM-L6-v2";

/**
 * `local:<owner/name>` → `owner/name`. Throws `bad_request:model` naming the problem when the repo
 * id is not a valid Hugging Face repo id (the same rule as `hf:` ids), which also keeps it from
 * naming any directory outside MODELS_DIR.
 */
export function parseLocalModelId(id: string): string {
  const repoId = id.startsWith(ID_PREFIX) ? id.slice(ID_PREFIX.length) : id;
  const problem = id.startsWith(ID_PREFIX) ? repoIdProblem(repoId) : "lacks the local: prefix";
  if (problem) {
    throw new AppError(
      "bad_request:model",
      `Local model id "${id.slice(0, 120)}" ${problem}: write it as local:<owner/name>, e.g. ${EXAMPLE_ID}.`,
    );
  }
  return repoId;
}

/** `local:` models in the model registry; lists the known models and every model found in MODELS_DIR. */
export const localModelFamily: ModelFamily = {
  prefix: ID_PREFIX,
  usage: "local:<owner/name> for an ONNX model run in this process (files in MODELS_DIR)",
  create(id) {
    const config = readConfig();
    return createLocalModel(parseLocalModelId(id), {
      modelsDir: config.modelsDir,
      downloads: config.MODEL_DOWNLOADS,
      hubUrl: config.HF_ENDPOINT,
    });
  },
  listed() {
    const onDisk = findModelsOnDisk(readConfig().modelsDir);
    return [...new Set([...Object.keys(knownModels), ...onDisk])].map((repoId) => `${ID_PREFIX}${repoId}`);
  },
};
