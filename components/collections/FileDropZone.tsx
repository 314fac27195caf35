"use client";

import { useId, useState, type DragEvent } from "react";
import { acceptedExtensions } from "./uploadPlan";

const documentFiles = {
  title: "Drop .txt or .md files here",
  accept: [...acceptedExtensions, "text/plain", "text/markdown"].join(","),
  multiple: true,
  buttonLabel: "Choose files",
  hint: "Several at once. Each file becomes one document, with its file name and first heading as metadata.",
};

/**
 * Pick files with the keyboard or mouse, or drop them here; hands over every file, checks come
 * later. The words and accepted types default to the document upload's.
 */
export function FileDropZone({
  disabled,
  onFiles,
  ...options
}: { disabled: boolean; onFiles: (files: File[]) => void } & Partial<typeof documentFiles>) {
  const { title, accept, multiple, buttonLabel, hint } = { ...documentFiles, ...options };
  const [dragging, setDragging] = useState(false);
  const hintId = useId();

  function drop(event: DragEvent) {
    event.preventDefault();
    setDragging(false);
    if (!disabled && event.dataTransfer.files.length > 0) onFiles([...event.dataTransfer.files]);
  }

  return (
    <div
      className={`drop-zone${dragging ? " dragging" : ""}${disabled ? " disabled" : ""}`}
      onDragOver={(event) => {
        event.preventDefault();
        event.dataTransfer.dropEffect = disabled ? "none" : "copy";
        setDragging(true);
      }}
      onDragLeave={() => setDragging(false)}
      onDrop={drop}
    >
      <p className="drop-zone-title">{title}</p>
      <label className={`button secondary file-button${disabled ? " disabled" : ""}`}>
        {buttonLabel}
        <input
          type="file"
          className="visually-hidden"
          multiple={multiple}
          disabled={disabled}
          accept={accept}
          aria-describedby={hintId}
          onChange={(event) => {
            const files = [...(event.currentTarget.files ?? [])];
            // Cleared so that choosing the same file again (after an edit) uploads it again.
            event.currentTarget.value = "";
            if (files.length > 0) onFiles(files);
          }}
        />
      </label>
      <p className="hint" id={hintId}>
        {hint}
      </p>
    </div>
  );
}
