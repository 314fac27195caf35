"use client";

import { useState } from "react";
import { ApiError, callApi, type ScoredText } from "../client";
import { useHasVocabulary } from "../vocabularyModels";
import { ScoreList } from "./NeighboursCell";

type Cell = { id: string; type: "analogy"; a: string; b: string; c: string; k: number };

/** The model analogies fall back to when the notebook's model has no vocabulary (a sentence model). */
const fallbackModel = "glove-100d";

/**
 * a − b + c with word vectors (king − man + woman → queen; 国王 − 男人 + 女人 → 女王), answered from
 * a word model's vocabulary in pgvector with the three inputs excluded: the notebook's `model`
 * when it has a vocabulary (glove-100d, cedict-glove-100d), else GloVe's. One click adds an answer
 * to the notebook's maps.
 */
export function AnalogyCell({
  cell,
  model,
  readOnly,
  onChange,
  onAdd,
}: {
  cell: Cell;
  /** The notebook's model; used when it has a vocabulary. */
  model?: string;
  readOnly: boolean;
  onChange: (cell: Cell) => void;
  onAdd?: (text: string) => void;
}) {
  const solver = useHasVocabulary(model) && model ? model : fallbackModel;
  const [results, setResults] = useState<ScoredText[] | null>(null);
  const [message, setMessage] = useState("Fill in three words and press Solve.");
  const [busy, setBusy] = useState(false);
  const ready = [cell.a, cell.b, cell.c].every((word) => word.trim() !== "");

  async function solve(attempt = 0) {
    setBusy(true);
    setResults(null);
    try {
      const reply = await callApi<{ results: ScoredText[] }>("/api/analogy", {
        body: { model: solver, a: cell.a, b: cell.b, c: cell.c, k: cell.k },
      });
      setResults(reply.results);
    } catch (error) {
      setMessage((error as Error).message);
      // 503: the model's vocabulary is being loaded into pgvector (once); try again shortly.
      if (error instanceof ApiError && error.status === 503 && attempt < 60) {
        setTimeout(() => void solve(attempt + 1), 5000);
        return;
      }
    }
    setBusy(false);
  }

  const field = (name: "a" | "b" | "c", label: string) => (
    <input
      aria-label={label}
      value={cell[name]}
      placeholder={label}
      readOnly={readOnly}
      onChange={(event) => onChange({ ...cell, [name]: event.target.value })}
      onKeyDown={(event) => event.key === "Enter" && ready && void solve()}
    />
  );

  return (
    <div className="analogy">
      <div className="analogy-equation">
        {field("a", "a (e.g. king)")}
        <span aria-hidden>−</span>
        {field("b", "b (e.g. man)")}
        <span aria-hidden>+</span>
        {field("c", "c (e.g. woman)")}
        <span aria-hidden>≈</span>
        <button type="button" onClick={() => void solve()} disabled={!ready || busy}>
          {busy ? "Solving…" : "Solve"}
        </button>
      </div>
      <ScoreList title={`Nearest words in ${solver}'s vocabulary`} results={results} empty={message} onAdd={readOnly ? undefined : onAdd} />
    </div>
  );
}
