import { createServer, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

/**
 * A local stand-in for the Hugging Face Hub's file downloads: `GET` and `HEAD`
 * `/<owner>/<name>/resolve/main/<file>` answer a repo's files (with Content-Length), anything else
 * 404 like the hub. `hold(path)` keeps a file's body back until the test releases it, half sent,
 * so a download can be watched while it is under way.
 */
export interface FakeModelHub {
  /** Base URL, `http://127.0.0.1:<port>`: use it as HF_ENDPOINT. */
  url: string;
  /** Every request, as `METHOD /path`, in order. */
  requests: string[];
  /** Adds or replaces a repo's files (path relative to the repo → contents). */
  put(repoId: string, files: Record<string, Uint8Array>): void;
  /** Sends the first half of the file at `repoId/file` and holds the rest until `release()`. */
  hold(repoId: string, file: string): { release(): void };
  close(): Promise<void>;
}

export async function startFakeModelHub(repos: Record<string, Record<string, Uint8Array>> = {}): Promise<FakeModelHub> {
  const files = new Map<string, Uint8Array>();
  const holds = new Map<string, Promise<void>>();
  const requests: string[] = [];
  const put = (repoId: string, contents: Record<string, Uint8Array>) => {
    for (const [file, bytes] of Object.entries(contents)) files.set(`/${repoId}/resolve/main/${file}`, bytes);
  };
  Object.entries(repos).forEach(([repoId, contents]) => put(repoId, contents));

  const server = createServer(async (req, res) => {
    const path = decodeURI(new URL(req.url ?? "/", "http://hub").pathname);
    requests.push(`${req.method} ${path}`);
    const body = files.get(path);
    if (!body || (req.method !== "GET" && req.method !== "HEAD")) {
      res.writeHead(404, { "content-type": "application/json" });
      res.end(req.method === "HEAD" ? undefined : JSON.stringify({ error: "Entry not found" }));
      return;
    }
    res.writeHead(200, { "content-type": "application/octet-stream", "content-length": String(body.byteLength) });
    if (req.method === "HEAD") return void res.end();
    const held = holds.get(path);
    if (!held) return void res.end(body);
    const half = Math.floor(body.byteLength / 2);
    res.write(body.subarray(0, half));
    await held;
    endIfOpen(res, body.subarray(half));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    put,
    hold(repoId, file) {
      let release!: () => void;
      const path = `/${repoId}/resolve/main/${file}`;
      holds.set(path, new Promise<void>((resolve) => (release = resolve)));
      return {
        release() {
          holds.delete(path);
          release();
        },
      };
    },
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve, reject) => server.close((error) => (error ? reject(error) : resolve())));
    },
  };
}

function endIfOpen(res: ServerResponse, rest: Uint8Array): void {
  if (!res.destroyed) res.end(rest);
}
