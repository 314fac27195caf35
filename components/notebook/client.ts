/** Browser-side calls to the app's JSON API; every failure becomes an Error carrying the server's message. */

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

export async function callApi<T>(
  path: string,
  { method = "POST", body, editKey }: { method?: string; body?: unknown; editKey?: string } = {},
): Promise<T> {
  const headers: Record<string, string> = {};
  if (body !== undefined) headers["content-type"] = "application/json";
  if (editKey) headers.authorization = `Bearer ${editKey}`;
  const response = await fetch(path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  if (response.status === 204) return undefined as T;
  const reply = await response.json().catch(() => null);
  if (!response.ok) {
    throw new ApiError(response.status, reply?.error?.code ?? "unknown", reply?.error?.message ?? `Request failed (HTTP ${response.status}).`);
  }
  return reply as T;
}

export type Point = [number, number];
export type ScoredText = { text: string; score: number };

/** Embeds texts in chunks so a long list shows progress; the vectors stay on the server (cached). */
export async function embedInChunks(
  model: string,
  texts: string[],
  onProgress: (done: number, total: number) => void,
  chunkSize = 50,
): Promise<void> {
  for (let start = 0; start < texts.length; start += chunkSize) {
    onProgress(start, texts.length);
    await callApi("/api/embed", { body: { model, texts: texts.slice(start, start + chunkSize) } });
  }
  onProgress(texts.length, texts.length);
}
