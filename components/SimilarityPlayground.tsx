"use client";

import { useState, type FormEvent, type KeyboardEvent } from "react";
import type { ModelInfo } from "@/lib/embeddings/types";
import { SimilarityMatrix } from "./SimilarityMatrix";

const exampleTexts = ["cat", "dog", "animal", "pet", "car", "truck", "banana"].join("\n");

type Result = { model: string; texts: string[]; matrix: number[][] };

/** Text box + model picker → POST /api/similarity → the cosine matrix and the closest pairs. */
export function SimilarityPlayground({ models, defaultModel }: { models: ModelInfo[]; defaultModel: string }) {
  const [model, setModel] = useState(defaultModel);
  const [input, setInput] = useState(exampleTexts);
  const [result, setResult] = useState<Result | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [running, setRunning] = useState(false);

  const texts = input.split("\n").map((line) => line.trim()).filter(Boolean);

  async function run(event?: FormEvent) {
    event?.preventDefault();
    if (texts.length === 0) return setError("Type at least one word or sentence.");
    setRunning(true);
    setError(null);
    try {
      const response = await fetch("/api/similarity", {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ model, texts }),
      });
      const body = await response.json();
      if (!response.ok) throw new Error(body.error?.message ?? `Request failed (${response.status}).`);
      setResult(body as Result);
    } catch (caught) {
      setError((caught as Error).message);
    } finally {
      setRunning(false);
    }
  }

  function onKeyDown(event: KeyboardEvent<HTMLTextAreaElement>) {
    if (event.key === "Enter" && (event.metaKey || event.ctrlKey)) void run();
  }

  return (
    <div className="playground">
      <form className="panel playground-input" onSubmit={run}>
        <label htmlFor="model">Model</label>
        <select id="model" value={model} onChange={(event) => setModel(event.target.value)}>
          {models.map((option) => (
            <option key={option.id} value={option.id} disabled={!option.available}>
              {option.id}
              {option.dims ? ` · ${option.dims} dims` : ""} · {option.kind}
              {option.available ? "" : " (not configured)"}
            </option>
          ))}
        </select>
        <p className="hint">{models.find((option) => option.id === model)?.description}</p>
        <label htmlFor="texts">Words or sentences, one per line</label>
        <textarea id="texts" value={input} onChange={(event) => setInput(event.target.value)} onKeyDown={onKeyDown} spellCheck={false} />
        <div className="playground-actions">
          <button type="submit" disabled={running}>
            {running ? "Embedding…" : "Compare"}
          </button>
          <span className="hint">
            {texts.length} {texts.length === 1 ? "text" : "texts"} · Ctrl/⌘+Enter
          </span>
        </div>
        {error && (
          <p className="error" role="alert">
            {error}
          </p>
        )}
      </form>
      <section className="panel playground-output" aria-live="polite">
        {result ? (
          <SimilarityMatrix texts={result.texts} matrix={result.matrix} model={result.model} />
        ) : (
          <p className="hint">Press Compare to embed the texts and see their cosine similarities.</p>
        )}
      </section>
      <style>{`
        .playground { display: grid; grid-template-columns: minmax(260px, 340px) 1fr; gap: 20px; align-items: start; }
        .playground-input select { margin-bottom: 4px; }
        .playground-input .hint { margin: 0 0 16px; }
        .playground-actions { display: flex; align-items: center; gap: 12px; margin-top: 12px; }
        .playground-actions .hint { margin: 0; }
        @media (max-width: 760px) { .playground { grid-template-columns: 1fr; } }
      `}</style>
    </div>
  );
}
