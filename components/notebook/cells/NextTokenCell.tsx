"use client";

import { useEffect, useState } from "react";
import { callApi } from "../client";

type Cell = { id: string; type: "next-token"; text: string; model?: string; k: number; steps: number; strategy: "greedy" | "sample"; temperature: number; seed: number };
type Candidate = { text: string; probability: number };
type Reply = { model: string; label: string; context: string[]; tokens: Candidate[]; steps: { chosen: string; tokens: Candidate[] }[]; text: string; note?: string };
type ModelInfo = { id: string; label: string; available: boolean; install?: string };
type ModelList = { default: string; models: ModelInfo[]; missing: { language: string; note: string }[] };

/**
 * The LLM's own step: the text as the model's tokens, bars of the probability of each candidate
 * for the next token, and the growing text. Click a bar to append that token; Generate appends n
 * tokens, greedily or sampled at a temperature (seeded, so the same press gives the same text).
 */
export function NextTokenCell({ cell, readOnly, onChange }: { cell: Cell; readOnly: boolean; onChange: (cell: Cell) => void }) {
  const [list, setList] = useState<ModelList | null>(null);
  const [reply, setReply] = useState<Reply | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  // Where the text the model wrote begins. The model re-reads the grown text in its own words
  // (有 + 一 may come back as 有一), so what it wrote is marked by position, not by token count.
  const [generatedFrom, setGeneratedFrom] = useState<number | null>(null);
  const model = cell.model ?? list?.default ?? "libime-zh";
  const info = list?.models.find((entry) => entry.id === model);

  useEffect(() => {
    callApi<ModelList>("/api/next-tokens", { method: "GET" }).then(setList, (caught: Error) => setError(caught.message));
  }, []);

  useEffect(() => {
    if (cell.text.trim() === "") return setReply(null);
    let cancelled = false;
    const timer = setTimeout(() => {
      callApi<Reply>("/api/next-tokens", { body: { text: cell.text, model, k: cell.k } })
        .then((next) => !cancelled && (setReply(next), setError(null)))
        .catch((caught: Error) => !cancelled && (setReply(null), setError(caught.message)));
    }, 250);
    return () => {
      cancelled = true;
      clearTimeout(timer);
    };
  }, [cell.text, model, cell.k]);

  const append = (token: string) => {
    setGeneratedFrom(generatedFrom ?? cell.text.length);
    onChange({ ...cell, text: cell.text + token });
  };

  async function generate() {
    setBusy(true);
    try {
      const { steps, text, note } = await callApi<Reply>("/api/next-tokens", {
        body: { text: cell.text, model, k: cell.k, steps: cell.steps, strategy: cell.strategy, temperature: cell.temperature, seed: cell.seed },
      });
      if (steps.length > 0) setGeneratedFrom(generatedFrom ?? cell.text.length);
      onChange({ ...cell, text });
      setError(steps.length < cell.steps && note ? note : null);
    } catch (caught) {
      setError((caught as Error).message);
    }
    setBusy(false);
  }

  const best = reply?.tokens[0]?.probability ?? 1;
  const contextStarts = reply ? tokenStarts(cell.text, reply.context) : [];
  const number = (name: "k" | "steps" | "temperature" | "seed", label: string, attributes: { min: number; max: number; step?: number }) => (
    <label className="inline">
      {label}
      <input type="number" aria-label={label} value={cell[name]} readOnly={readOnly} {...attributes} onChange={(event) => event.target.value !== "" && onChange({ ...cell, [name]: Number(event.target.value) })} />
    </label>
  );

  return (
    <div className="next-token-cell">
      <div className="next-token-controls">
        <label className="inline">
          Model
          <select aria-label="Next-token model" value={model} disabled={readOnly} onChange={(event) => onChange({ ...cell, model: event.target.value })}>
            {(list?.models ?? [{ id: model, label: model, available: true }]).map((entry) => (
              <option key={entry.id} value={entry.id} disabled={!entry.available}>
                {entry.label}
                {entry.available ? "" : " · not available"}
              </option>
            ))}
          </select>
        </label>
        {number("k", "Top k", { min: 1, max: 50 })}
      </div>
      {info && !info.available && <p className="hint">{info.install}</p>}
      {list?.missing.map((missing) => (
        <p key={missing.language} className="hint next-token-missing">
          {missing.note}
        </p>
      ))}
      <textarea aria-label="Text so far" rows={2} value={cell.text} readOnly={readOnly} placeholder="Type the start of a text" onChange={(event) => (setGeneratedFrom(null), onChange({ ...cell, text: event.target.value }))} />
      {error && <p className="status error">{error}</p>}
      {reply && (
        <>
          <p className="hint">
            {reply.context.length > 0 ? `${reply.context.length} tokens as ${reply.label}` : reply.label}
            {reply.note ? ` · ${reply.note}` : ""}
          </p>
          {reply.context.length > 0 && (
            <ol className="next-token-context" aria-label="Context tokens">
              {reply.context.map((token, i) => (
                <li key={i} className={generatedFrom !== null && contextStarts[i] >= generatedFrom ? "generated" : undefined}>
                  {token}
                </li>
              ))}
            </ol>
          )}
          <ol className="next-token-bars" aria-label="Next token probabilities">
            {reply.tokens.map((token) => (
              <li key={token.text}>
                <button type="button" disabled={readOnly} onClick={() => append(token.text)} title={readOnly ? undefined : `Append “${token.text}”`}>
                  <span className="next-token-text">{token.text}</span>
                  <span className="next-token-bar" style={{ width: `${(token.probability / best) * 100}%` }} aria-hidden />
                  <span className="next-token-probability">{token.probability.toFixed(3)}</span>
                </button>
              </li>
            ))}
          </ol>
        </>
      )}
      {!readOnly && (
        <div className="next-token-controls">
          <button type="button" onClick={() => void generate()} disabled={busy || cell.text.trim() === "" || (info && !info.available)}>
            {busy ? "Generating…" : `Generate ${cell.steps}`}
          </button>
          {number("steps", "Tokens", { min: 1, max: 50 })}
          <label className="inline">
            Strategy
            <select aria-label="Strategy" value={cell.strategy} onChange={(event) => onChange({ ...cell, strategy: event.target.value as Cell["strategy"] })}>
              <option value="greedy">greedy (likeliest)</option>
              <option value="sample">sample</option>
            </select>
          </label>
          {cell.strategy === "sample" && number("temperature", "Temperature", { min: 0.1, max: 2, step: 0.1 })}
          {cell.strategy === "sample" && number("seed", "Seed", { min: 0, max: 2 ** 31 - 1 })}
        </div>
      )}
      {generatedFrom !== null && (
        <p className="next-token-growing" aria-label="Generated text">
          {cell.text.slice(0, generatedFrom)}
          <mark>{cell.text.slice(generatedFrom)}</mark>
        </p>
      )}
    </div>
  );
}

/** Where each token begins in `text` (tokens in order; spaces between them skipped). */
function tokenStarts(text: string, tokens: string[]): number[] {
  let at = 0;
  return tokens.map((token) => {
    const found = text.indexOf(token, at);
    const start = found >= 0 ? found : at;
    at = start + (found >= 0 ? token.length : 0);
    return start;
  });
}
