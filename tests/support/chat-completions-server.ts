import http from "node:http";
import type { AddressInfo } from "node:net";

/**
 * A local HTTP server that speaks the OpenAI-style chat-completions protocol the way a
 * text-generation-inference server or Hugging Face's router does, for testing the real client
 * over real HTTP without the internet. It answers with a fixed text built from the prompt; asked
 * for `logprobs` with `top_logprobs`, it answers a fixed next-token distribution instead (see
 * `nextTokenFixture`), one position per `max_tokens`, the way OpenAI, vLLM and TGI do.
 */

/** The next-token distribution the server gives at every position: " cat" is always best. */
export const nextTokenFixture = [
  { token: " cat", logprob: Math.log(0.5) },
  { token: " dog", logprob: Math.log(0.25) },
  { token: " bird", logprob: Math.log(0.125) },
  { token: " fish", logprob: Math.log(0.0625) },
] as const;

export interface ChatCompletionsServer {
  url: string;
  requests: { path: string; authorization?: string; body: Record<string, any> }[];
  /** The next reply's status (then back to 200). */
  failNext(status: number): void;
  /** Holds the next reply back for `ms` milliseconds (for time-limit tests). */
  delayNext(ms: number): void;
  close(): Promise<void>;
}

export async function startChatCompletionsServer(): Promise<ChatCompletionsServer> {
  const requests: ChatCompletionsServer["requests"] = [];
  let nextStatus: number | null = null;
  let nextDelay = 0;
  const server = http.createServer((request, response) => {
    let raw = "";
    request.on("data", (chunk) => (raw += chunk));
    request.on("end", () => {
      const body = raw ? JSON.parse(raw) : {};
      requests.push({ path: request.url ?? "", authorization: request.headers.authorization, body });
      response.setHeader("content-type", "application/json");
      if (request.method !== "POST" || request.url !== "/v1/chat/completions") {
        response.statusCode = 404;
        return response.end(JSON.stringify({ error: "not found" }));
      }
      if (nextStatus !== null) {
        response.statusCode = nextStatus;
        nextStatus = null;
        return response.end(JSON.stringify({ error: "model overloaded" }));
      }
      const prompt = String(body.messages?.at(-1)?.content ?? "");
      const delay = nextDelay;
      nextDelay = 0;
      if (body.logprobs) {
        const top = nextTokenFixture.slice(0, Math.min(Number(body.top_logprobs ?? 0), nextTokenFixture.length));
        const positions = Array.from({ length: Number(body.max_tokens ?? 1) }, () => ({ token: nextTokenFixture[0].token, logprob: nextTokenFixture[0].logprob, top_logprobs: top }));
        const reply = {
          id: "chatcmpl-local",
          object: "chat.completion",
          created: 0,
          model: body.model,
          choices: [{ index: 0, finish_reason: "length", message: { role: "assistant", content: positions.map((p) => p.token).join("") }, logprobs: { content: positions } }],
          usage: { prompt_tokens: 1, completion_tokens: positions.length, total_tokens: positions.length + 1 },
        };
        setTimeout(() => response.end(JSON.stringify(reply)), delay);
        return;
      }
      response.end(
        JSON.stringify({
          id: "chatcmpl-local",
          object: "chat.completion",
          created: 0,
          model: body.model,
          choices: [{ index: 0, finish_reason: "stop", message: { role: "assistant", content: ` Answer to a ${prompt.length}-character prompt [1]. ` } }],
          usage: { prompt_tokens: 1, completion_tokens: 1, total_tokens: 2 },
        }),
      );
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    failNext: (status) => (nextStatus = status),
    delayNext: (ms) => (nextDelay = ms),
    close: () => new Promise((resolve) => (server.closeAllConnections(), server.close(() => resolve()))),
  };
}
