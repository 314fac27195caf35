import { AppError } from "../api/errors";
import type { Database } from "../db/connection";
import { findNearestEmbeddings, findNearestVocabularyWords, type ScoredText } from "../db/queries";
import { GLOVE_MODEL_ID, tokenizeForGlove } from "./glove";
import { resolveModel } from "./registry";
import { embedTexts } from "./service";
import type { ModelInfo } from "./types";
import { requireVocabulary } from "./vocabulary";

/**
 * Nearest neighbours of a query through pgvector. `texts`: everything embedded so far with the
 * model, the query itself excluded. `vocabulary`: GloVe's word list, the query's words excluded.
 */
export async function searchNearest(
  db: Database,
  { model: modelId, query, k, scope }: { model?: string; query: string; k: number; scope: "texts" | "vocabulary" },
): Promise<{ model: ModelInfo; results: ScoredText[] }> {
  const model = resolveModel(modelId).info();
  if (scope === "vocabulary") {
    if (model.id !== GLOVE_MODEL_ID) {
      throw new AppError(
        "bad_request:scope",
        `scope "vocabulary" searches GloVe's word list and needs model "${GLOVE_MODEL_ID}", not "${model.id}"; use scope "texts" for other models.`,
      );
    }
    await requireVocabulary(db);
  }
  const { vectors } = await embedTexts(db, { model: model.id, texts: [query] });
  const results =
    scope === "vocabulary"
      ? await findNearestVocabularyWords(db, { model: model.id, vector: vectors[0], k, excludeWords: tokenizeForGlove(query) })
      : await findNearestEmbeddings(db, { model: model.id, vector: vectors[0], k, excludeText: query });
  return { model, results };
}
