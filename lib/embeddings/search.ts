import { AppError } from "../api/errors";
import type { SearchWithin } from "../api/schemas";
import { findReadable } from "../collections/service";
import type { Database } from "../db/connection";
import { findExistingSlugs, findNearestReadableTexts, findNearestVocabularyWords, type ReadableSources, type ScoredText } from "../db/queries";
import { examples } from "../explorations/examples";
import { parseItems } from "../explorations/parse";
import { isWellFormedSlug } from "../keys";
import { normalize } from "../vectors";
import { builtInModelIds, resolveModel } from "./registry";
import { keepReadable, type TextWarning } from "./readability";
import { embedTexts } from "./service";
import type { ModelInfo } from "./types";
import { hasVocabulary, requireVocabulary } from "./vocabulary";

/**
 * Nearest neighbours through pgvector. Scope `texts`: the texts the caller may read that have a
 * vector for the model: the built-in examples' items, public collections' chunks, and what
 * `within` names (explorations by slug, collections by id and key). The embedding cache is shared
 * by everyone, so it holds items of explorations nobody shared: those are never answers.
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
  { model: modelId, query, k, scope, within }: { model?: string; query: string; k: number; scope: SearchScope; within?: SearchWithin },
): Promise<SearchResults> {
  const model = await checkScope(db, modelId, scope, within);
  const readable = scope === "texts" ? await readableSources(db, model, within) : undefined;
  // A question is not stored in the shared cache: how fast it embeds must not tell anyone else it was asked.
  const { vectors, warnings } = await embedTexts(db, { model: model.id, texts: [query], store: false });
  return { model, results: await nearestToVector(db, { model: model.id, vector: vectors[0], k, readable, exclude: [query] }), warnings };
}

/**
 * Analogy by vector arithmetic (3CosAdd): the neighbours of a − b + c, e.g. king − man + woman →
 * queen. The three inputs are excluded from the answers, as the standard evaluation does.
 */
export async function solveAnalogy(
  db: Database,
  { model: modelId, a, b, c, k, scope, within }: { model?: string; a: string; b: string; c: string; k: number; scope: SearchScope; within?: SearchWithin },
): Promise<SearchResults> {
  const model = await checkScope(db, modelId, scope, within);
  const readable = scope === "texts" ? await readableSources(db, model, within) : undefined;
  const { vectors, warnings } = await embedTexts(db, { model: model.id, texts: [a, b, c], store: false });
  const [va, vb, vc] = vectors;
  let target: number[];
  try {
    target = normalize(va.map((value, i) => value - vb[i] + vc[i]));
  } catch {
    throw new AppError("bad_request:analogy", "a − b + c is the zero vector, which has no neighbours; choose other texts.");
  }
  return { model, results: await nearestToVector(db, { model: model.id, vector: target, k, readable, exclude: [a, b, c] }), warnings };
}

async function checkScope(db: Database, modelId: string | undefined, scope: SearchScope, within: SearchWithin | undefined): Promise<ModelInfo> {
  const resolved = resolveModel(modelId);
  const model = resolved.info();
  if (scope === "vocabulary") {
    if (within !== undefined) {
      throw new AppError("bad_request:within", 'within names what scope "texts" searches; scope "vocabulary" searches the model\'s vocabulary only. Leave within out, or use scope "texts".');
    }
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
  { model, vector, k, readable, exclude }: { model: string; vector: number[]; k: number; readable: ReadableSources | undefined; exclude: string[] },
): Promise<ScoredText[]> {
  return readable === undefined
    ? findNearestVocabularyWords(db, { model, vector, k, excludeWords: await vocabularyWordsIn(model, exclude) })
    : keepReadable(resolveModel(model), await findNearestReadableTexts(db, { model, vector, k, excludeTexts: exclude, readable }));
}

/** The built-in examples' items: everyone may read them, so every texts search includes them. */
const exampleTexts = [...new Set(examples.flatMap((example) => parseItems(example.source).items.map((item) => item.text)))];

/**
 * What a texts search may read, checked before anything is embedded: every named exploration
 * must exist (404 otherwise), every named collection must open with its key (401/403/404) and
 * hold the search's model (400: its vectors would not compare).
 */
async function readableSources(db: Database, model: ModelInfo, within: SearchWithin = { explorations: [], collections: [] }): Promise<ReadableSources> {
  const slugs = [...new Set(within.explorations)];
  const existing = await findExistingSlugs(db, { slugs: slugs.filter(isWellFormedSlug) });
  const unknown = slugs.find((slug) => !existing.has(slug));
  if (unknown !== undefined) {
    throw new AppError("not_found:exploration", `within.explorations: no exploration has the slug "${unknown}".`);
  }
  const collectionIds: bigint[] = [];
  for (const [index, { id, key }] of within.collections.entries()) {
    const row = await findReadable(db, id, key ?? null).catch((error: unknown) => {
      if (!(error instanceof AppError) || error.code !== "unauthorized:collection") throw error;
      throw new AppError("unauthorized:collection", `within.collections[${index}]: collection "${id}" is private; send its read or write key as key.`);
    });
    if (row.model !== model.id) {
      throw new AppError(
        "bad_request:within",
        `within.collections[${index}]: collection "${id}" holds ${row.model} vectors, and this search embeds with ${model.id}; search it with model "${row.model}", or leave it out.`,
      );
    }
    if (!row.isPublic) collectionIds.push(row.id);
  }
  return { publicTexts: exampleTexts, explorationSlugs: slugs, collectionIds };
}

/** The vocabulary words the query texts stand for, left out of the answers. */
async function vocabularyWordsIn(modelId: string, texts: string[]): Promise<string[]> {
  const model = resolveModel(modelId);
  return hasVocabulary(model) ? (await Promise.all(texts.map((text) => model.vocabulary.wordsIn(text)))).flat() : [];
}
