"use client";

import { useEffect, useState } from "react";
import { TokenizerSelect } from "@/components/notebook/cells/TokensCell";
import { countDocumentTokens, type CollectionDocument } from "./collectionsApi";
import { ConfirmButton } from "./ConfirmButton";
import { documentLabel } from "./documentLabel";

const number = (value: number) => value.toLocaleString("en");

/**
 * The documents of a collection, oldest first, each with how many tokens it takes for a chosen
 * LLM tokenizer (counted on the server); with the write key, each can be deleted (after a confirmation).
 */
export function DocumentsTable({
  collectionId,
  collectionKey,
  documents,
  total,
  onDelete,
}: {
  collectionId: string;
  collectionKey: string | null;
  documents: CollectionDocument[];
  /** Documents in the collection: the table shows the first page (GET …/documents pages through the rest). */
  total: number;
  /** Absent without the write key. */
  onDelete?: (documentId: string) => Promise<void>;
}) {
  const [tokenizer, setTokenizer] = useState("o200k_base");
  const [tokens, setTokens] = useState<{ counts?: Map<string, number | null>; error?: string }>({});
  useEffect(() => {
    if (documents.length === 0) return;
    let cancelled = false;
    countDocumentTokens(collectionId, collectionKey, tokenizer)
      .then((counts) => !cancelled && setTokens({ counts }))
      .catch((failure: Error) => !cancelled && setTokens({ error: failure.message }));
    return () => {
      cancelled = true;
    };
  }, [collectionId, collectionKey, tokenizer, documents]);
  return (
    <section className="panel documents-panel" aria-labelledby="documents-title">
      <h2 id="documents-title">Documents</h2>
      {total > documents.length && (
        <p className="hint">
          The first {documents.length.toLocaleString("en")} of {total.toLocaleString("en")}, in the order they were added; the API pages through all of them
          (<code>GET /api/collections/{collectionId}/documents?after=…</code>), and the export downloads them at once.
        </p>
      )}
      {documents.length > 0 && (
        <p className="hint document-tokens-head">
          <TokenizerSelect label="Tokens counted with" value={tokenizer} onChange={setTokenizer} />
          {tokens.error && <span className="status error"> {tokens.error}</span>}
        </p>
      )}
      {documents.length === 0 ? (
        <p className="hint empty">No documents yet.{onDelete ? " Add some above: each is cut into chunks and embedded." : ""}</p>
      ) : (
        <div className="table-scroll">
          <table className="data-table documents">
            <thead>
              <tr>
                <th scope="col">Document</th>
                <th scope="col" className="number">
                  Characters
                </th>
                <th scope="col" className="number">
                  Tokens
                </th>
                <th scope="col" className="number">
                  Chunks
                </th>
                <th scope="col">Metadata</th>
                {onDelete && (
                  <th scope="col">
                    <span className="visually-hidden">Actions</span>
                  </th>
                )}
              </tr>
            </thead>
            <tbody>
              {documents.map((document) => (
                <DocumentRow key={document.documentId} document={document} tokens={tokens.counts?.get(document.documentId)} tokenizer={tokenizer} onDelete={onDelete} />
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}

function DocumentRow({
  document,
  tokens,
  tokenizer,
  onDelete,
}: {
  document: CollectionDocument;
  /** undefined while counting; null when the server did not count it (past its cap). */
  tokens: number | null | undefined;
  tokenizer: string;
  onDelete?: (documentId: string) => Promise<void>;
}) {
  const [error, setError] = useState<string | null>(null);
  const label = documentLabel(document.documentId, document.metadata);
  return (
    <tr data-document-id={document.documentId}>
      <td className="document-cell">
        <span className="document-name">{label}</span>
        <span className="document-preview">{previewText(document, label)}</span>
        {error && (
          <span className="status error" role="alert">
            {error}
          </span>
        )}
      </td>
      <td className="number">{number(document.characters)}</td>
      <td className="number document-tokens" title={tokens === null ? "Not counted: past the 2,000,000 characters counted at once" : `${tokenizer} tokens`}>
        {tokens === undefined ? "…" : tokens === null ? "–" : number(tokens)}
      </td>
      <td className="number document-chunks">{number(document.chunks)}</td>
      <td>
        <MetadataList metadata={document.metadata} />
      </td>
      {onDelete && (
        <td className="actions-cell">
          <ConfirmButton
            label={`Delete ${label}`}
            question="Delete for good?"
            confirmLabel="Delete"
            onConfirm={async () => {
              setError(null);
              await onDelete(document.documentId).catch((failure: Error) => setError(failure.message));
            }}
          >
            Delete
          </ConfirmButton>
        </td>
      )}
    </tr>
  );
}

function MetadataList({ metadata }: { metadata: CollectionDocument["metadata"] }) {
  const entries = Object.entries(metadata);
  if (entries.length === 0) return <span className="hint">–</span>;
  return (
    <ul className="metadata">
      {entries.map(([key, value]) => (
        <li key={key}>
          <span className="metadata-key">{key}</span> {String(value)}
        </li>
      ))}
    </ul>
  );
}

/** The preview without a leading heading that repeats the name above it, marked as cut when it is. */
function previewText(document: CollectionDocument, label: string): string {
  const heading = /^#{1,6}[ \t]+(.+)\n/.exec(document.preview);
  const text = heading && heading[1].trim() === label ? document.preview.slice(heading[0].length) : document.preview;
  const cut = document.characters > document.preview.length;
  return `${text.trim()}${cut ? "…" : ""}`;
}
