"use client";

import { useId, useState, type FormEvent } from "react";

/** A field to paste a collection key into; the key is tried when submitted. */
export function KeyForm({ onKey, submitLabel = "Open", label = "Key" }: { onKey: (key: string) => void; submitLabel?: string; label?: string }) {
  const [value, setValue] = useState("");
  const inputId = useId();
  function submit(event: FormEvent) {
    event.preventDefault();
    if (value.trim()) onKey(value.trim());
  }
  return (
    <form className="key-form" onSubmit={submit}>
      <label htmlFor={inputId}>{label}</label>
      <div className="inline-row">
        <input
          id={inputId}
          value={value}
          onChange={(event) => setValue(event.target.value)}
          autoComplete="off"
          spellCheck={false}
          placeholder="Paste the read or write key"
          required
        />
        <button type="submit">{submitLabel}</button>
      </div>
    </form>
  );
}
