import { randomBytes } from "node:crypto";
import { mkdir, open, rename, rm } from "node:fs/promises";
import path from "node:path";
import { checkModelFiles, isFilePresent, onnxFiles, optionalFiles, requiredFiles } from "./files";

/**
 * Fetches a model's missing files from a hub laid out like Hugging Face's,
 * `<hubUrl>/<owner>/<name>/resolve/main/<file>`, into its directory. Each file goes to a
 * temporary name and is renamed into place once complete, so a file is whole or absent, never
 * half there; files already present are kept, so a failed download resumes where it stopped.
 * One download per directory at a time: concurrent callers join the one under way.
 */

export interface DownloadOptions {
  /** Hub base URL (HF_ENDPOINT), e.g. `https://huggingface.co`. */
  hubUrl: string;
  repoId: string;
  /** The model's directory (created when missing). */
  dir: string;
  /** Time allowed until a server answers (connection and headers), in ms. Default 5,000. */
  connectTimeoutMs?: number;
  /** Longest pause between two pieces of a file's body, in ms. Default 30,000. */
  idleTimeoutMs?: number;
  /** Largest download accepted, in bytes, all files together: any public repo id can be asked for. Default 2 GiB. */
  maxBytes?: number;
}

export const downloadDefaults = { connectTimeoutMs: 5_000, idleTimeoutMs: 30_000, maxBytes: 2 * 1024 ** 3 } as const;

export interface DownloadStatus {
  state: "downloading" | "ready" | "failed";
  /** The file being fetched, relative to the model directory. */
  file?: string;
  bytesDone: number;
  /** Sum of the files' sizes as the hub announced them; null while any is unknown. */
  bytesTotal: number | null;
  /** Why the last attempt failed, for people. */
  message?: string;
  /** When it failed (ms since the epoch). */
  failedAt?: number;
}

interface Download {
  status: DownloadStatus;
  done: Promise<void>;
}

// On globalThis so a Next.js dev reload does not start a second download of the same files.
const downloads: Map<string, Download> = ((globalThis as Record<symbol, unknown>)[
  Symbol.for("embeddings-notebook.local-model-downloads")
] ??= new Map()) as Map<string, Download>;

/** The last download of `dir` in this process: under way, finished or failed; undefined if none. */
export function downloadStatus(dir: string): DownloadStatus | undefined {
  return downloads.get(path.resolve(dir))?.status;
}

/**
 * Starts fetching the missing files of a model, or joins the download under way; resolves when all
 * are in place and rejects (with the message also kept in `downloadStatus`) when one cannot be had.
 */
export function downloadModelFiles(options: DownloadOptions): Promise<void> {
  const dir = path.resolve(options.dir);
  const current = downloads.get(dir);
  if (current?.status.state === "downloading") return current.done;
  const status: DownloadStatus = { state: "downloading", bytesDone: 0, bytesTotal: null };
  const done = fetchMissingFiles({ ...options, dir }, status).then(
    () => {
      Object.assign(status, { state: "ready", file: undefined });
    },
    (error: unknown) => {
      Object.assign(status, { state: "failed", file: undefined, message: (error as Error).message, failedAt: Date.now() });
      throw error;
    },
  );
  done.catch(() => {}); // callers that stopped waiting must not leave it unhandled
  downloads.set(dir, { status, done });
  return done;
}

type Settings = Required<DownloadOptions>;

interface PlannedFile {
  file: string;
  url: string;
  size: number | null;
}

async function fetchMissingFiles(options: DownloadOptions & { dir: string }, status: DownloadStatus): Promise<void> {
  const settings: Settings = {
    ...options,
    connectTimeoutMs: options.connectTimeoutMs ?? downloadDefaults.connectTimeoutMs,
    idleTimeoutMs: options.idleTimeoutMs ?? downloadDefaults.idleTimeoutMs,
    maxBytes: options.maxBytes ?? downloadDefaults.maxBytes,
  };
  const hub = settings.hubUrl.replace(/\/+$/, "");
  const urlOf = (file: string) => `${hub}/${settings.repoId}/resolve/main/${file}`;
  const absent = (file: string) => !isFilePresent(settings.dir, file);

  // Ask for every size first (HEAD): a missing file fails the download before the big one starts.
  // The ONNX file comes last, so once it is in place every other file is too.
  const plan: PlannedFile[] = [];
  for (const file of optionalFiles.filter(absent)) {
    const size = await probe(urlOf(file), settings, { optional: true });
    if (size !== undefined) plan.push({ file, url: urlOf(file), size });
  }
  for (const file of requiredFiles.filter(absent)) {
    plan.push({ file, url: urlOf(file), size: (await probe(urlOf(file), settings, { optional: false })) ?? null });
  }
  if (!checkModelFiles(settings.dir).onnxFile) {
    const [quantized, full] = onnxFiles;
    const quantizedSize = await probe(urlOf(quantized), settings, { optional: true });
    if (quantizedSize !== undefined) plan.push({ file: quantized, url: urlOf(quantized), size: quantizedSize });
    else plan.push({ file: full, url: urlOf(full), size: (await probe(urlOf(full), settings, { optional: false })) ?? null });
  }
  const sizes = plan.map((entry) => entry.size);
  status.bytesTotal = sizes.every((size) => size !== null) ? (sizes as number[]).reduce((sum, size) => sum + size, 0) : null;
  if (status.bytesTotal !== null && status.bytesTotal > settings.maxBytes) {
    throw new Error(`${settings.repoId} is ${megabytes(status.bytesTotal)} on ${hub}, more than the ${megabytes(settings.maxBytes)} allowed for one model.`);
  }
  for (const entry of plan) await fetchFile(entry, settings, status);
}

/** A file's size from a HEAD request; `undefined` when the hub has no such file and it is optional. */
async function probe(url: string, settings: Settings, { optional }: { optional: boolean }): Promise<number | null | undefined> {
  const response = await request(url, "HEAD", settings);
  if (response.status === 404 && optional) return undefined;
  if (!response.ok) throw new Error(httpProblem(url, response.status));
  // The hub redirects large files to a CDN, which says the length; it also sends X-Linked-Size itself.
  const size = Number(response.headers.get("content-length") ?? response.headers.get("x-linked-size") ?? NaN);
  return Number.isFinite(size) && size > 0 ? size : null;
}

async function fetchFile(entry: PlannedFile, settings: Settings, status: DownloadStatus): Promise<void> {
  status.file = entry.file;
  const target = path.join(settings.dir, entry.file);
  await mkdir(path.dirname(target), { recursive: true });
  const temporary = `${target}.part-${process.pid}-${randomBytes(4).toString("hex")}`;
  const controller = new AbortController();
  let timer = setTimeout(() => controller.abort(), settings.connectTimeoutMs);
  let written = 0;
  let answered = false;
  try {
    const response = await request(entry.url, "GET", settings, controller);
    answered = true;
    if (!response.ok || !response.body) throw new Error(httpProblem(entry.url, response.status));
    const handle = await open(temporary, "wx");
    try {
      for await (const chunk of response.body as unknown as AsyncIterable<Uint8Array>) {
        clearTimeout(timer);
        timer = setTimeout(() => controller.abort(), settings.idleTimeoutMs);
        await handle.write(chunk);
        written += chunk.byteLength;
        status.bytesDone += chunk.byteLength;
        if (status.bytesDone > settings.maxBytes) throw new Error(`${settings.repoId} is larger than the ${megabytes(settings.maxBytes)} allowed for one model.`);
      }
    } finally {
      await handle.close();
    }
    if (entry.size !== null && written !== entry.size) {
      throw new Error(`${entry.url} ended after ${written} of ${entry.size} bytes; try again.`);
    }
    await rename(temporary, target);
  } catch (error) {
    status.bytesDone -= written;
    await rm(temporary, { force: true });
    if (answered && controller.signal.aborted) {
      throw new Error(`${entry.url} stopped sending for ${settings.idleTimeoutMs / 1000} s; try again.`, { cause: error });
    }
    throw error;
  } finally {
    clearTimeout(timer);
  }
}

/**
 * One HTTP request that fails fast when nothing answers: a refused connection or an unknown host
 * at once, a silent one after `connectTimeoutMs`. With a `controller`, the caller owns the time
 * limit (it goes on limiting the body); without, the limit covers the headers.
 */
async function request(
  url: string,
  method: "HEAD" | "GET",
  settings: Settings,
  controller?: AbortController,
): Promise<Response> {
  const signal = controller?.signal ?? AbortSignal.timeout(settings.connectTimeoutMs);
  try {
    return await fetch(url, { method, signal, redirect: "follow" });
  } catch (error) {
    if (signal.aborted) throw new Error(`${new URL(url).origin} did not answer within ${settings.connectTimeoutMs / 1000} s.`, { cause: error });
    const cause = (error as { cause?: { code?: string; message?: string } }).cause;
    throw new Error(`Could not reach ${new URL(url).origin} (${cause?.code ?? cause?.message ?? (error as Error).message}).`, { cause: error });
  }
}

function httpProblem(url: string, status: number): string {
  if (status === 404) return `${url} answered 404 Not Found: the repo or the file does not exist there.`;
  if (status === 401 || status === 403) return `${url} answered ${status}: the repo is private or gated.`;
  return `${url} answered HTTP ${status}.`;
}

function megabytes(bytes: number): string {
  return `${(bytes / 1e6).toFixed(bytes < 1e7 ? 1 : 0)} MB`;
}
