import type { ReactNode } from "react";
import "./search.css";
import type { SearchResult } from "@/lib/collections/schemas";
import { searchModes, type SearchMode } from "@/lib/hybrid-search/modes";

/** How each search mode is offered to a person. */
export const searchModeLabels: Record<SearchMode, string> = {
  hybrid: "Hybrid: words and meaning",
  vector: "Meaning only (vectors)",
  keyword: "Words only (BM25)",
};

export function SearchModeSelect({ id, value, onChange, disabled }: { id: string; value: SearchMode; onChange: (mode: SearchMode) => void; disabled?: boolean }) {
  return (
    <label className="inline" htmlFor={id}>
      Search by
      <select id={id} value={value} disabled={disabled} onChange={(event) => onChange(event.target.value as SearchMode)}>
        {searchModes.map((mode) => (
          <option key={mode} value={mode}>
            {searchModeLabels[mode]}
          </option>
        ))}
      </select>
    </label>
  );
}

/** A chunk's text with the words that matched the question marked. */
export function HighlightedText({ text, highlights }: { text: string; highlights: [number, number][] }) {
  const pieces: ReactNode[] = [];
  let at = 0;
  highlights.forEach(([start, end], i) => {
    if (start > at) pieces.push(collapseBlankLines(text.slice(at, start)));
    pieces.push(<mark key={i}>{text.slice(start, end)}</mark>);
    at = end;
  });
  if (at < text.length) pieces.push(collapseBlankLines(text.slice(at)));
  return <p className="hit-text">{pieces}</p>;
}

const collapseBlankLines = (text: string) => text.replace(/\n{2,}/g, "\n");

/** Why a chunk came back: its place and score on each side of the search. */
export function HitReasons({ hit, mode }: { hit: SearchResult; mode: SearchMode }) {
  const { vector, keyword } = hit.parts;
  const words = [...new Set(hit.highlights.map(([start, end]) => hit.text.slice(start, end).toLowerCase()))];
  return (
    <p className="hit-reasons">
      {vector && (
        <span className="hit-vector" title="Cosine similarity between the question's vector and the chunk's">
          meaning {vector.rank === null ? "(not in the top list)" : `#${vector.rank}`} · cosine {vector.score.toFixed(3)}
        </span>
      )}
      {keyword && (
        <span className="hit-keyword" title="BM25: how often the question's words occur in this chunk, weighted by how rare they are in the collection">
          words #{keyword.rank} · BM25 {keyword.score.toFixed(2)}
        </span>
      )}
      {mode === "hybrid" && !keyword && (
        <span className="hit-keyword none">{hit.highlights.length === 0 ? "words: none of the question's" : "words: not in the top list"}</span>
      )}
      {words.length > 0 && <span className="hit-words">matched: {words.join(", ")}</span>}
    </p>
  );
}

/** The score shown beside a result, named for its mode. */
export function scoreLabel(mode: SearchMode): string {
  return mode === "vector" ? "Cosine similarity" : mode === "keyword" ? "BM25 score" : "Fused score: 0.1/(60 + meaning rank) + 1/(60 + words rank)";
}
