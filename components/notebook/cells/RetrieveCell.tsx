"use client";

import { useEffect, useMemo, useState } from "react";
import { MapPlot } from "@/components/map/MapPlot";
import { HighlightedText, HitReasons, SearchModeSelect, scoreLabel } from "@/components/search/SearchHit";
import { buildPrompt, defaultPromptTemplate } from "@/lib/collections/prompt";
import type { SearchResult } from "@/lib/collections/schemas";
import type { SearchMode } from "@/lib/hybrid-search/modes";
import { contextWindows, formatShare } from "@/lib/tokenizers/windows";
import { callApi, type Point } from "../client";
import { CopyButton } from "../CopyButton";
import { TokenizerSelect } from "./TokensCell";

type Cell = { id: string; type: "retrieve"; collection: string; question: string; k: number; mode?: SearchMode; template?: string; tokenizer?: string };
type Chunk = { chunkId: string; documentId: string; position: number; text: string; metadata: Record<string, unknown> };
/** `question`: null while the collection's map has no point yet (a big collection's map job has not run). */
type Retrieved = { mode: SearchMode; results: SearchResult[]; chunks: Chunk[]; points: Point[]; question: Point | null };

/**
 * Retrieval-augmented generation, step by step: the question is embedded, the collection is
 * searched (by default both by meaning, through pgvector, and by words, through BM25, the two
 * lists fused), each chunk says why it came back, the chunks are shown on a map of the whole collection (laid out
 * on the server from their stored vectors) with the question placed among them (UMAP transform:
 * the map does not move), and the prompt an LLM would get is assembled from an editable template,
 * ready to copy.
 */
export function RetrieveCell({ cell, readOnly, onChange }: { cell: Cell; readOnly: boolean; onChange: (cell: Cell) => void }) {
  const [key, setKey] = useState("");
  const [state, setState] = useState<{ busy: boolean; error?: string; retrieved?: Retrieved }>({ busy: false });
  const generation = useGeneration();
  const template = cell.template ?? defaultPromptTemplate;
  const mode = cell.mode ?? "hybrid";
  const retrieved = state.retrieved;
  const prompt = retrieved ? buildPrompt(template, { passages: retrieved.results.map((result) => result.text), question: cell.question }) : "";

  async function retrieve() {
    setState({ busy: true });
    try {
      const auth = key.trim() || undefined;
      const base = `/api/collections/${encodeURIComponent(cell.collection)}`;
      const [search, map] = await Promise.all([
        callApi<{ mode: SearchMode; results: SearchResult[] }>(`${base}/search`, { body: { query: cell.question, k: cell.k, mode }, editKey: auth }),
        callApi<{ chunks: (Chunk & { x: number; y: number })[]; question?: { x: number; y: number } }>(`${base}/map`, {
          body: { question: cell.question },
          editKey: auth,
        }),
      ]);
      setState({
        busy: false,
        retrieved: {
          mode: search.mode,
          results: search.results,
          chunks: map.chunks,
          points: map.chunks.map((chunk) => [chunk.x, chunk.y]),
          question: map.question ? [map.question.x, map.question.y] : null,
        },
      });
    } catch (error) {
      setState({ busy: false, error: (error as Error).message });
    }
  }

  const mapData = useMemo(() => (retrieved ? collectionMap(retrieved) : null), [retrieved]);

  return (
    <div className="retrieve-cell">
      <div className="retrieve-controls">
        <label className="inline">
          Collection
          <input value={cell.collection} readOnly={readOnly} onChange={(event) => onChange({ ...cell, collection: event.target.value.trim() })} size={14} />
        </label>
        <label className="inline">
          Key
          <input type="password" value={key} onChange={(event) => setKey(event.target.value)} placeholder="private only" size={12} autoComplete="off" />
        </label>
        <label className="inline">
          k
          <input type="number" min={1} max={20} value={cell.k} onChange={(event) => onChange({ ...cell, k: Math.min(20, Math.max(1, Math.floor(Number(event.target.value) || 1))) })} />
        </label>
        <SearchModeSelect id={`${cell.id}-mode`} value={mode} disabled={readOnly} onChange={(next) => onChange({ ...cell, mode: next })} />
      </div>
      <div className="retrieve-question">
        <input
          aria-label="Question"
          value={cell.question}
          placeholder="Ask a question the collection can answer"
          onChange={(event) => onChange({ ...cell, question: event.target.value })}
          onKeyDown={(event) => event.key === "Enter" && cell.question.trim() && void retrieve()}
        />
        <button type="button" onClick={() => void retrieve()} disabled={state.busy || cell.question.trim() === "" || cell.collection === ""}>
          {state.busy ? "Retrieving…" : "Retrieve"}
        </button>
      </div>
      {state.error && <p className="status error">{state.error}</p>}
      {retrieved && mapData && (
        <>
          <ol className="retrieved" aria-label="Retrieved chunks">
            {retrieved.results.map((result, i) => (
              <li key={result.chunkId}>
                <div className="retrieved-head">
                  <span className="retrieved-rank">[{i + 1}]</span>
                  <span className="retrieved-source">{chunkLabel(result)}</span>
                  <span className="score-value" title={scoreLabel(retrieved.mode)}>
                    {result.score.toFixed(3)}
                  </span>
                </div>
                <HitReasons hit={result} mode={retrieved.mode} />
                <HighlightedText text={result.text} highlights={result.highlights} />
              </li>
            ))}
          </ol>
          <p className="hint">The collection&apos;s {retrieved.chunks.length} chunks by meaning; the question is placed among them and its retrieved chunks are ringed.</p>
          <MapPlot {...mapData} height={420} ariaLabel={`Map of ${retrieved.chunks.length} chunks and the question`} />
          <label htmlFor={`${cell.id}-template`}>Prompt template · {"{{context}}"} and {"{{question}}"} are filled in</label>
          <textarea
            id={`${cell.id}-template`}
            className="prompt-template"
            rows={6}
            value={template}
            readOnly={readOnly}
            onChange={(event) => onChange({ ...cell, template: event.target.value })}
          />
          <div className="prompt-head">
            <label htmlFor={`${cell.id}-prompt`}>Augmented prompt, ready to paste into any LLM</label>
            <CopyButton text={prompt} />
          </div>
          <textarea id={`${cell.id}-prompt`} className="prompt" rows={12} value={prompt} readOnly />
          <PromptTokenCount prompt={prompt} tokenizer={cell.tokenizer ?? "o200k_base"} onTokenizer={readOnly ? undefined : (tokenizer) => onChange({ ...cell, tokenizer })} />
          <GeneratedAnswer prompt={prompt} generation={generation} />
        </>
      )}
    </div>
  );
}

function chunkLabel(chunk: Chunk): string {
  const title = typeof chunk.metadata.title === "string" ? chunk.metadata.title : `Document ${chunk.documentId}`;
  return `${title} · part ${chunk.position + 1}`;
}

/** Columns for the map: every chunk coloured by its document, plus the question as its own group. */
function collectionMap({ chunks, points, question, results }: Retrieved) {
  const documents = [...new Set(chunks.map((chunk) => chunk.documentId))];
  const names = documents.map((id) => {
    const chunk = chunks.find((other) => other.documentId === id)!;
    return typeof chunk.metadata.title === "string" ? chunk.metadata.title : `Document ${id}`;
  });
  const retrievedIds = new Set(results.map((result) => result.chunkId));
  const questionIndex = chunks.length;
  const rank = new Map(results.map((result, i) => [result.chunkId, i + 1]));
  const asked = question ? [question] : [];
  return {
    x: [...points.map((point) => point[0]), ...asked.map((point) => point[0])],
    y: [...points.map((point) => point[1]), ...asked.map((point) => point[1])],
    labels: [...chunks.map((chunk) => (rank.has(chunk.chunkId) ? `[${rank.get(chunk.chunkId)}] ${names[documents.indexOf(chunk.documentId)]}` : names[documents.indexOf(chunk.documentId)])), ...asked.map(() => "Question")],
    groups: [...chunks.map((chunk) => documents.indexOf(chunk.documentId)), ...asked.map(() => documents.length)],
    groupNames: [...names, "question"],
    highlight: [...chunks.flatMap((chunk, i) => (retrievedIds.has(chunk.chunkId) ? [i] : [])), ...(question ? [questionIndex] : [])],
    // The map shows meaning: each retrieved chunk's cosine to the question (absent in keyword mode).
    neighbours: [
      ...chunks.map(() => []),
      ...asked.map(() => results.map((result) => ({ index: chunks.findIndex((chunk) => chunk.chunkId === result.chunkId), score: result.parts.vector?.score ?? result.score }))),
    ],
  };
}

/** 128k: the window the count is measured against (GPT-4o's). */
const promptWindow = contextWindows[1];

/** How many tokens the augmented prompt takes for a chosen LLM tokenizer, and what share of a 128k window that is. */
function PromptTokenCount({ prompt, tokenizer, onTokenizer }: { prompt: string; tokenizer: string; onTokenizer?: (tokenizer: string) => void }) {
  const [state, setState] = useState<{ count?: number; error?: string }>({});
  useEffect(() => {
    let cancelled = false;
    const timer = setTimeout(() => {
      callApi<{ count: number }>("/api/tokens", { body: { tokenizer, text: prompt } })
        .then((reply) => !cancelled && setState({ count: reply.count }))
        .catch((caught: Error) => !cancelled && setState({ error: caught.message }));
    }, 250);
    return () => {
      cancelled = true;
      clearTimeout(timer);
    };
  }, [prompt, tokenizer]);
  return (
    <div className="prompt-tokens">
      <span className="hint prompt-token-count" aria-live="polite">
        {state.error ??
          (state.count === undefined
            ? "Counting tokens…"
            : `${state.count.toLocaleString("en")} tokens (${tokenizer}) of a ${promptWindow.label} window: ${formatShare(state.count, promptWindow.tokens)}`)}
      </span>
      {onTokenizer && <TokenizerSelect label="Tokenizer" value={tokenizer} onChange={onTokenizer} />}
    </div>
  );
}

type Generation = { available: boolean; model: string; reason?: string } | null;

function useGeneration(): Generation {
  const [generation, setGeneration] = useState<Generation>(null);
  useEffect(() => {
    callApi<NonNullable<Generation>>("/api/generate", { method: "GET" })
      .then(setGeneration)
      .catch(() => setGeneration(null));
  }, []);
  return generation;
}

/** The optional last step: the prompt sent to a text-generation model (when HF_TOKEN is set). */
function GeneratedAnswer({ prompt, generation }: { prompt: string; generation: Generation }) {
  const [answer, setAnswer] = useState<{ busy: boolean; text?: string; error?: string }>({ busy: false });
  useEffect(() => setAnswer({ busy: false }), [prompt]);
  if (!generation) return null;
  if (!generation.available) return <p className="hint">No LLM is needed to see the prompt. {generation.reason}</p>;
  return (
    <div className="generated">
      <button
        type="button"
        className="secondary"
        disabled={answer.busy}
        onClick={async () => {
          setAnswer({ busy: true });
          try {
            const reply = await callApi<{ text: string }>("/api/generate", { body: { prompt } });
            setAnswer({ busy: false, text: reply.text });
          } catch (error) {
            setAnswer({ busy: false, error: (error as Error).message });
          }
        }}
      >
        {answer.busy ? "Asking…" : `Ask ${generation.model}`}
      </button>
      {answer.error && <p className="status error">{answer.error}</p>}
      {answer.text && (
        <blockquote className="answer" aria-label="Answer">
          {answer.text}
        </blockquote>
      )}
    </div>
  );
}
