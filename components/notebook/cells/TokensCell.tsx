"use client";

import { useEffect, useState } from "react";
import { contextWindows, defaultComparedTokenizers, formatShare } from "@/lib/tokenizers/windows";
import { callApi } from "../client";

type Cell = { id: string; type: "tokens"; text: string; tokenizers?: string[] };
type ModelToken = { text: string; id: number | null; known: boolean; glosses?: string[] };
type ModelReply = { supported: boolean; count: number; tokens: ModelToken[]; note?: string };
type LlmToken = { text: string; id: number; bytes?: number[] };
type LlmReply = { tokenizer: string; count: number; tokens: LlmToken[] };
type TokenizerInfo = { id: string; name: string; models: string[]; licence: string; vocabularySize: number };

/** The row that shows the notebook's embedding model's own tokens. */
const MODEL_ROW = "model";
/** Rows of a cell saved before the choice existed, and of a new cell. */
export const defaultTokenRows = [MODEL_ROW, ...defaultComparedTokenizers];

/**
 * Step one of the story: before a model sees text, a tokenizer cuts it into pieces with ids.
 * The same text, one row per tokenizer: the notebook's embedding model (USE-lite's SentencePiece
 * pieces, GloVe's words, cedict-glove-100d's Chinese words with their glosses) and real LLMs'
 * byte-level BPE (GPT-4o, GPT-4, Qwen3…), each with its count and what that count is of a context
 * window. A piece that is only part of a UTF-8 character shows its bytes.
 */
export function TokensCell({ cell, model, readOnly, onChange }: { cell: Cell; model: string; readOnly: boolean; onChange: (cell: Cell) => void }) {
  const rows = cell.tokenizers ?? defaultTokenRows;
  const tokenizers = useTokenizers();
  const text = useDebounced(cell.text, 250);
  const addable = [MODEL_ROW, ...tokenizers.map((tokenizer) => tokenizer.id)].filter((id) => !rows.includes(id));

  return (
    <div className="tokens-cell">
      <textarea
        aria-label="Text to tokenize"
        rows={2}
        value={cell.text}
        readOnly={readOnly}
        placeholder="Type a sentence to see its tokens"
        onChange={(event) => onChange({ ...cell, text: event.target.value })}
      />
      <div className="tokenizer-rows">
        {rows.map((row) => (
          <section key={row} className="tokenizer-row" data-tokenizer={row} aria-label={`Tokens of ${row === MODEL_ROW ? model : row}`}>
            <div className="tokenizer-row-head">
              <span className="tokenizer-name" title={describe(row, tokenizers)}>
                {row === MODEL_ROW ? `${model} (embedding model)` : (tokenizers.find((tokenizer) => tokenizer.id === row)?.name ?? row)}
              </span>
              {!readOnly && (
                <button type="button" className="link-button" aria-label={`Remove ${row === MODEL_ROW ? model : row}`} onClick={() => onChange({ ...cell, tokenizers: rows.filter((other) => other !== row) })}>
                  ×
                </button>
              )}
            </div>
            {text.trim() === "" ? null : row === MODEL_ROW ? <ModelTokens model={model} text={text} /> : <LlmTokens tokenizer={row} text={text} />}
          </section>
        ))}
      </div>
      {!readOnly && addable.length > 0 && (
        <label className="inline tokenizer-add">
          Compare with
          <select value="" onChange={(event) => event.target.value && onChange({ ...cell, tokenizers: [...rows, event.target.value] })}>
            <option value="">add a tokenizer…</option>
            {addable.map((id) => (
              <option key={id} value={id}>
                {id === MODEL_ROW ? `${model} (embedding model)` : (tokenizers.find((tokenizer) => tokenizer.id === id)?.name ?? id)}
              </option>
            ))}
          </select>
        </label>
      )}
    </div>
  );
}

function ModelTokens({ model, text }: { model: string; text: string }) {
  const { reply, error } = useTokens<ModelReply>({ model, text });
  if (error) return <p className="status error">{error}</p>;
  if (!reply) return null;
  if (!reply.supported) return <p className="hint">{reply.note}</p>;
  return (
    <>
      <p className="hint token-count">
        {countLabel(reply.count)}
        {reply.note ? ` · ${reply.note}` : ""}
      </p>
      <ol className="token-list" aria-label="Tokens">
        {reply.tokens.map((token, i) => (
          <li key={i} className={token.known ? "token" : "token unknown"} title={modelTokenTitle(token)}>
            <span className="token-text">{token.text}</span>
            <span className="token-id">{token.glosses?.length ? token.glosses[0] : (token.id ?? "?")}</span>
          </li>
        ))}
      </ol>
    </>
  );
}

function LlmTokens({ tokenizer, text }: { tokenizer: string; text: string }) {
  const { reply, error } = useTokens<LlmReply>({ tokenizer, text });
  if (error) return <p className="status error">{error}</p>;
  if (!reply) return null;
  return (
    <>
      <p className="hint token-count">
        {countLabel(reply.count)} · {contextWindows.map((window) => `${formatShare(reply.count, window.tokens)} of a ${window.label}`).join(", ")} context window
      </p>
      <ol className="token-list llm-tokens" aria-label="Tokens">
        {reply.tokens.map((token, i) => (
          <li key={i} className={`token llm-token shade-${i % 5}${token.bytes ? " byte-token" : ""}`} title={llmTokenTitle(token)}>
            <span className="token-text">{token.text}</span>
            <span className="token-id">{token.id}</span>
          </li>
        ))}
      </ol>
    </>
  );
}

function useTokens<Reply>(body: { model?: string; tokenizer?: string; text: string }) {
  const [state, setState] = useState<{ reply: Reply | null; error: string | null }>({ reply: null, error: null });
  const { model, tokenizer, text } = body;
  useEffect(() => {
    let cancelled = false;
    callApi<Reply>("/api/tokens", { body: { model, tokenizer, text } })
      .then((reply) => !cancelled && setState({ reply, error: null }))
      .catch((caught: Error) => !cancelled && setState({ reply: null, error: caught.message }));
    return () => {
      cancelled = true;
    };
  }, [model, tokenizer, text]);
  return state;
}

/** The LLM tokenizers the server offers (GET /api/tokenizers); empty until it answers. */
export function useTokenizers(): TokenizerInfo[] {
  const [tokenizers, setTokenizers] = useState<TokenizerInfo[]>([]);
  useEffect(() => {
    callApi<{ tokenizers: TokenizerInfo[] }>("/api/tokenizers", { method: "GET" })
      .then((reply) => setTokenizers(reply.tokenizers))
      .catch(() => setTokenizers([]));
  }, []);
  return tokenizers;
}

/** A picker of the server's LLM tokenizers, labelled; shows `value` alone until the list arrives. */
export function TokenizerSelect({ label, value, onChange }: { label: string; value: string; onChange: (tokenizer: string) => void }) {
  const tokenizers = useTokenizers();
  return (
    <label className="inline">
      {label}
      <select value={value} onChange={(event) => onChange(event.target.value)}>
        {(tokenizers.length > 0 ? tokenizers : [{ id: value, name: value }]).map((option) => (
          <option key={option.id} value={option.id}>
            {option.name}
          </option>
        ))}
      </select>
    </label>
  );
}

function useDebounced<T>(value: T, ms: number): T {
  const [debounced, setDebounced] = useState(value);
  useEffect(() => {
    const timer = setTimeout(() => setDebounced(value), ms);
    return () => clearTimeout(timer);
  }, [value, ms]);
  return debounced;
}

const countLabel = (count: number) => `${count.toLocaleString("en")} ${count === 1 ? "token" : "tokens"}`;

function describe(row: string, tokenizers: TokenizerInfo[]): string {
  if (row === MODEL_ROW) return "The tokens the notebook's embedding model reads";
  const tokenizer = tokenizers.find((candidate) => candidate.id === row);
  return tokenizer ? `Used by ${tokenizer.models.join(", ")} · ${tokenizer.vocabularySize.toLocaleString("en")} tokens · ${tokenizer.licence}` : row;
}

function modelTokenTitle(token: ModelToken): string {
  if (!token.known) return "not in the vocabulary";
  if (token.glosses?.length) return `glosses: ${token.glosses.join("; ")}`;
  return `id ${token.id}`;
}

function llmTokenTitle(token: LlmToken): string {
  if (!token.bytes) return `id ${token.id}`;
  return `id ${token.id} · bytes ${token.bytes.map((byte) => byte.toString(16).padStart(2, "0")).join(" ")}: part of a UTF-8 character, which the next token(s) complete`;
}
