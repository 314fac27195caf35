import { useEffect, useState } from "react";
import { callApi } from "./client";

/**
 * Which models have a vocabulary in pgvector (scope "vocabulary": nearest words, analogies), and
 * whether it is loaded yet. GET /api/models lists each one's load status; it is asked once per page.
 */
export type VocabularyState = "absent" | "loading" | "indexing" | "ready";

let vocabularyModels: Promise<Map<string, VocabularyState>> | undefined;

function loadVocabularyModels(): Promise<Map<string, VocabularyState>> {
  vocabularyModels ??= callApi<{ models: { id: string; vocabulary?: { state: VocabularyState } }[] }>("/api/models", { method: "GET" })
    .then(({ models }) => new Map(models.flatMap((model) => (model.vocabulary ? [[model.id, model.vocabulary.state] as const] : []))))
    .catch(() => {
      vocabularyModels = undefined;
      return new Map<string, VocabularyState>();
    });
  return vocabularyModels;
}

/**
 * The state of `model`'s vocabulary when the page asked: `null` when the model has none,
 * `undefined` until the server has said.
 */
export function useVocabularyState(model: string | undefined): VocabularyState | null | undefined {
  const [answer, setAnswer] = useState<{ model?: string; state: VocabularyState | null }>();
  useEffect(() => {
    let current = true;
    if (!model) setAnswer({ model, state: null });
    else void loadVocabularyModels().then((states) => current && setAnswer({ model, state: states.get(model) ?? null }));
    return () => {
      current = false;
    };
  }, [model]);
  return answer !== undefined && answer.model === model ? answer.state : undefined;
}

/** Whether `model` has a vocabulary; `undefined` until the server has said. */
export function useHasVocabulary(model: string | undefined): boolean | undefined {
  const state = useVocabularyState(model);
  return state === undefined ? undefined : state !== null;
}
