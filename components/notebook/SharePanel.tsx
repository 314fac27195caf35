"use client";

import { useEffect, useState } from "react";
import { CopyButton } from "./CopyButton";
import type { Saved } from "./init";

/** After saving: the read-only share link for everyone, and the secret edit link for the creator. */
export function SharePanel({ saved }: { saved: Saved }) {
  // Known only in the browser; links are shown once it is, never as half-links.
  const [origin, setOrigin] = useState<string | null>(null);
  useEffect(() => setOrigin(window.location.origin), []);
  if (origin === null) return null;
  const shareUrl = `${origin}/s/${saved.slug}`;
  const editUrl = saved.editKey ? `${shareUrl}/edit#key=${encodeURIComponent(saved.editKey)}` : undefined;
  return (
    <div className="share-panel">
      <LinkRow label="Share (read-only)" url={shareUrl} testId="share-url" />
      {editUrl && <LinkRow label="Edit link · keep it private" url={editUrl} testId="edit-url" />}
    </div>
  );
}

function LinkRow({ label, url, testId }: { label: string; url: string; testId: string }) {
  return (
    <div className="link-row">
      <span className="link-label">{label}</span>
      <input readOnly value={url} aria-label={label} data-testid={testId} onFocus={(event) => event.currentTarget.select()} />
      <CopyButton text={url} />
    </div>
  );
}
