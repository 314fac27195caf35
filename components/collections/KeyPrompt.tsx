"use client";

import Link from "next/link";
import { KeyForm } from "./KeyForm";

/** A private collection without a (working) key: what is missing, and a field to paste it. A refused key gets the server's reason. */
export function KeyPrompt({ id, refused, message, onKey }: { id: string; refused: boolean; message: string; onKey: (key: string) => void }) {
  return (
    <section className="collection-locked" aria-labelledby="locked-title">
      <p className="breadcrumb">
        <Link href="/collections">← Collections</Link>
      </p>
      <h1 id="locked-title">{refused ? "This key does not open the collection" : "This collection needs a key"}</h1>
      <p className="lede">
        Collection <code>{id}</code> is private. Paste its <strong>read key</strong> to list and search it, or its <strong>write key</strong> to also add and
        delete documents. Keys are shown once, to whoever created the collection.
      </p>
      <div className="panel">
        {refused && (
          <p className="status error" role="alert">
            {message}
          </p>
        )}
        <KeyForm onKey={onKey} />
      </div>
    </section>
  );
}
