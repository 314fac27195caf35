import { randomBytes } from "node:crypto";
import { mkdir, open, rm } from "node:fs/promises";
import path from "node:path";
import { Readable, Transform } from "node:stream";
import { pipeline } from "node:stream/promises";
import type { ReadableStream as WebReadableStream } from "node:stream/web";
import busboy from "busboy";
import { AppError } from "../api/errors";
import { importLimits } from "./limits";

/**
 * An import's file, streamed from the request to a file on this server's disk, never held in
 * memory: Parquet needs random access, and a job resumed after a restart reads the file again.
 * The file comes as `multipart/form-data` (a `file` part, and `mapping` and `format` fields, as
 * a browser form sends them, parsed by busboy) or as the request body itself, with `mapping` and
 * `format` in the query string. Never base64 inside JSON.
 */

export interface ReceivedImport {
  /** Where the file now is; the caller removes it (`discard`) once the import is done with it. */
  path: string;
  bytes: number;
  filename?: string;
  mediaType?: string;
  /** The `mapping` and `format` fields (form) or query parameters (raw body), as sent. */
  fields: Record<string, string>;
  discard(): Promise<void>;
}

/** Streams the request's file into `dir` (created when missing). Throws 4xx AppErrors naming what is wrong with the request. */
export async function receiveImport(request: Request, { dir, maxFileBytes = importLimits.maxFileBytes }: { dir: string; maxFileBytes?: number }): Promise<ReceivedImport> {
  if (!request.body) throw new AppError("bad_request:file", "The request has no body: send the file as multipart/form-data (a `file` part) or as the body itself.");
  await mkdir(dir, { recursive: true });
  const target = path.join(dir, `${Date.now()}-${randomBytes(6).toString("hex")}.upload`);
  const discard = () => rm(target, { force: true });
  const contentType = request.headers.get("content-type") ?? "";
  try {
    const received = contentType.toLowerCase().startsWith("multipart/form-data")
      ? await receiveMultipart(request, contentType, target, maxFileBytes)
      : await receiveBody(request, contentType, target, maxFileBytes);
    if (received.bytes === 0) throw new AppError("bad_request:file", "The file is empty.");
    return { ...received, path: target, discard };
  } catch (error) {
    await discard();
    throw error;
  }
}

async function receiveBody(request: Request, contentType: string, target: string, maxFileBytes: number) {
  const query = new URL(request.url).searchParams;
  const fields = Object.fromEntries(["mapping", "format", "filename"].flatMap((name) => (query.has(name) ? [[name, query.get(name)!]] : [])));
  const bytes = await writeLimited(Readable.fromWeb(request.body as WebReadableStream<Uint8Array>), target, maxFileBytes);
  return { bytes, fields, filename: fields.filename, mediaType: contentType || undefined };
}

function receiveMultipart(request: Request, contentType: string, target: string, maxFileBytes: number) {
  return new Promise<{ bytes: number; fields: Record<string, string>; filename?: string; mediaType?: string }>((resolve, reject) => {
    let parser: busboy.Busboy;
    try {
      parser = busboy({ headers: { "content-type": contentType }, limits: { files: 1, fields: 10, fieldSize: importLimits.maxFieldBytes } });
    } catch (error) {
      reject(new AppError("bad_request:file", `The multipart/form-data request cannot be read: ${(error as Error).message}.`));
      return;
    }
    const fields: Record<string, string> = {};
    let file: Promise<{ bytes: number; filename?: string; mediaType?: string }> | undefined;
    let fileStream: NodeJS.ReadableStream & { destroy(error?: Error): void } | undefined;
    let failed = false;
    // The caller removes the target file once this rejects, so a write still under way must
    // have stopped (and its file must exist) first, or the file is created after the removal.
    const fail = (error: unknown) => {
      if (failed) return;
      failed = true;
      fileStream?.destroy();
      Promise.resolve(file).then(() => reject(error), () => reject(error));
    };
    parser.on("field", (name, value, info) => {
      if (info.valueTruncated) fail(new AppError("payload_too_large:mapping", `The form field "${name}" is longer than ${importLimits.maxFieldBytes / 1024} KB.`));
      else fields[name] = value;
    });
    parser.on("file", (name, stream, info) => {
      if (name !== "file" || file || failed) {
        stream.resume();
        if (name !== "file") fail(new AppError("bad_request:file", `The form sends a file as "${name}"; send it as "file".`));
        return;
      }
      fileStream = stream;
      file = writeLimited(stream, target, maxFileBytes).then((bytes) => ({ bytes, filename: info.filename || undefined, mediaType: info.mimeType || undefined }));
      file.catch((error) => {
        if (!failed) {
          failed = true;
          reject(error);
        }
      });
    });
    parser.on("filesLimit", () => fail(new AppError("bad_request:file", "Send one file per import.")));
    parser.on("error", (error) => fail(new AppError("bad_request:file", `The multipart/form-data request cannot be read: ${(error as Error).message}.`)));
    parser.on("close", () => {
      if (failed) return;
      if (!file) return fail(new AppError("bad_request:file", 'The form has no file: send it as the part named "file".'));
      file.then((received) => resolve({ ...received, fields }), fail);
    });
    Readable.fromWeb(request.body as WebReadableStream<Uint8Array>)
      .on("error", fail)
      .pipe(parser);
  });
}

/** Writes `source` to `target`, refusing (413) past `maxBytes` without reading the rest into memory. */
async function writeLimited(source: NodeJS.ReadableStream, target: string, maxBytes: number): Promise<number> {
  let bytes = 0;
  const count = new Transform({
    transform(chunk: Buffer, _encoding, callback) {
      bytes += chunk.length;
      if (bytes > maxBytes) callback(new AppError("payload_too_large:file", `The file is larger than ${formatBytes(maxBytes)}, the most one import takes.`));
      else callback(null, chunk);
    },
  });
  // Opened before anything is read, so that once this settles the file exists and nothing is
  // still creating it: removing it afterwards always removes it.
  // The write stream closes the handle when it finishes or is destroyed.
  const handle = await open(target, "w");
  await pipeline(source, count, handle.createWriteStream());
  return bytes;
}

function formatBytes(bytes: number): string {
  return bytes >= 1024 ** 3 ? `${bytes / 1024 ** 3} GB` : bytes >= 1024 ** 2 ? `${bytes / 1024 ** 2} MB` : `${bytes} bytes`;
}
