"use client";

import type { ImportJob, ImportJobFile } from "./collectionsApi";
import { isFinished } from "./followJob";
import { describeTimeLeft } from "./UploadStatus";
import type { ImportState } from "./useImport";

const number = (value: number) => value.toLocaleString("en");
const size = (bytes: number) => (bytes < 1024 ** 2 ? `${number(Math.ceil(bytes / 1024))} KB` : `${number(Math.round(bytes / 1024 ** 2))} MB`);

/** An import under way (sending the file, then the job's rows, speed and time left, Cancel), then what it stored. */
export function ImportStatus({
  state,
  onCancel,
  onDone,
  onResume,
  onDiscard,
}: {
  state: ImportState;
  onCancel: () => void;
  onDone: () => void;
  /** Goes on with a failed import after its last stored row. */
  onResume: () => void;
  /** Takes an ended import's stored rows back out. */
  onDiscard: () => void;
}) {
  const { sending, job } = state;
  if (!sending && !job && !state.error) return null;
  const running = sending !== null || (job !== null && !isFinished(job));
  return (
    <div className="import-status" data-state={sending ? "sending" : (job?.state ?? "refused")}>
      {running && (
        <div className="status" aria-live="polite">
          {sending ? (
            <>
              <progress value={sending.total === 0 ? 1 : sending.sent / sending.total} max={1} aria-label="Sending the file" />
              <span data-testid="import-progress">
                Sending {state.fileName}: {size(sending.sent)} of {size(sending.total)}
              </span>
            </>
          ) : (
            job && <JobProgress job={job} fileName={state.fileName} />
          )}
          <button type="button" className="secondary small" onClick={onCancel} disabled={state.cancelling}>
            {state.cancelling ? "Stopping…" : "Cancel"}
          </button>
        </div>
      )}
      {running && job && <p className="hint">The server imports the rows in the background: you may leave or reload this page, and come back to see how far it got.</p>}
      {state.error && (
        <p className="status error" role="alert">
          {state.error}
        </p>
      )}
      {job && isFinished(job) && <ImportResult job={job} fileName={state.fileName} />}
      {!running && (
        <div className="form-actions">
          {job && canResume(job) && (
            <button type="button" className="small" onClick={onResume}>
              Resume after row {number(job.progress.rows.done)}
            </button>
          )}
          {job && partlyStored(job) > 0 && (
            <button type="button" className="secondary small" onClick={onDiscard}>
              Discard its {number(partlyStored(job))} stored rows
            </button>
          )}
          <button type="button" className="secondary small" onClick={onDone}>
            {job?.state === "done" ? "Import another file" : "Back to the file"}
          </button>
        </div>
      )}
    </div>
  );
}

function JobProgress({ job, fileName }: { job: ImportJob; fileName: string }) {
  const { rows, rowsPerSecond, etaSeconds } = job.progress;
  return (
    <>
      <progress {...(rows.total ? { value: rows.done / rows.total, max: 1 } : {})} aria-label="Import progress" />
      <span data-testid="import-progress">
        {fileName}:{" "}
        {job.state === "queued" ? "waiting to start" : <>{number(rows.done)} {rows.total !== null ? <>of {number(rows.total)} </> : null}rows</>}
        {rowsPerSecond !== null && <> · {number(rowsPerSecond < 10 ? rowsPerSecond : Math.round(rowsPerSecond))} rows/s</>}
        {etaSeconds !== null && <> · {describeTimeLeft(etaSeconds)}</>}
        {job.cancelRequested && <> · stopping</>}
      </span>
    </>
  );
}

/**
 * Rows a failed or cancelled import left in the collection: it stores them in order, so they are
 * rows 1 to `rows.done` (the file's result counts them only when it completes). 0 once discarded.
 */
function partlyStored(job: ImportJob): number {
  if (job.state === "done" || job.files?.[0]?.status === "discarded") return 0;
  return job.progress.rows.done;
}

/** A failed import whose cause was not in the file (a bad row would fail again): it may go on. */
function canResume(job: ImportJob): boolean {
  return job.state === "failed" && job.files?.[0]?.status !== "discarded" && !(job.error?.code ?? "").startsWith("bad_request:");
}

function ImportResult({ job, fileName }: { job: ImportJob; fileName: string }) {
  const file: ImportJobFile | undefined = job.files?.[0];
  const discarded = file?.status === "discarded";
  const stored = job.state === "done" ? (file?.stored ?? 0) : partlyStored(job);
  const kept = stored > 0 ? `Rows 1–${number(stored)} are in the collection, the rest are not.` : "Nothing was stored.";
  const headline = {
    done: `Imported ${fileName}`,
    failed: `The import of ${fileName} failed`,
    cancelled: `The import of ${fileName} was cancelled`,
    queued: "",
    running: "",
  }[job.state];
  return (
    <div className={`import-result ${job.state}`} data-testid="import-result">
      <p className="import-headline">
        <strong>{headline}</strong>
        {file?.rows !== undefined && <> · {number(file.rows)} rows read</>} · <span data-testid="import-stored">{number(stored)}</span> stored
        {file?.duplicates ? <> · {number(file.duplicates)} already there, not added again</> : null}
      </p>
      {job.state === "failed" && job.error && (
        <p className="status error" role="alert">
          {job.error.message}
        </p>
      )}
      {discarded ? (
        <p className="hint">Discarded: its {number(file?.discardedRows ?? 0)} stored rows were taken back out; the collection is as it was before it.</p>
      ) : (
        // A failure while storing says itself what is stored ("Rows 1–4,000 are stored, …").
        (job.state === "cancelled" || (job.state === "failed" && !/\bstored\b/.test(job.error?.message ?? ""))) && <p className="hint">{kept}</p>
      )}
      {file?.unreadable && file.unreadable.count > 0 && <UnreadableRows unreadable={file.unreadable} />}
      {file?.truncated && (
        <p className="hint" role="note">
          {file.truncated.message}
        </p>
      )}
    </div>
  );
}

function UnreadableRows({ unreadable }: { unreadable: { count: number; rows: number[] } }) {
  const more = unreadable.count - unreadable.rows.length;
  return (
    <div className="import-unreadable" role="note">
      <p>
        {number(unreadable.count)} row{unreadable.count === 1 ? "" : "s"} the model could not read (no word it knows): kept with their text and metadata, without a vector, so
        they are found by keyword but not on the map.
      </p>
      <p className="unreadable-rows" aria-label="Unreadable rows">
        Row{unreadable.rows.length === 1 ? "" : "s"} {unreadable.rows.map(number).join(", ")}
        {more > 0 && `, and ${number(more)} more`}
      </p>
    </div>
  );
}
