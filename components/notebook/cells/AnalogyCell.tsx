"use client";

import { useState } from "react";
import { ApiError, callApi, type ScoredText } from "../client";
import { ScoreList } from "./NeighboursCell";

type Cell = { id: string; type: "analogy"; a: string; b: string; c: string; k: number };

/**
 * a − b + c with GloVe word vectors (king − man + woman → queen), answered from the vocabulary in
 * pgvector with the three inputs excluded; one click adds an answer to the notebook's maps.
 */
export function AnalogyCell({
  cell,
  readOnly,
  onChange,
  onAdd,
}: {
  cell: Cell;
  readOnly: boolean;
  onChange: (cell: Cell) => void;
  onAdd?: (text: string) => void;
}) {
  const [results, setResults] = useState<ScoredText[] | null>(null);
  const [message, setMessage] = useState("Fill in three words and press Solve.");
  const [busy, setBusy] = useState(false);
  const ready = [cell.a, cell.b, cell.c].every((word) => word.trim() !== "");

  async function solve(attempt = 0) {
    setBusy(true);
    setResults(null);
    try {
      const reply = await callApi<{ results: ScoredText[] }>("/api/analogy", {
        body: { model: "glove-100d", a: cell.a, b: cell.b, c: cell.c, k: cell.k },
      });
      setResults(reply.results);
    } catch (error) {
      setMessage((error as Error).message);
      // 503: GloVe's vocabulary is being loaded into pgvector (once); try again shortly.
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
      <ScoreList title="Nearest words in GloVe's vocabulary" results={results} empty={message} onAdd={readOnly ? undefined : onAdd} />
    </div>
  );
}
