"use client";

import { useEffect } from "react";
import { FileDropZone } from "./FileDropZone";
import type { CollectionLimits } from "./limits";
import { PasteTextForm } from "./PasteTextForm";
import { readUploadFiles } from "./readUploadFiles";
import { UploadStatus } from "./UploadStatus";
import { useDocumentUpload } from "./useDocumentUpload";

const number = (value: number) => value.toLocaleString("en");

/**
 * Adding documents: files or pasted text in, an upload job out, its progress and a result per
 * file. Opening the page follows the collection's unfinished jobs, so a reload loses nothing.
 */
export function UploadPanel({
  collectionId,
  writeKey,
  limits,
  onUploaded,
}: {
  collectionId: string;
  writeKey: string;
  limits: CollectionLimits;
  onUploaded: () => void;
}) {
  const { progress, upload, resume, cancel, clear } = useDocumentUpload({ collectionId, writeKey, limits, onFinished: onUploaded });
  useEffect(() => {
    resume().catch((error) => console.error("Could not look for uploads under way:", error));
  }, [resume]);
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
