import { InferenceClient, InferenceClientProviderApiError } from "@huggingface/inference";
import { z } from "zod";
import { AppError } from "../api/errors";

/**
 * The last step of retrieval-augmented generation, optional: send the augmented prompt to a
 * text-generation model through `@huggingface/inference` (chat completions) and return its answer.
 * Needs HF_TOKEN for Hugging Face's router; HF_GENERATION_URL points it at any server that speaks
 * the OpenAI-style chat-completions protocol instead (a text-generation-inference server, say).
 */

export const generationDefaults = {
  /** Default model on Hugging Face's router; HF_GENERATION_MODEL overrides it. */
  model: "meta-llama/Llama-3.1-8B-Instruct",
  url: "https://router.huggingface.co/v1",
  maxTokens: 400,
  timeoutMs: 60_000,
} as const;

export const generateRequestSchema = z.strictObject({
  prompt: z.string().trim().min(1, "must not be empty").max(40_000, "must be at most 40000 characters").describe("The augmented prompt."),
  maxTokens: z.number().int().min(1).max(2_000).optional().describe("Longest answer, in tokens (default 400)."),
});

export interface GenerationConfig {
  available: boolean;
  model: string;
  /** What to set when unavailable. */
  reason?: string;
}

export function generationConfig(env: Record<string, string | undefined> = process.env): GenerationConfig & { url: string; token: string } {
  const token = env.HF_TOKEN?.trim() ?? "";
  const url = env.HF_GENERATION_URL?.trim() || generationDefaults.url;
  const model = env.HF_GENERATION_MODEL?.trim() || generationDefaults.model;
  const custom = Boolean(env.HF_GENERATION_URL?.trim());
  const available = token !== "" || custom;
  return {
    available,
    model,
    url,
    token,
    ...(available ? {} : { reason: "Set HF_TOKEN (or HF_GENERATION_URL for your own chat-completions server) to send prompts to a text-generation model." }),
  };
}

/** The model's answer to `prompt`. Throws 503 when not configured, 502/504 when the model fails. */
export async function generateAnswer({ prompt, maxTokens = generationDefaults.maxTokens }: { prompt: string; maxTokens?: number }): Promise<{ model: string; text: string }> {
  const { model, reply } = await requestChatCompletion({ messages: [{ role: "user", content: prompt }], max_tokens: maxTokens });
  const text = reply.choices?.[0]?.message?.content;
  if (typeof text !== "string") throw new AppError("bad_gateway:generation", `${model} answered without text.`);
  return { model, text: text.trim() };
}

// The client's own request and reply types (from @huggingface/tasks, not a direct dependency).
type ChatCompletionInput = Parameters<InferenceClient["chatCompletion"]>[0];
type ChatCompletionOutput = Awaited<ReturnType<InferenceClient["chatCompletion"]>>;

/**
 * One chat-completions request to the configured server, with the model, token, time limit and
 * error mapping every caller shares (the RAG answer, the remote next-token model). `request` is the
 * body without `model`: messages, max_tokens, logprobs… Throws 503 when not configured, 502/504
 * (and 429) when the server fails; the token never appears in a message.
 */
export async function requestChatCompletion(
  request: Omit<ChatCompletionInput, "model"> & Pick<ChatCompletionInput, "messages">,
  { env = process.env, timeoutMs = generationDefaults.timeoutMs }: { env?: Record<string, string | undefined>; timeoutMs?: number } = {},
): Promise<{ model: string; reply: ChatCompletionOutput }> {
  const config = generationConfig(env);
  if (!config.available) throw new AppError("unavailable:generation", config.reason!);
  const client = new InferenceClient(config.token || undefined);
  try {
    const reply = await client.chatCompletion(
      { ...request, model: config.model, endpointUrl: config.url },
      { signal: AbortSignal.timeout(timeoutMs), retry_on_error: false },
    );
    return { model: config.model, reply };
  } catch (error) {
    throw toAppError(error, config, timeoutMs);
  }
}

function toAppError(error: unknown, config: { model: string; token: string }, timeoutMs: number): AppError {
  if (error instanceof AppError) return error;
  if (error instanceof Error && (error.name === "TimeoutError" || error.name === "AbortError")) {
    return new AppError("gateway_timeout:generation", `${config.model} did not answer within ${timeoutMs / 1000} s.`);
  }
  const status = error instanceof InferenceClientProviderApiError ? error.httpResponse.status : undefined;
  if (status === 401 || status === 403) {
    return new AppError("bad_gateway:generation", "The text-generation service rejected the token: check HF_TOKEN.");
  }
  const message = (error instanceof Error ? error.message : String(error)).replaceAll(config.token || "\u0000", "***").slice(0, 300);
  return new AppError(status === 429 ? "rate_limited:generation" : "bad_gateway:generation", `${config.model} failed${status ? ` (HTTP ${status})` : ""}: ${message}`, { cause: error });
}
