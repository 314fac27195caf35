import http from "node:http";
import type { AddressInfo } from "node:net";

/**
 * A local HTTP server that speaks the OpenAI-style chat-completions protocol the way a
 * text-generation-inference server or Hugging Face's router does, for testing the real client
 * over real HTTP without the internet. It answers with a fixed text built from the prompt.
 */
export interface ChatCompletionsServer {
  url: string;
  requests: { path: string; authorization?: string; body: Record<string, any> }[];
  /** The next reply's status (then back to 200). */
  failNext(status: number): void;
  close(): Promise<void>;
}

export async function startChatCompletionsServer(): Promise<ChatCompletionsServer> {
  const requests: ChatCompletionsServer["requests"] = [];
  let nextStatus: number | null = null;
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
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
