import { AppError } from "../api/errors";
import { cedictGlove } from "./cedict/model";
import { huggingFaceFamily } from "./huggingface";
import { localModelFamily } from "./local";
import { ownVectorsFamily } from "./own";
import type { EmbeddingModel, ModelFamily, ModelInfo } from "./types";
import { useLite } from "./use-lite";
import { gloveWordModel } from "./vocabulary";

/** The model used when a request names none. */
export const defaultModelId = "use-lite";

// One line per model, one per family.
const builtInModels: EmbeddingModel[] = [useLite, gloveWordModel, cedictGlove];
const families: ModelFamily[] = [huggingFaceFamily, localModelFamily, ownVectorsFamily];

const localModels = new Map(builtInModels.map((model) => [model.info().id, model]));

// Family models are kept once made, so each remembers what it learned (a remote model's dimension,
// a loaded ONNX session); the oldest is dropped beyond this many, so arbitrary ids in requests
// can't grow the map forever.
const maxFamilyModels = 20;
const familyModels = new Map<string, EmbeddingModel>();

/** The model for `id` (default `use-lite`); throws `bad_request:model` for an unknown id. */
export function resolveModel(id: string = defaultModelId): EmbeddingModel {
  const local = localModels.get(id);
  if (local) return local;
  const family = families.find(({ prefix }) => id.startsWith(prefix));
  if (family) {
    let model = familyModels.get(id);
    if (!model) {
      model = family.create(id);
      familyModels.set(id, model);
      if (familyModels.size > maxFamilyModels) familyModels.delete(familyModels.keys().next().value!);
    }
    return model;
  }
  throw new AppError(
    "bad_request:model",
    `Unknown model "${id.slice(0, 100)}". Use one of ${[...localModels.keys()].join(", ")}, or ${families.map(({ usage }) => usage).join(", or ")}.`,
  );
}

/** The built-in models, each family's listed ids, and every family model used so far (but own vectors'). */
export function listModels(): ModelInfo[] {
  const used = [...familyModels.keys()].filter((id) => !families.find(({ prefix }) => id.startsWith(prefix))?.unlisted);
  const familyIds = new Set([...families.flatMap((family) => family.listed()), ...used]);
  return [...localModels.values(), ...[...familyIds].map((id) => resolveModel(id))].map((model) => model.info());
}

/** The built-in models, which need no configuration (e.g. those a `bad_request:scope` message can name). */
export function builtInModelIds(): string[] {
  return [...localModels.keys()];
}
