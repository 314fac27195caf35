"use client";

import Link from "next/link";
import { useCallback, type ReactNode } from "react";
import "@/components/notebook/notebook.css";
import "./collections.css";
import { AccessPanel } from "./AccessPanel";
import { CollectionMapPanel } from "./CollectionMapPanel";
import { CollectionHeader } from "./CollectionHeader";
import { deleteDocument } from "./collectionsApi";
import { DeleteCollectionPanel } from "./DeleteCollectionPanel";
import { DocumentsTable } from "./DocumentsTable";
import { KeyPrompt } from "./KeyPrompt";
import { ImportPanel } from "./ImportPanel";
import { exampleFilter } from "./parseFilter";
import type { CollectionLimits } from "./limits";
import { SearchPanel } from "./SearchPanel";
import { UploadPanel } from "./UploadPanel";
import { useCollection } from "./useCollection";

/** /collections/:id in the browser: opens the collection with the key it can find, then shows what that key allows. */
export function CollectionView({ id, limits }: { id: string; limits: CollectionLimits }) {
  const { state, key, isSaved, refresh, tryKey, forgetKeys } = useCollection(id);
  const removeDocument = useCallback(
    async (documentId: string) => {
      await deleteDocument(id, key!, documentId);
      await refresh();
    },
    [id, key, refresh],
  );

  switch (state.status) {
    case "loading":
      return (
        <p className="hint" aria-live="polite">
          Opening the collection…
        </p>
      );
    case "needs-key":
      return <KeyPrompt id={id} refused={state.refused} message={state.message} onKey={tryKey} />;
    case "not-found":
      return (
        <CollectionProblem title="Collection not found" message={state.message}>
          {isSaved && (
            <button type="button" className="secondary" onClick={forgetKeys}>
              Remove it from your collections
            </button>
          )}
        </CollectionProblem>
      );
    case "error":
      return <CollectionProblem title="The collection could not be opened" message={state.message} onRetry={refresh} />;
  }

  const { info, documents, access, notice } = state;
  const writeKey = access === "write" ? key : null;
  // Its own vectors' space has no model here: no text can be embedded into it (uploads), and a search by text is by keyword.
  const ownVectors = info.model.startsWith("own:");
  return (
    <div className="collection">
      <CollectionHeader info={info} />
      {notice && <p className="status error">{notice}</p>}
      <AccessPanel id={id} access={access} currentKey={key} onKey={tryKey} onForget={forgetKeys} />
      {writeKey && !ownVectors && <UploadPanel collectionId={id} writeKey={writeKey} limits={limits} onUploaded={refresh} />}
      {writeKey && <ImportPanel collectionId={id} writeKey={writeKey} ownVectors={ownVectors} limits={limits} onImported={refresh} />}
      <SearchPanel
        collectionId={id}
        collectionKey={key}
        disabled={info.chunks === 0}
        ownVectors={ownVectors}
        filterPlaceholder={exampleFilter(documents.at(-1)?.metadata)}
      />
      <CollectionMapPanel collectionId={id} collectionKey={key} writeKey={writeKey} metadataKeys={metadataKeysOf(documents)} version={info.chunks} />
      <DocumentsTable collectionId={id} collectionKey={key} documents={documents} total={info.documents} onDelete={writeKey ? removeDocument : undefined} />
      {writeKey && <DeleteCollectionPanel id={id} name={info.name} documents={info.documents} writeKey={writeKey} />}
    </div>
  );
}

/** The metadata keys of the documents listed (the first page), in the order met. */
function metadataKeysOf(documents: { metadata: Record<string, unknown> }[]): string[] {
  return [...new Set(documents.flatMap((document) => Object.keys(document.metadata)))];
}

function CollectionProblem({ title, message, onRetry, children }: { title: string; message: string; onRetry?: () => void; children?: ReactNode }) {
  return (
    <section className="collection-problem">
      <p className="breadcrumb">
        <Link href="/collections">← Collections</Link>
      </p>
      <h1>{title}</h1>
      <p className="status error" role="alert">
        {message}
      </p>
      {onRetry && (
        <button type="button" className="secondary" onClick={onRetry}>
          Try again
        </button>
      )}
      {children}
    </section>
  );
}
