"use client";

import type { FileOutcome } from "./sendBatch";
import type { FileResult, UploadProgress } from "./useDocumentUpload";

const number = (value: number) => value.toLocaleString("en");

/** The progress of an upload (bar, documents and chunks, speed, time left, Cancel), then a result per file. */
export function UploadStatus({ progress, onCancel, onClear }: { progress: UploadProgress; onCancel: () => void; onClear: () => void }) {
  if (progress.results.length === 0) return null;
  const { job } = progress;
  return (
    <div className="upload-status">
      <div className="status" aria-live="polite">
        <progress value={progress.fraction} max={1} aria-label="Upload progress" />
        <span data-testid="upload-progress">
          {progress.done} of {progress.total} document{progress.total === 1 ? "" : "s"}
          {progress.running && job && (
            <>
              {job.chunks.total !== null && <> · {number(job.chunks.done)} of {number(job.chunks.total)} chunks</>}
              {job.chunksPerSecond !== null && <> · {job.chunksPerSecond} chunks/s</>}
              {job.etaSeconds !== null && <> · {describeTimeLeft(job.etaSeconds)}</>}
            </>
          )}
          {progress.running && progress.waitSeconds > 0 && <> · waiting {progress.waitSeconds} s before sending: the server limits requests per minute</>}
          {!progress.running && <> · {summarize(progress.results)}</>}
        </span>
        {progress.running ? (
          <button type="button" className="secondary small" onClick={onCancel} disabled={progress.cancelling}>
            {progress.cancelling ? "Stopping after this document…" : "Cancel"}
          </button>
        ) : (
          <button type="button" className="secondary small" onClick={onClear}>
            Clear
          </button>
        )}
      </div>
      {progress.error && (
        <p className="status error" role="alert">
          {progress.error}
        </p>
      )}
      {progress.running && (
        <p className="hint">The server stores the documents in the background: you may leave or reload this page, and come back to see how far it got.</p>
      )}
      <ul className="upload-results" aria-label="Files">
        {progress.results.map((result, index) => (
          <FileResultRow key={index} result={result} />
        ))}
      </ul>
    </div>
  );
}

/** "about 40 s left", "about 3 min left", "about 2 h 10 min left". */
export function describeTimeLeft(seconds: number): string {
  if (seconds < 90) return `about ${Math.max(1, Math.round(seconds))} s left`;
  const minutes = Math.round(seconds / 60);
  return minutes < 90 ? `about ${minutes} min left` : `about ${Math.floor(minutes / 60)} h ${minutes % 60} min left`;
}

function FileResultRow({ result }: { result: FileResult }) {
  return (
    <li className={`upload-result ${result.outcome.status}`} data-status={result.outcome.status}>
      <span className="upload-file">{result.name}</span>
      <span className="upload-outcome">{describeOutcome(result.outcome)}</span>
      {result.outcome.status === "added" && result.outcome.truncated && (
        <span className="upload-note" role="note">
          {result.outcome.truncated.message}
        </span>
      )}
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
      return `added · ${outcome.chunks} chunk${outcome.chunks === 1 ? "" : "s"}${outcome.truncated ? ` · ${outcome.truncated.chunks} read in part` : ""}`;
    case "duplicate":
      return "already there · not added again";
    case "failed":
      return outcome.message;
    case "skipped":
      return `skipped · ${outcome.message}`;
    case "cancelled":
      return "cancelled · not stored";
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
