"use client";

import { useEffect, useRef, useState, type ReactNode } from "react";

/**
 * A destructive action in two steps, inline: the button turns into a question with the real
 * action and Cancel. The action button takes focus (Enter confirms, Escape cancels); a failure of
 * the action is shown by whoever passed it, since only they know what to say.
 */
export function ConfirmButton({
  children,
  label,
  question,
  confirmLabel,
  onConfirm,
  disabled = false,
  small = true,
}: {
  children: ReactNode;
  /** Accessible name of the first button when its text alone is ambiguous (e.g. "Delete bees.md"). */
  label?: string;
  question: ReactNode;
  confirmLabel: string;
  onConfirm: () => Promise<void> | void;
  disabled?: boolean;
  small?: boolean;
}) {
  const [asking, setAsking] = useState(false);
  const [busy, setBusy] = useState(false);
  const confirmButton = useRef<HTMLButtonElement>(null);
  const size = small ? " small" : "";

  useEffect(() => {
    if (asking) confirmButton.current?.focus();
  }, [asking]);

  if (!asking) {
    return (
      <button type="button" className={`secondary${size}`} aria-label={label} disabled={disabled} onClick={() => setAsking(true)}>
        {children}
      </button>
    );
  }
  return (
    <span className="confirm" role="group" onKeyDown={(event) => event.key === "Escape" && !busy && setAsking(false)}>
      <span className="confirm-question">{question}</span>
      <button
        ref={confirmButton}
        type="button"
        className={`danger${size}`}
        disabled={busy}
        onClick={async () => {
          setBusy(true);
          try {
            await onConfirm();
          } finally {
            setBusy(false);
            setAsking(false);
          }
        }}
      >
        {busy ? "Working…" : confirmLabel}
      </button>
      <button type="button" className={`secondary${size}`} disabled={busy} onClick={() => setAsking(false)}>
        Cancel
      </button>
    </span>
  );
}
