"use client";

import { useEffect, useState } from "react";
import { callApi, type ScoredText } from "../client";
import { useVocabularyState, type VocabularyState } from "../vocabularyModels";
import type { Display } from "../display";

type Cell = { id: string; type: "neighbours"; item?: string; k: number };
type Scope = "texts" | "vocabulary";

/**
 * The nearest neighbours of one item: within this exploration (from the similarity matrix), among
 * the texts the server lets anyone read (the examples' items, public collections) plus this
 * exploration's saved items when it has a slug, and in the model's vocabulary when it has one
 * (pgvector). Nobody else's unshared texts are ever searched.
 */
export function NeighboursCell({
  cell,
  display,
  model,
  slug,
  readOnly,
  onChange,
}: {
  cell: Cell;
  display: Display;
  model: string;
  /** The saved exploration's slug: its stored items are searched too. */
  slug?: string;
  readOnly: boolean;
  onChange: (cell: Cell) => void;
}) {
  const vocabulary = useVocabularyState(model);
  const index = cell.item === undefined ? 0 : display.texts.indexOf(cell.item);
  const item = index >= 0 ? display.texts[index] : undefined;
  const local =
    item !== undefined && display.matrix
      ? display.texts
          .map((text, j) => ({ text, score: display.matrix![index][j] }))
          .filter((_, j) => j !== index)
          .sort((a, b) => b.score - a.score)
          .slice(0, cell.k)
      : null;

  return (
    <div className="neighbours">
      <div className="neighbours-controls">
        <label className="inline">
          Item
          <select value={item ?? ""} onChange={(event) => onChange({ ...cell, item: event.target.value })} disabled={display.texts.length === 0}>
            {display.texts.map((text) => (
              <option key={text} value={text}>
                {text.length > 60 ? `${text.slice(0, 57)}…` : text}
              </option>
            ))}
          </select>
        </label>
        <label className="inline">
          k
          <input
            type="number"
            min={1}
            max={50}
            value={cell.k}
            disabled={readOnly}
            onChange={(event) => onChange({ ...cell, k: Math.min(50, Math.max(1, Math.floor(Number(event.target.value) || 1))) })}
          />
        </label>
      </div>
      {item === undefined ? (
        <p className="hint">Run the notebook, then pick an item.</p>
      ) : (
        <div className="neighbour-columns">
          <ScoreList title="In this exploration" results={local} empty="Run the notebook to compare the items." />
          <RemoteNeighbours
            title={`${slug ? "Saved items, examples" : "Examples"} and public collections (${model})`}
            model={model}
            query={item}
            k={cell.k}
            scope="texts"
            slug={slug}
          />
          {vocabulary && (
            <VocabularyNeighbours model={model} state={vocabulary} query={item} k={cell.k} />
          )}
        </div>
      )}
    </div>
  );
}

/**
 * Neighbours among the model's vocabulary words. A vocabulary not in pgvector yet loads on a click,
 * not on opening the page: on the embedded database its index build holds up every other request
 * for a while (tens of seconds for 50,000 words), which a reader of an example did not ask for.
 */
function VocabularyNeighbours({ model, state, query, k }: { model: string; state: VocabularyState; query: string; k: number }) {
  const [asked, setAsked] = useState(state === "ready");
  const title = `${model}'s vocabulary`;
  if (asked) return <RemoteNeighbours title={title} model={model} query={query} k={k} scope="vocabulary" />;
  return (
    <div className="score-list">
      <h3>{title}</h3>
      <p className="hint">Its words are loaded into pgvector once, on first use; the server is busy with it for a while.</p>
      <button type="button" className="secondary small" onClick={() => setAsked(true)}>
        Load and search
      </button>
    </div>
  );
}

function RemoteNeighbours({ title, model, query, k, scope, slug }: { title: string; model: string; query: string; k: number; scope: Scope; slug?: string }) {
  const [state, setState] = useState<{ results: ScoredText[] | null; message?: string }>({ results: null });
  useEffect(() => {
    let cancelled = false;
    let retry: ReturnType<typeof setTimeout> | undefined;
    const load = () =>
      callApi<{ results: ScoredText[] }>("/api/search", { body: { model, query, k, scope, ...(slug ? { within: { explorations: [slug] } } : {}) } })
        .then((reply) => !cancelled && setState({ results: reply.results }))
        .catch((error: { status?: number; message: string }) => {
          if (cancelled) return;
          setState({ results: null, message: error.message });
          // The vocabulary loads into pgvector once, on first use: keep asking until it is there.
          if (error.status === 503) retry = setTimeout(load, 5000);
        });
    setState({ results: null });
    void load();
    return () => {
      cancelled = true;
      clearTimeout(retry);
    };
  }, [model, query, k, scope, slug]);
  return <ScoreList title={title} results={state.results} empty={state.message ?? "Searching…"} />;
}

export function ScoreList({ title, results, empty, onAdd }: { title: string; results: ScoredText[] | null; empty: string; onAdd?: (text: string) => void }) {
  return (
    <div className="score-list">
      <h3>{title}</h3>
      {results === null ? (
        <p className="hint">{empty}</p>
      ) : results.length === 0 ? (
        <p className="hint">Nothing to compare with yet.</p>
      ) : (
        <ol>
          {results.map((result) => (
            <li key={result.text}>
              <span className="score-text" title={result.text}>
                {result.text}
              </span>
              <span className="score-value">{result.score.toFixed(3)}</span>
              {onAdd && (
                <button type="button" className="link small" onClick={() => onAdd(result.text)} aria-label={`Add ${result.text} to the map`}>
                  + map
                </button>
              )}
            </li>
          ))}
        </ol>
      )}
    </div>
  );
}
