"use client";

import { useEffect } from "react";
import { importFileAccept } from "@/lib/imports/file-types";
import { FileDropZone } from "./FileDropZone";
import { ImportMappingForm } from "./ImportMappingForm";
import { ImportStatus } from "./ImportStatus";
import type { CollectionLimits } from "./limits";
import { isImportRunning, useImport } from "./useImport";

const gigabytes = (bytes: number) => `${(bytes / 1024 ** 3).toLocaleString("en")} GB`;

/**
 * Importing a table (issue 16): drop or choose a CSV, TSV, JSON Lines or Parquet file, see its first
 * rows, map its columns, import it as a background job and follow it; a reload follows it again.
 */
export function ImportPanel({
  collectionId,
  writeKey,
  ownVectors,
  limits,
  onImported,
}: {
  collectionId: string;
  writeKey: string;
  /** The collection holds its own vectors (model own:…): a vector column is required. */
  ownVectors: boolean;
  limits: CollectionLimits;
  onImported: () => void;
}) {
  const { state, choose, start, resume, resumeFailed, discard, cancel, clear, again } = useImport({ collectionId, writeKey, maxFileBytes: limits.maxImportBytes, onFinished: onImported });
  useEffect(() => {
    resume().catch((error) => console.error("Could not look for imports under way:", error));
  }, [resume]);
  const running = isImportRunning(state);
  const following = state.sending !== null || state.job !== null || state.error !== null;

  return (
    <section className="panel import-panel" aria-labelledby="import-title" data-running={running} data-preview-ms={state.previewMs ?? undefined}>
      <h2 id="import-title">Import a table</h2>
      {!state.preview && !following && (
        <>
          <FileDropZone
            disabled={state.reading}
            onFiles={(files) => choose(files[0])}
            title="Drop a .csv, .tsv, .jsonl or .parquet file here"
            accept={importFileAccept}
            multiple={false}
            buttonLabel="Choose a file"
            hint={`CSV or TSV with a header row (UTF-8), JSON Lines, or Parquet (snappy, gzip, zstd); up to ${gigabytes(limits.maxImportBytes)}. Only the first rows are read here, for the preview; each row becomes one document.${ownVectors ? " This collection holds your own vectors: the file needs a column with each row's vector." : ""}`}
          />
          {state.reading && (
            <p className="hint" aria-live="polite">
              Reading the first rows of {state.fileName}…
            </p>
          )}
          {state.previewError && (
            <p className="status error" role="alert">
              {state.previewError}
            </p>
          )}
        </>
      )}
      {/* Hidden, not unmounted, while the import runs: "Back to the file" after a refusal keeps the choices made. */}
      {state.preview && (
        <div hidden={following}>
          <ImportMappingForm
            key={`${state.fileName}-${state.preview.bytesRead}`}
            preview={state.preview}
            fileName={state.fileName}
            ownVectors={ownVectors}
            maxMetadataKeys={limits.maxMetadataKeys}
            disabled={following}
            onImport={start}
            onOtherFile={clear}
          />
        </div>
      )}
      <ImportStatus
        state={state}
        onCancel={cancel}
        onDone={state.job?.state === "done" || !state.preview ? clear : again}
        onResume={resumeFailed}
        onDiscard={discard}
      />
    </section>
  );
}
