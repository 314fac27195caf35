import { useEffect, useState } from "react";
import { callApi } from "./client";

/**
 * Which models have a vocabulary in pgvector (scope "vocabulary": nearest words, analogies).
 * GET /api/models lists each one's load status; it is asked once per page.
 */
let vocabularyModels: Promise<Set<string>> | undefined;

function loadVocabularyModels(): Promise<Set<string>> {
  vocabularyModels ??= callApi<{ models: { id: string; vocabulary?: unknown }[] }>("/api/models", { method: "GET" })
    .then(({ models }) => new Set(models.filter((model) => model.vocabulary).map((model) => model.id)))
    .catch(() => {
      vocabularyModels = undefined;
      return new Set<string>();
    });
  return vocabularyModels;
}

/** Whether `model` has a vocabulary; `undefined` until the server has said. */
export function useHasVocabulary(model: string | undefined): boolean | undefined {
  const [answer, setAnswer] = useState<{ model?: string; has: boolean }>();
  useEffect(() => {
    let current = true;
    if (!model) setAnswer({ model, has: false });
    else void loadVocabularyModels().then((ids) => current && setAnswer({ model, has: ids.has(model) }));
    return () => {
      current = false;
    };
  }, [model]);
  return answer !== undefined && answer.model === model ? answer.has : undefined;
}
