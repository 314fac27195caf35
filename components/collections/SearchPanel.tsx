"use client";

import { useState, type FormEvent } from "react";
import { HighlightedText, HitReasons, SearchModeSelect, scoreLabel } from "@/components/search/SearchHit";
import type { SearchMode } from "@/lib/hybrid-search/modes";
import { searchCollection, type SearchResult } from "./collectionsApi";
import { documentLabel } from "./documentLabel";
import { parseFilter } from "./parseFilter";

const defaultK = 5;

/** A question in, the best chunks out: score, why each came back, document and place in it, and the passage with the question's words marked. */
export function SearchPanel({
  collectionId,
  collectionKey,
  disabled,
  ownVectors = false,
  filterPlaceholder,
}: {
  collectionId: string;
  collectionKey: string | null;
  disabled: boolean;
  /** The collection holds vectors imported with its rows (model own:…): no model turns a question into their space. */
  ownVectors?: boolean;
  /** A filter that fits this collection's metadata, e.g. `filename=notes.md`. */
  filterPlaceholder: string;
}) {
  const [query, setQuery] = useState("");
  const [k, setK] = useState(defaultK);
  const [filter, setFilter] = useState("");
  const [mode, setMode] = useState<SearchMode>(ownVectors ? "keyword" : "hybrid");
  const [state, setState] = useState<{ busy: boolean; error?: string; mode?: SearchMode; results?: SearchResult[]; asked?: string; filtered?: boolean }>({ busy: false });

  async function search(event: FormEvent) {
    event.preventDefault();
    setState((previous) => ({ ...previous, busy: true, error: undefined }));
    try {
      const parsedFilter = parseFilter(filter);
      const reply = await searchCollection(collectionId, collectionKey, { query: query.trim(), k, mode, filter: parsedFilter });
      setState({ busy: false, mode: reply.mode, results: reply.results, asked: query.trim(), filtered: parsedFilter !== undefined });
    } catch (error) {
      setState((previous) => ({ ...previous, busy: false, error: (error as Error).message }));
    }
  }

  return (
    <section className="panel search-panel" aria-labelledby="search-title">
      <h2 id="search-title">Search</h2>
      {ownVectors && (
        <p className="hint" role="note">
          These vectors came with the file: no model here turns a question into their space. Search by keyword, or by a vector.
        </p>
      )}
      <form onSubmit={search}>
        <label htmlFor="search-query">Question or phrase</label>
        <div className="inline-row">
          <input
            id="search-query"
            type="search"
            required
            maxLength={10_000}
            value={query}
            placeholder="What are you looking for?"
            onChange={(event) => setQuery(event.target.value)}
          />
          <button type="submit" disabled={state.busy || disabled}>
            {state.busy ? "Searching…" : "Search"}
          </button>
        </div>
        <div className="search-options">
          <SearchModeSelect id="search-mode" value={mode} onChange={setMode} />
          <label className="inline" htmlFor="search-k">
            Results
            <input id="search-k" type="number" min={1} max={100} value={k} onChange={(event) => setK(event.target.valueAsNumber)} required />
          </label>
          <label className="inline filter-label" htmlFor="search-filter">
            Filter
            <input
              id="search-filter"
              value={filter}
              placeholder={filterPlaceholder}
              spellCheck={false}
              onChange={(event) => setFilter(event.target.value)}
              aria-describedby="search-filter-hint"
            />
          </label>
          <span className="hint" id="search-filter-hint">
            Optional: only documents whose metadata has these key=value pairs (comma-separated).
          </span>
        </div>
      </form>
      {disabled && <p className="hint">Add documents to search them.</p>}
      {state.error && (
        <p className="status error" role="alert">
          {state.error}
        </p>
      )}
      {state.results && state.mode && <SearchResults results={state.results} mode={state.mode} asked={state.asked ?? ""} filtered={state.filtered ?? false} />}
    </section>
  );
}

function SearchResults({ results, mode, asked, filtered }: { results: SearchResult[]; mode: SearchMode; asked: string; filtered: boolean }) {
  if (results.length === 0) return <p className="hint">No chunk matched “{asked}”{filtered ? " with this filter" : ""}.</p>;
  return (
    <ol className="retrieved search-results" aria-label={`Results for ${asked}`}>
      {results.map((result, index) => (
        <li key={result.chunkId} data-document-id={result.documentId}>
          <div className="retrieved-head">
            <span className="retrieved-rank">{index + 1}</span>
            <span className="retrieved-source">
              <strong className="result-document">{documentLabel(result.documentId, result.metadata)}</strong> · chunk {result.position + 1} · document{" "}
              {result.documentId}
            </span>
            <span className="score" title={scoreLabel(mode)}>
              {result.score.toFixed(3)}
            </span>
          </div>
          <HitReasons hit={result} mode={mode} />
          <HighlightedText text={result.text} highlights={result.highlights} />
        </li>
      ))}
    </ol>
  );
}
