import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

/**
 * A local stand-in for Hugging Face feature extraction, speaking what `@huggingface/inference` sends:
 * `POST <url>` with JSON `{ inputs: string | string[], truncate?, … }` and `Authorization: Bearer <token>`.
 * With an endpoint URL the client POSTs to that URL verbatim, so `/` and `/embed` (TEI) are answered;
 * so is the router's `/hf-inference/models/<owner/name>/pipeline/feature-extraction`.
 *
 * Answers are deterministic vectors derived from the text (see `fakeEmbedding`); `script()` queues
 * faults and odd bodies for the next requests.
 */

export interface RecordedRequest {
  method: string;
  path: string;
  /** The Authorization header as received, or undefined. */
  authorization: string | undefined;
  /** Parsed JSON body, or the raw text when it was not JSON. */
  body: unknown;
}

/** One scripted answer; fields left out fall back to the normal answer. */
export interface ScriptedReply {
  /** HTTP status. Default 200. */
  status?: number;
  headers?: Record<string, string>;
  /** A JSON value to send instead of the normal answer. */
  json?: unknown;
  /** Raw body text to send instead (with `contentType`, default `application/json`). */
  raw?: string;
  contentType?: string;
  /** Wait this long before answering. */
  delayMs?: number;
  /** Hold the answer until this settles: the test decides when the provider answers. */
  until?: Promise<unknown>;
}

export interface HfInferenceServerOptions {
  /** Length of every vector. Default 8. */
  dims?: number;
  /** `pooled`: one vector per input. `tokens`: one vector per whitespace-separated word (no pooling). Default `pooled`. */
  output?: "pooled" | "tokens";
  /** When set, a request without `Authorization: Bearer <token>` gets 401 like the real router. */
  token?: string;
}

export interface HfInferenceServer {
  /** Base URL, `http://127.0.0.1:<port>`: use it as the router base. */
  url: string;
  /** TEI-style endpoint URL, `<url>/embed`. */
  embedUrl: string;
  /** Every request received, in order. */
  requests: RecordedRequest[];
  options: Required<Omit<HfInferenceServerOptions, "token">> & { token?: string };
  /** Queue replies for the next requests, one each, before normal answers resume. */
  script(...replies: ScriptedReply[]): void;
  close(): Promise<void>;
}

const ROUTER_PATH = /^\/hf-inference\/models\/[^/]+(?:\/[^/]+)?\/pipeline\/feature-extraction$/;

/** FNV-1a hash of `text` → `dims` numbers in [-1, 1); the same text always gives the same vector. */
export function fakeEmbedding(text: string, dims: number): number[] {
  return Array.from({ length: dims }, (_, i) => {
    let hash = 0x811c9dc5;
    for (const char of `${i}:${text}`) {
      hash ^= char.codePointAt(0)!;
      hash = Math.imul(hash, 0x01000193) >>> 0;
    }
    return (hash / 2 ** 32) * 2 - 1;
  });
}

/** The token vectors the server answers for `text` in `tokens` mode. */
export function fakeTokenEmbeddings(text: string, dims: number): number[][] {
  return text.split(/\s+/).filter(Boolean).map((word) => fakeEmbedding(word, dims));
}

/** Starts the server on 127.0.0.1 and a free port. */
export async function startHfInferenceServer(options: HfInferenceServerOptions = {}): Promise<HfInferenceServer> {
  const requests: RecordedRequest[] = [];
  const queue: ScriptedReply[] = [];
  const timers = new Set<NodeJS.Timeout>();
  const settings = { dims: options.dims ?? 8, output: options.output ?? "pooled", token: options.token };

  const server = createServer(async (req, res) => {
    const text = await readBody(req);
    let body: unknown = text;
    try {
      body = JSON.parse(text);
    } catch {
      // keep the raw text: tests may assert on it
    }
    const path = req.url ?? "/";
    requests.push({ method: req.method ?? "", path, authorization: req.headers.authorization, body });

    const reply = queue.shift() ?? {};
    if (reply.delayMs) {
      const ok = await wait(reply.delayMs, res, timers);
      if (!ok) return; // the client gave up; nobody is listening
    }
    if (reply.until) {
      await reply.until;
      if (res.destroyed) return;
    }
    if (reply.status !== undefined || reply.json !== undefined || reply.raw !== undefined) {
      return send(res, reply.status ?? 200, reply.raw ?? JSON.stringify(reply.json ?? {}), {
        "content-type": reply.contentType ?? "application/json",
        ...reply.headers,
      });
    }
    const [status, answer] = answerFor(req.method, path, req.headers.authorization, body, settings);
    send(res, status, JSON.stringify(answer), { "content-type": "application/json", ...reply.headers });
  });

  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  const url = `http://127.0.0.1:${port}`;

  return {
    url,
    embedUrl: `${url}/embed`,
    requests,
    options: settings,
    script: (...replies) => void queue.push(...replies),
    close: async () => {
      for (const timer of timers) clearTimeout(timer);
      server.closeAllConnections();
      await new Promise<void>((resolve, reject) => server.close((error) => (error ? reject(error) : resolve())));
    },
  };
}

function answerFor(
  method: string | undefined,
  path: string,
  authorization: string | undefined,
  body: unknown,
  settings: { dims: number; output: "pooled" | "tokens"; token?: string },
): [number, unknown] {
  if (method !== "POST") return [405, { error: "Method Not Allowed" }];
  if (path !== "/" && path !== "/embed" && !ROUTER_PATH.test(path)) return [404, { error: "Not Found" }];
  if (settings.token !== undefined && authorization !== `Bearer ${settings.token}`) {
    return [401, { error: "Invalid credentials in Authorization header" }];
  }
  const inputs = (body as { inputs?: unknown } | null)?.inputs;
  const embedOne = (text: string) =>
    settings.output === "tokens" ? fakeTokenEmbeddings(text, settings.dims) : fakeEmbedding(text, settings.dims);
  if (typeof inputs === "string") return [200, embedOne(inputs)];
  if (Array.isArray(inputs) && inputs.length > 0 && inputs.every((x) => typeof x === "string")) {
    return [200, inputs.map(embedOne)];
  }
  return [422, { error: "Input validation error: `inputs` must be a string or a non-empty list of strings", error_type: "Validation" }];
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => resolve(Buffer.concat(chunks).toString("utf8")));
    req.on("error", reject);
  });
}

/** Waits `ms`; resolves false early when the client disconnects. */
function wait(ms: number, res: ServerResponse, timers: Set<NodeJS.Timeout>): Promise<boolean> {
  return new Promise((resolve) => {
    const timer = setTimeout(() => {
      timers.delete(timer);
      resolve(true);
    }, ms);
    timers.add(timer);
    res.once("close", () => {
      clearTimeout(timer);
      timers.delete(timer);
      resolve(false);
    });
  });
}

function send(res: ServerResponse, status: number, body: string, headers: Record<string, string>): void {
  if (res.destroyed) return;
  res.writeHead(status, headers);
  res.end(body);
}
