"use client";

import Link from "next/link";
import { useEffect, useRef } from "react";
import type { CreatedCollection } from "./collectionsApi";
import { SecretRow } from "./SecretRow";

/**
 * The keys of a collection just created. The server stores only their hashes, so this is the one
 * time they can be seen: the panel says so plainly, and takes focus so a screen reader says it too.
 */
export function CreatedCollectionKeys({ created, saved, onDone }: { created: CreatedCollection; saved: boolean; onDone: () => void }) {
  const heading = useRef<HTMLHeadingElement>(null);
  useEffect(() => heading.current?.focus(), []);
  return (
    <section className="panel created-keys" aria-labelledby="created-title">
      <h2 id="created-title" ref={heading} tabIndex={-1}>
        “{created.collection.name}” is ready
      </h2>
      <div className="key-warning" role="note">
        <strong>Copy these keys now: they are not shown again.</strong>{" "}
        {saved
          ? "This browser remembers them for you, but clearing its data, or another browser, loses them."
          : "This browser could not store them (private mode or storage full): without a copy, the collection can't be opened again."}
      </div>
      <SecretRow label={created.collection.public ? "Read key (not needed: public)" : "Read key · searches"} value={created.readKey} testId="read-key" />
      <SecretRow label="Write key · adds and deletes" value={created.writeKey} testId="write-key" />
      <p className="hint">
        Programs send a key as <code>Authorization: Bearer &lt;key&gt;</code> to <code>/api/collections/{created.id}</code>; see the <Link href="/docs">API</Link>.
      </p>
      <div className="form-actions">
        <Link href={`/collections/${encodeURIComponent(created.id)}`} className="button primary">
          Open the collection
        </Link>
        <button type="button" className="secondary" onClick={onDone}>
          Create another
        </button>
      </div>
    </section>
  );
}
