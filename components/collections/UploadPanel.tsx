"use client";

import { FileDropZone } from "./FileDropZone";
import type { CollectionLimits } from "./limits";
import { PasteTextForm } from "./PasteTextForm";
import { readUploadFiles } from "./readUploadFiles";
import { UploadStatus } from "./UploadStatus";
import { useDocumentUpload } from "./useDocumentUpload";

const number = (value: number) => value.toLocaleString("en");

/** Adding documents: files or pasted text in, batched requests out, progress and a result per file. */
export function UploadPanel({
  collectionId,
  writeKey,
  chunking,
  limits,
  onUploaded,
}: {
  collectionId: string;
  writeKey: string;
  chunking: { size: number; overlap: number };
  limits: CollectionLimits;
  onUploaded: () => void;
}) {
  const { progress, upload, cancel, clear } = useDocumentUpload({ collectionId, writeKey, chunking, limits, onFinished: onUploaded });
  return (
    <section className="panel upload-panel" aria-labelledby="upload-title">
      <h2 id="upload-title">Add documents</h2>
      <FileDropZone disabled={progress.running} onFiles={async (files) => upload(await readUploadFiles(files, limits.maxDocumentLength))} />
      <PasteTextForm disabled={progress.running} onText={(source) => upload([source])} />
      <p className="hint">
        Up to {number(limits.maxDocumentLength)} characters per document. A text already in the collection is not added twice.
      </p>
      <UploadStatus progress={progress} onCancel={cancel} onClear={clear} />
    </section>
  );
}
