import type { TextWarning } from "@/lib/embeddings/readability";

/** Browser-side calls to the app's JSON API; every failure becomes an Error carrying the server's message. */

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details?: Record<string, unknown>,
  ) {
    super(message);
  }
}

export async function callApi<T>(
  path: string,
  { method = "POST", body, editKey, headers: extra = {} }: { method?: string; body?: unknown; editKey?: string; headers?: Record<string, string> } = {},
): Promise<T> {
  const headers: Record<string, string> = { ...extra };
  if (body !== undefined) headers["content-type"] = "application/json";
  if (editKey) headers.authorization = `Bearer ${editKey}`;
  const response = await fetch(path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  if (response.status === 204) return undefined as T;
  const reply = await response.json().catch(() => null);
  if (!response.ok) {
    throw new ApiError(
      response.status,
      reply?.error?.code ?? "unknown",
      reply?.error?.message ?? `Request failed (HTTP ${response.status}).`,
      reply?.error?.details,
    );
  }
  return reply as T;
}

export type Point = [number, number];
export type ScoredText = { text: string; score: number };

export interface EmbedOutcome {
  /** Texts the model refused as unreadable (as sent), and the models the server said read them. */
  unreadable: string[];
  readableBy: string[];
  /** Texts embedded with some unknown pieces. */
  warnings: TextWarning[];
}

/**
 * Embeds texts in chunks so a long list shows progress; the vectors stay on the server (cached).
 * Texts the model cannot read are set aside and the rest of their chunk is sent again, so one
 * unreadable item does not stop the others.
 */
export async function embedInChunks(
  model: string,
  texts: string[],
  onProgress: (done: number, total: number) => void,
  chunkSize = 50,
): Promise<EmbedOutcome> {
  const outcome: EmbedOutcome = { unreadable: [], readableBy: [], warnings: [] };
  const embed = (chunk: string[]) => callApi<{ warnings?: TextWarning[] }>("/api/embed", { body: { model, texts: chunk } });
  for (let start = 0; start < texts.length; start += chunkSize) {
    onProgress(start, texts.length);
    let chunk = texts.slice(start, start + chunkSize);
    let reply: { warnings?: TextWarning[] } | undefined;
    try {
      reply = await embed(chunk);
    } catch (error) {
      if (!(error instanceof ApiError && error.code === "unreadable:texts" && Array.isArray(error.details?.texts))) throw error;
      // The server names texts as it read them: NFC-normalised and trimmed.
      const refused = new Set(error.details.texts as string[]);
      const isRefused = (text: string) => refused.has(text.normalize("NFC").trim());
      outcome.unreadable.push(...chunk.filter(isRefused));
      outcome.readableBy = [...new Set([...outcome.readableBy, ...((error.details.readableBy as string[] | undefined) ?? [])])];
      chunk = chunk.filter((text) => !isRefused(text));
      if (chunk.length > 0) reply = await embed(chunk);
    }
    outcome.warnings.push(...(reply?.warnings ?? []));
  }
  onProgress(texts.length, texts.length);
  return outcome;
}
