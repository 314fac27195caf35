"use client";

import { useId, useState, type FormEvent } from "react";
import type { UploadSource } from "./uploadPlan";

/** Text pasted in instead of a file: one document, with an optional title. */
export function PasteTextForm({ disabled, onText }: { disabled: boolean; onText: (source: UploadSource) => void }) {
  const [text, setText] = useState("");
  const [title, setTitle] = useState("");
  const id = useId();

  function submit(event: FormEvent) {
    event.preventDefault();
    if (!text.trim()) return;
    onText({ name: title.trim() || "Pasted text", text, title: title.trim() || undefined, pasted: true });
    setText("");
    setTitle("");
  }

  return (
    <details className="paste-text">
      <summary>Or paste text</summary>
      <form onSubmit={submit}>
        <label htmlFor={`${id}-title`}>Title (optional)</label>
        <input id={`${id}-title`} value={title} onChange={(event) => setTitle(event.target.value)} maxLength={200} />
        <label htmlFor={`${id}-text`}>Text</label>
        <textarea id={`${id}-text`} value={text} onChange={(event) => setText(event.target.value)} required />
        <button type="submit" disabled={disabled || !text.trim()}>
          Add as a document
        </button>
      </form>
    </details>
  );
}
