"use client";

import type { FileOutcome } from "./sendBatch";
import type { FileResult, UploadProgress } from "./useDocumentUpload";

/** The progress of an upload (bar, counts, the files in the request under way, Cancel), then a result per file. */
export function UploadStatus({ progress, onCancel, onClear }: { progress: UploadProgress; onCancel: () => void; onClear: () => void }) {
  if (progress.results.length === 0) return null;
  return (
    <div className="upload-status">
      <div className="status" aria-live="polite">
        <progress value={progress.done} max={Math.max(progress.total, 1)} aria-label="Upload progress" />
        <span data-testid="upload-progress">
          {progress.done} of {progress.total} document{progress.total === 1 ? "" : "s"}
          {progress.running && progress.current.length > 0 && progress.waitSeconds === 0 && <> · embedding {progress.current.join(", ")}</>}
          {progress.running && progress.waitSeconds > 0 && (
            <>
              {" "}
              · waiting {progress.waitSeconds} s before sending {progress.current.join(", ")}: the server limits requests per minute
            </>
          )}
          {!progress.running && <> · {summarize(progress.results)}</>}
        </span>
        {progress.running ? (
          <button type="button" className="secondary small" onClick={onCancel} disabled={progress.cancelling}>
            {progress.cancelling ? "Stopping after this batch…" : "Cancel"}
          </button>
        ) : (
          <button type="button" className="secondary small" onClick={onClear}>
            Clear
          </button>
        )}
      </div>
      <ul className="upload-results" aria-label="Files">
        {progress.results.map((result, index) => (
          <FileResultRow key={index} result={result} />
        ))}
      </ul>
    </div>
  );
}

function FileResultRow({ result }: { result: FileResult }) {
  return (
    <li className={`upload-result ${result.outcome.status}`} data-status={result.outcome.status}>
      <span className="upload-file">{result.name}</span>
      <span className="upload-outcome">{describeOutcome(result.outcome)}</span>
    </li>
  );
}

export function describeOutcome(outcome: FileOutcome): string {
  switch (outcome.status) {
    case "waiting":
      return "waiting";
    case "sending":
      return "chunking and embedding…";
    case "added":
      return `added · ${outcome.chunks} chunk${outcome.chunks === 1 ? "" : "s"}`;
    case "duplicate":
      return "already there · not added again";
    case "failed":
      return outcome.message;
    case "skipped":
      return `skipped · ${outcome.message}`;
    case "cancelled":
      return "cancelled · not sent";
  }
}

function summarize(results: FileResult[]): string {
  const count = (status: FileOutcome["status"]) => results.filter((result) => result.outcome.status === status).length;
  const chunks = results.reduce((sum, result) => sum + (result.outcome.status === "added" ? result.outcome.chunks : 0), 0);
  const parts = [
    count("added") > 0 ? `${count("added")} added (${chunks} chunk${chunks === 1 ? "" : "s"})` : "",
    count("duplicate") > 0 ? `${count("duplicate")} already there` : "",
    count("failed") > 0 ? `${count("failed")} failed` : "",
    count("skipped") > 0 ? `${count("skipped")} skipped` : "",
    count("cancelled") > 0 ? `${count("cancelled")} cancelled` : "",
  ];
  return parts.filter(Boolean).join(", ") || "nothing added";
}
