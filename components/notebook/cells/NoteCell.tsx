"use client";

import { useState } from "react";
import { renderMarkdown } from "@/lib/markdown";

/** Markdown between cells. Rendered by markdown-it with raw HTML escaped, so it is safe to inject. */
export function NoteCell({ markdown, readOnly, onChange }: { markdown: string; readOnly: boolean; onChange: (markdown: string) => void }) {
  const [editing, setEditing] = useState(!readOnly && markdown === "");
  if (editing) {
    return (
      <div className="note-editor">
        <textarea
          aria-label="Note (markdown)"
          value={markdown}
          onChange={(event) => onChange(event.target.value)}
          placeholder="Write a note in markdown: **bold**, *italic*, [links](https://…), lists…"
          rows={5}
        />
        <button type="button" className="secondary" onClick={() => setEditing(false)}>
          Done
        </button>
      </div>
    );
  }
  return (
    <div className="note">
      <div className="markdown" dangerouslySetInnerHTML={{ __html: renderMarkdown(markdown) }} />
      {!readOnly && (
        <button type="button" className="link" onClick={() => setEditing(true)}>
          Edit note
        </button>
      )}
    </div>
  );
}
