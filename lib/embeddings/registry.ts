import { AppError } from "../api/errors";
import { readConfig } from "../config";
import { glove } from "./glove";
import { createHuggingFaceModel, parseHuggingFaceModelId } from "./huggingface";
import type { EmbeddingModel, ModelInfo } from "./types";
import { useLite } from "./use-lite";

/** The model used when a request names none. */
export const defaultModelId = "use-lite";

/** Listed by GET /api/models as an example remote model; any `hf:<owner/name>` is accepted. */
const suggestedRemoteModelId = "hf:sentence-transformers/all-MiniLM-L6-v2";

const localModels = new Map<string, EmbeddingModel>([
  [useLite.info().id, useLite],
  [glove.info().id, glove],
]);

// Remote models are created on first use and kept, so each remembers its learned dimension; the
// oldest is dropped beyond this many, so arbitrary ids in requests can't grow the map forever.
const maxRemoteModels = 20;
const remoteModels = new Map<string, EmbeddingModel>();

/** The model for `id` (default `use-lite`); throws `bad_request:model` for an unknown id. */
export function resolveModel(id: string = defaultModelId): EmbeddingModel {
  const local = localModels.get(id);
  if (local) return local;
  if (id.startsWith("hf:")) {
    let remote = remoteModels.get(id);
    if (!remote) {
      remote = createHuggingFaceModel(parseHuggingFaceModelId(id), { timeoutMs: readConfig().HF_TIMEOUT_MS });
      remoteModels.set(id, remote);
      if (remoteModels.size > maxRemoteModels) remoteModels.delete(remoteModels.keys().next().value!);
    }
    return remote;
  }
  throw new AppError(
    "bad_request:model",
    `Unknown model "${id.slice(0, 100)}". Use one of ${[...localModels.keys()].join(", ")}, or hf:<owner/name> for a Hugging Face model.`,
  );
}

/** Every local model, the suggested remote one, and each remote model used so far. */
export function listModels(): ModelInfo[] {
  const remoteIds = new Set([suggestedRemoteModelId, ...remoteModels.keys()]);
  return [...localModels.values(), ...[...remoteIds].map((id) => resolveModel(id))].map((model) => model.info());
}
