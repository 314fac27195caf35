import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { receiveImport } from "@/lib/imports/upload";
import { appErrorOf } from "../support/app-errors";

const dir = fs.mkdtempSync(path.join(os.tmpdir(), "notebook-import-uploads-"));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

const csv = "text,year\ncat,2021\n\"two\nlines\",2022\n";
const leftBehind = () => fs.readdirSync(dir).filter((name) => name.endsWith(".upload"));

function formRequest(parts: { file?: { name: string; content: string; type?: string; field?: string }; fields?: Record<string, string> }): Request {
  const form = new FormData();
  for (const [name, value] of Object.entries(parts.fields ?? {})) form.append(name, value);
  if (parts.file) form.append(parts.file.field ?? "file", new Blob([parts.file.content], { type: parts.file.type ?? "text/csv" }), parts.file.name);
  return new Request("http://localhost/api/collections/x/imports", { method: "POST", body: form });
}

describe("receiveImport(request, { dir })", () => {
  it("streams a multipart file part to disk, with its name, type and the form's fields", async () => {
    const mapping = JSON.stringify({ text: "text", metadata: { year: "number" } });
    const received = await receiveImport(formRequest({ file: { name: "notes.csv", content: csv }, fields: { mapping } }), { dir });
    expect(received).toMatchObject({ bytes: Buffer.byteLength(csv), filename: "notes.csv", mediaType: "text/csv", fields: { mapping } });
    expect(fs.readFileSync(received.path, "utf8")).toBe(csv);
    await received.discard();
    expect(fs.existsSync(received.path)).toBe(false);
  });

  it("takes the file as the request body itself, with mapping and format in the query string", async () => {
    const bytes = new Uint8Array([0x50, 0x41, 0x52, 0x31, 0, 1, 2, 255]);
    const request = new Request(`http://localhost/api/collections/x/imports?format=parquet&mapping=${encodeURIComponent('{"vector":"v"}')}`, {
      method: "POST",
      headers: { "content-type": "application/vnd.apache.parquet" },
      body: bytes,
    });
    const received = await receiveImport(request, { dir });
    expect(received).toMatchObject({ bytes: 8, mediaType: "application/vnd.apache.parquet", fields: { format: "parquet", mapping: '{"vector":"v"}' } });
    expect(new Uint8Array(fs.readFileSync(received.path))).toEqual(bytes);
    await received.discard();
  });

  it("refuses a file past the limit with 413, and leaves nothing on disk", async () => {
    const before = leftBehind().length;
    const error = await appErrorOf(receiveImport(formRequest({ file: { name: "big.csv", content: "x".repeat(5_000) } }), { dir, maxFileBytes: 1_000 }));
    expect(error).toMatchObject({ code: "payload_too_large:file", status: 413 });
    expect(error.message).toBe("The file is larger than 1000 bytes, the most one import takes.");
    const raw = await appErrorOf(receiveImport(new Request("http://localhost/x", { method: "POST", body: "y".repeat(5_000) }), { dir, maxFileBytes: 1_000 }));
    expect(raw.status).toBe(413);
    expect(leftBehind().length).toBe(before);
  });

  it("leaves nothing on disk when many refused uploads run at once, or a form field is refused before the file", async () => {
    const big = Array.from({ length: 40 }, (_, i) =>
      appErrorOf(receiveImport(i % 2 ? formRequest({ file: { name: "big.csv", content: "x".repeat(50_000) } }) : new Request("http://localhost/x", { method: "POST", body: "y".repeat(50_000) }), { dir, maxFileBytes: 1_000 })),
    );
    expect((await Promise.all(big)).map((error) => error.status)).toEqual(Array(40).fill(413));
    const longField = await appErrorOf(receiveImport(formRequest({ fields: { mapping: "m".repeat(70 * 1024) }, file: { name: "a.csv", content: csv } }), { dir }));
    expect(longField).toMatchObject({ code: "payload_too_large:mapping", status: 413 });
    expect(leftBehind()).toEqual([]);
  });

  it("says what is missing: no file part, a file under another name, an empty file, no body", async () => {
    expect((await appErrorOf(receiveImport(formRequest({ fields: { mapping: "{}" } }), { dir }))).message).toBe('The form has no file: send it as the part named "file".');
    expect((await appErrorOf(receiveImport(formRequest({ file: { name: "a.csv", content: csv, field: "upload" } }), { dir }))).message).toBe('The form sends a file as "upload"; send it as "file".');
    expect((await appErrorOf(receiveImport(formRequest({ file: { name: "a.csv", content: "" } }), { dir }))).message).toBe("The file is empty.");
    expect((await appErrorOf(receiveImport(new Request("http://localhost/x", { method: "POST" }), { dir }))).code).toBe("bad_request:file");
    expect(leftBehind()).toEqual([]);
  });
});
