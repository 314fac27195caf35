import { AppError, isAppError } from "../api/errors";
import { builtInModelIds, defaultModelId, resolveModel } from "../embeddings/registry";
import type { EmbeddingModel } from "../embeddings/types";

/**
 * Which app model answers a `model` name sent to /v1/embeddings: an alias from
 * OPENAI_MODEL_ALIASES first, then OpenAI's own names (the default model, use-lite), then the name
 * as an app model id (use-lite, glove-100d, cedict-glove-100d, hf:…, local:…).
 */

/** OpenAI's embedding models: clients send these names by default (LangChain.js: text-embedding-ada-002). */
export const openAiModelNames = ["text-embedding-3-small", "text-embedding-3-large", "text-embedding-ada-002"] as const;

const maxAliasLength = 100;

/**
 * Parses `name=model,name=model` (spaces around either are ignored; unset or empty: no aliases).
 * Throws a plain error naming the entry at fault: a missing `=`, an empty side, a name given twice,
 * a name that is an app model id (it would hide that model), or a model that does not exist.
 */
export function parseModelAliases(value: string | undefined): Map<string, string> {
  const aliases = new Map<string, string>();
  for (const entry of (value ?? "").split(",").map((part) => part.trim()).filter(Boolean)) {
    const at = entry.indexOf("=");
    const name = entry.slice(0, Math.max(at, 0)).trim();
    const target = entry.slice(at + 1).trim();
    if (at < 0 || !name || !target) throw new Error(`entry "${entry}" must read name=model, e.g. text-embedding-3-small=use-lite`);
    if (name.length > maxAliasLength) throw new Error(`alias "${name.slice(0, 40)}…" is longer than ${maxAliasLength} characters`);
    if (aliases.has(name)) throw new Error(`alias "${name}" is given twice`);
    if (builtInModelIds().includes(name)) throw new Error(`alias "${name}" is the id of an app model; choose another name`);
    try {
      resolveModel(target);
    } catch (error) {
      throw new Error(`alias "${name}" points at ${isAppError(error) ? error.message : `"${target}", which can't be used`}`);
    }
    aliases.set(name, target);
  }
  return aliases;
}

let parsed: { source: string | undefined; aliases: Map<string, string> } | undefined;

/** OPENAI_MODEL_ALIASES, parsed once per value; a bad value is a 500 naming the variable and the entry. */
function configuredAliases(): Map<string, string> {
  const source = process.env.OPENAI_MODEL_ALIASES;
  if (parsed && parsed.source === source) return parsed.aliases;
  try {
    parsed = { source, aliases: parseModelAliases(source) };
    return parsed.aliases;
  } catch (error) {
    throw new AppError("internal:config", `The server's OPENAI_MODEL_ALIASES setting is invalid: ${(error as Error).message}.`);
  }
}

/**
 * The app model that answers for `name`. Throws `bad_request:model` for a name that is neither an
 * alias, an OpenAI name nor an app model id, listing all three kinds.
 */
export function resolveOpenAiModel(name: string, aliases: Map<string, string> = configuredAliases()): EmbeddingModel {
  const id = aliases.get(name) ?? ((openAiModelNames as readonly string[]).includes(name) ? defaultModelId : name);
  try {
    return resolveModel(id);
  } catch (error) {
    if (!isAppError(error) || error.code !== "bad_request:model") throw error;
    const aliasNames = aliases.size > 0 ? `, the aliases ${[...aliases.keys()].join(", ")}` : "";
    throw new AppError("bad_request:model", `${error.message} Here you may also send one of OpenAI's names (${openAiModelNames.join(", ")})${aliasNames}.`, {
      details: { openAiCode: "model_not_found" },
    });
  }
}
