"use client";

import { CopyButton } from "@/components/notebook/CopyButton";

/** A key or key-bearing link: read-only, selected on focus, with a copy button. */
export function SecretRow({ label, value, testId }: { label: string; value: string; testId?: string }) {
  return (
    <div className="link-row">
      <span className="link-label">{label}</span>
      <input readOnly value={value} aria-label={label} data-testid={testId} spellCheck={false} onFocus={(event) => event.currentTarget.select()} />
      <CopyButton text={value} />
    </div>
  );
}
