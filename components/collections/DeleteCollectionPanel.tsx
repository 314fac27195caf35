"use client";

import { useRouter } from "next/navigation";
import { useState } from "react";
import { deleteCollection } from "./collectionsApi";
import { ConfirmButton } from "./ConfirmButton";
import { forgetCollection } from "./saved";

/** Deleting the whole collection (write key, confirmed), then back to the list of collections. */
export function DeleteCollectionPanel({ id, name, documents, writeKey }: { id: string; name: string; documents: number; writeKey: string }) {
  const router = useRouter();
  const [error, setError] = useState<string | null>(null);
  return (
    <section className="panel danger-zone" aria-labelledby="delete-title">
      <h2 id="delete-title">Delete this collection</h2>
      <p className="hint">
        Removes “{name}”, its {documents.toLocaleString("en")} document{documents === 1 ? "" : "s"} and all their chunks for everyone who holds its keys. It can’t be undone.
      </p>
      <ConfirmButton
        small={false}
        question="Delete the collection for good?"
        confirmLabel="Delete collection"
        onConfirm={async () => {
          setError(null);
          try {
            await deleteCollection(id, writeKey);
            forgetCollection(id);
            router.push("/collections");
          } catch (failure) {
            setError((failure as Error).message);
          }
        }}
      >
        Delete collection…
      </ConfirmButton>
      {error && (
        <p className="status error" role="alert">
          {error}
        </p>
      )}
    </section>
  );
}
