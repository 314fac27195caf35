import { AppError } from "../api/errors";
import type { Database } from "../db/connection";
import { findNearestEmbeddings, findNearestVocabularyWords, type ScoredText } from "../db/queries";
import { normalize } from "../vectors";
import { builtInModelIds, resolveModel } from "./registry";
import { keepReadable, type TextWarning } from "./readability";
import { embedTexts } from "./service";
import type { ModelInfo } from "./types";
import { hasVocabulary, requireVocabulary } from "./vocabulary";

/**
 * Nearest neighbours through pgvector. Scope `texts`: everything embedded so far with the model.
 * Scope `vocabulary`: a word model's vocabulary (GloVe's English words, cedict-glove-100d's
 * Chinese headwords). The query's own texts (or words) are never in the results.
 */
export type SearchScope = "texts" | "vocabulary";

export interface SearchResults {
  model: ModelInfo;
  results: ScoredText[];
  /** The query's texts the model embedded without knowing all their pieces. */
  warnings: TextWarning[];
}

/** The `k` nearest neighbours of a query text. */
export async function searchNearest(
  db: Database,
  { model: modelId, query, k, scope }: { model?: string; query: string; k: number; scope: SearchScope },
): Promise<SearchResults> {
  const model = await checkScope(db, modelId, scope);
  const { vectors, warnings } = await embedTexts(db, { model: model.id, texts: [query] });
  return { model, results: await nearestToVector(db, { model: model.id, vector: vectors[0], k, scope, exclude: [query] }), warnings };
}

/**
 * Analogy by vector arithmetic (3CosAdd): the neighbours of a − b + c, e.g. king − man + woman →
 * queen. The three inputs are excluded from the answers, as the standard evaluation does.
 */
export async function solveAnalogy(
  db: Database,
  { model: modelId, a, b, c, k, scope }: { model?: string; a: string; b: string; c: string; k: number; scope: SearchScope },
): Promise<SearchResults> {
  const model = await checkScope(db, modelId, scope);
  const { vectors, warnings } = await embedTexts(db, { model: model.id, texts: [a, b, c] });
  const [va, vb, vc] = vectors;
  let target: number[];
  try {
    target = normalize(va.map((value, i) => value - vb[i] + vc[i]));
  } catch {
    throw new AppError("bad_request:analogy", "a − b + c is the zero vector, which has no neighbours; choose other texts.");
  }
  return { model, results: await nearestToVector(db, { model: model.id, vector: target, k, scope, exclude: [a, b, c] }), warnings };
}

async function checkScope(db: Database, modelId: string | undefined, scope: SearchScope): Promise<ModelInfo> {
  const resolved = resolveModel(modelId);
  const model = resolved.info();
  if (scope === "vocabulary") {
    if (!hasVocabulary(resolved)) {
      const withVocabulary = builtInModelIds().filter((id) => hasVocabulary(resolveModel(id)));
      throw new AppError(
        "bad_request:scope",
        `scope "vocabulary" searches a word model's vocabulary, and "${model.id}" has none; use model ${withVocabulary.map((id) => `"${id}"`).join(" or ")}, or scope "texts" for other models.`,
      );
    }
    await requireVocabulary(db, resolved);
  }
  return model;
}

async function nearestToVector(
  db: Database,
  { model, vector, k, scope, exclude }: { model: string; vector: number[]; k: number; scope: SearchScope; exclude: string[] },
): Promise<ScoredText[]> {
  return scope === "vocabulary"
    ? findNearestVocabularyWords(db, { model, vector, k, excludeWords: await vocabularyWordsIn(model, exclude) })
    : keepReadable(resolveModel(model), await findNearestEmbeddings(db, { model, vector, k, excludeTexts: exclude }));
}

/** The vocabulary words the query texts stand for, left out of the answers. */
async function vocabularyWordsIn(modelId: string, texts: string[]): Promise<string[]> {
  const model = resolveModel(modelId);
  return hasVocabulary(model) ? (await Promise.all(texts.map((text) => model.vocabulary.wordsIn(text)))).flat() : [];
}
