"use client";

import type { ImportJob, ImportJobFile } from "./collectionsApi";
import { isFinished } from "./followJob";
import { describeTimeLeft } from "./UploadStatus";
import type { ImportState } from "./useImport";

const number = (value: number) => value.toLocaleString("en");
const size = (bytes: number) => (bytes < 1024 ** 2 ? `${number(Math.ceil(bytes / 1024))} KB` : `${number(Math.round(bytes / 1024 ** 2))} MB`);

/** An import under way (sending the file, then the job's rows, speed and time left, Cancel), then what it stored. */
export function ImportStatus({ state, onCancel, onDone }: { state: ImportState; onCancel: () => void; onDone: () => void }) {
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

function ImportResult({ job, fileName }: { job: ImportJob; fileName: string }) {
  const file: ImportJobFile | undefined = job.files?.[0];
  const stored = file?.stored ?? 0;
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
          {stored > 0 ? ` The ${number(stored)} rows stored before it stay in the collection.` : " Nothing was stored."}
        </p>
      )}
      {job.state === "cancelled" && <p className="hint">{stored > 0 ? `The ${number(stored)} rows stored before it stopped stay in the collection.` : "Nothing was stored."}</p>}
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
