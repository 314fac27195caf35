"use client";

import { useEffect, useState } from "react";
import { ConfirmButton } from "./ConfirmButton";
import { KeyForm } from "./KeyForm";
import { SecretRow } from "./SecretRow";
import type { Access } from "./useCollection";

const summaries: Record<Access, string> = {
  write: "Write key: you can add and delete documents",
  read: "Read key: you can list and search",
  none: "No key: public, search only",
};

/** Which key this page uses, how to share it, how to forget it, and a field for a stronger one. */
export function AccessPanel({
  id,
  access,
  currentKey,
  onKey,
  onForget,
}: {
  id: string;
  access: Access;
  currentKey: string | null;
  onKey: (key: string) => void;
  onForget: () => void;
}) {
  const [origin, setOrigin] = useState<string | null>(null);
  useEffect(() => setOrigin(window.location.origin), []);
  return (
    <details className="access-panel">
      <summary>
        <span className={`access-dot ${access}`} aria-hidden="true" />
        {summaries[access]}
      </summary>
      <div className="access-body">
        {currentKey && access !== "none" && (
          <>
            <SecretRow label={access === "write" ? "Write key" : "Read key"} value={currentKey} />
            {origin && <SecretRow label="Link that opens it · private" value={`${origin}/collections/${encodeURIComponent(id)}#key=${encodeURIComponent(currentKey)}`} />}
            <div className="inline-row">
              <p className="hint">Saved in this browser, so this page opens without asking.</p>
              <ConfirmButton question="Forget the keys in this browser? Copy them first." confirmLabel="Forget keys" onConfirm={onForget}>
                Forget keys here
              </ConfirmButton>
            </div>
          </>
        )}
        {access !== "write" && <KeyForm onKey={onKey} label="Have the write key? Paste it to add and delete documents" submitLabel="Use key" />}
      </div>
    </details>
  );
}
