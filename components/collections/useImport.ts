"use client";

import { useCallback, useRef, useState } from "react";
import { ApiError } from "@/components/notebook/client";
import type { FilePreview } from "@/lib/imports/browser-preview";
import { discardImportJob, fetchJob, fetchJobs, resumeImportJob, startImportJob, type ImportJob, type ImportMappingInput } from "./collectionsApi";
import { followJob, isFinished } from "./followJob";

export interface ImportState {
  /** The chosen file (null after a reload, when following a job started before it). */
  file: File | null;
  /** The file's name, as the job's label has it. */
  fileName: string;
  /** Reading the file's head for the preview. */
  reading: boolean;
  preview: FilePreview | null;
  /** Milliseconds the preview took, from choosing the file. */
  previewMs: number | null;
  /** Why the file can't be previewed (format, malformed row, too large). */
  previewError: string | null;
  /** Bytes of the file sent so far, while it is being sent. */
  sending: { sent: number; total: number } | null;
  job: ImportJob | null;
  cancelling: boolean;
  /** The server refused the import, or following its job failed. */
  error: string | null;
}

const idle: ImportState = { file: null, fileName: "", reading: false, preview: null, previewMs: null, previewError: null, sending: null, job: null, cancelling: false, error: null };

export function isImportRunning(state: ImportState): boolean {
  return state.sending !== null || (state.job !== null && !isFinished(state.job));
}

/**
 * One import at a time from the collection's page: `choose(file)` previews its head, `start(mapping)`
 * sends it (the server streams it to disk and answers with a job before reading a row), then the
 * job is followed until it ends. `resume()` follows an import still running after a reload;
 * `cancel()` stops sending, or cancels the job (what it stored stays, as the job reports);
 * `resumeFailed()` and `discard()` go on with a failed import, or take an ended one's rows out.
 */
export function useImport({ collectionId, writeKey, maxFileBytes, onFinished }: { collectionId: string; writeKey: string; maxFileBytes: number; onFinished: () => void }) {
  const [state, setState] = useState<ImportState>(idle);
  const busy = useRef(false);
  const cancelRequested = useRef(false);
  const abortSending = useRef<(() => void) | null>(null);
  const update = (change: Partial<ImportState>) => setState((previous) => ({ ...previous, ...change }));

  const choose = useCallback(
    async (file: File) => {
      if (busy.current) return;
      const started = performance.now();
      setState({ ...idle, file, fileName: file.name, reading: true });
      if (file.size > maxFileBytes) {
        const size = (bytes: number) => `${(bytes / 1024 ** 3).toFixed(bytes < 10 * 1024 ** 3 ? 1 : 0)} GB`;
        return update({ reading: false, previewError: `"${file.name}" is ${size(file.size)}; an import takes files of at most ${size(maxFileBytes)}.` });
      }
      try {
        // Loaded when a file is chosen: the parsers (csv-parse, hyparquet and its decompressors) stay out of the page's first load.
        const { previewImportFile } = await import("@/lib/imports/browser-preview");
        const preview = await previewImportFile(file);
        update({ reading: false, preview, previewMs: Math.round(performance.now() - started) });
      } catch (error) {
        update({ reading: false, previewError: (error as Error).message });
      }
    },
    [maxFileBytes],
  );

  const follow = useCallback(
    async (job: ImportJob) => {
      update({ job, sending: null });
      try {
        const ended = await followJob<ImportJob>(job.id, { collectionId, writeKey, onUpdate: (current) => update({ job: current }), shouldCancel: () => cancelRequested.current });
        update({ job: ended, cancelling: false });
      } catch (error) {
        update({ error: (error as Error).message, cancelling: false });
      }
    },
    [collectionId, writeKey],
  );

  const start = useCallback(
    async (mapping: ImportMappingInput) => {
      const { file, preview } = state;
      if (busy.current || !file || !preview) return;
      busy.current = true;
      cancelRequested.current = false;
      update({ sending: { sent: 0, total: file.size }, error: null, job: null, cancelling: false });
      try {
        const sending = startImportJob(collectionId, writeKey, { file, mapping, format: preview.format, onSent: (sent, total) => update({ sending: { sent, total } }) });
        abortSending.current = sending.abort;
        const job = await sending.job;
        abortSending.current = null;
        await follow(job);
        onFinished();
      } catch (error) {
        const stopped = error instanceof ApiError && error.code === "aborted";
        update({ sending: null, cancelling: false, error: stopped ? "Cancelled before the file was sent: nothing was imported." : (error as Error).message });
      } finally {
        abortSending.current = null;
        busy.current = false;
      }
    },
    [collectionId, writeKey, follow, onFinished, state],
  );

  /** Follows the collection's newest unfinished import (started before a reload, or in another tab). */
  const resume = useCallback(async () => {
    if (busy.current) return;
    const running = (await fetchJobs<ImportJob>(collectionId, writeKey, "import")).find((job) => !isFinished(job));
    if (!running || busy.current) return;
    busy.current = true;
    cancelRequested.current = false;
    try {
      const job = await fetchJob<ImportJob>(collectionId, writeKey, running.id);
      setState({ ...idle, fileName: job.files?.[0]?.label ?? "the file", job });
      await follow(job);
      onFinished();
    } finally {
      busy.current = false;
    }
  }, [collectionId, writeKey, follow, onFinished]);

  /** A failed import goes on after the last row it stored, followed again. */
  const resumeFailed = useCallback(async () => {
    const { job } = state;
    if (busy.current || !job) return;
    busy.current = true;
    cancelRequested.current = false;
    try {
      update({ error: null });
      await follow(await resumeImportJob(collectionId, writeKey, job.id));
      onFinished();
    } catch (error) {
      update({ error: (error as Error).message });
    } finally {
      busy.current = false;
    }
  }, [collectionId, writeKey, follow, onFinished, state]);

  /** The rows an ended import stored are taken back out: the collection is as it was before it. */
  const discard = useCallback(async () => {
    const { job } = state;
    if (busy.current || !job) return;
    busy.current = true;
    try {
      update({ error: null, job: (await discardImportJob(collectionId, writeKey, job.id)).job });
      onFinished();
    } catch (error) {
      update({ error: (error as Error).message });
    } finally {
      busy.current = false;
    }
  }, [collectionId, writeKey, onFinished, state]);

  const cancel = useCallback(() => {
    cancelRequested.current = true;
    abortSending.current?.();
    update({ cancelling: true });
  }, []);

  /** Back to choosing a file (keeps the chosen file's preview, so a refused mapping can be changed). */
  const clear = useCallback(() => {
    if (!busy.current) setState(idle);
  }, []);
  const again = useCallback(() => {
    if (!busy.current) setState((previous) => ({ ...previous, job: null, error: null, sending: null, cancelling: false }));
  }, []);

  return { state, choose, start, resume, resumeFailed, discard, cancel, clear, again };
}
