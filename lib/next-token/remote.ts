import { AppError } from "../api/errors";
import { generationConfig, generationDefaults, requestChatCompletion } from "../embeddings/generation";
import type { GenerateInput, GenerationStep, NextTokenModel, NextTokenModelInfo, Prediction, PredictInput, TokenProbability } from "./types";

/**
 * A real LLM's next-token distribution, from any server that speaks the OpenAI-style
 * chat-completions protocol with `logprobs` (Hugging Face's router, text-generation-inference,
 * vLLM): the same server, model and token as the RAG answer (HF_GENERATION_URL,
 * HF_GENERATION_MODEL, HF_TOKEN). A chat server wraps the text in its chat template, so the model
 * is asked to continue the text and the "next token" is the first token of its reply.
 * OpenAI allows at most 20 `top_logprobs`; larger k is cut to 20.
 */

export const remoteModelId = "remote-llm";
export const maxTopLogprobs = 20;

const instruction = "Continue the user's text directly, as if you were writing it; reply with the continuation only, without quotes or preamble.";

interface Options {
  env?: Record<string, string | undefined>;
  /** Time limit of one request, in ms. Default the generation one (60 s). */
  timeoutMs?: number;
}

type Logprob = { token: string; logprob: number; top_logprobs?: { token: string; logprob: number }[] };

export function createRemoteModel({ env, timeoutMs = generationDefaults.timeoutMs }: Options = {}): NextTokenModel {
  async function complete(text: string, k: number, maxTokens: number, sampling: { temperature: number; seed?: number }) {
    const { model, reply } = await requestChatCompletion(
      {
        messages: [
          { role: "system", content: instruction },
          { role: "user", content: text },
        ],
        max_tokens: maxTokens,
        logprobs: true,
        top_logprobs: Math.min(k, maxTopLogprobs),
        ...sampling,
      },
      { env: env ?? process.env, timeoutMs },
    );
    const positions = (reply.choices?.[0]?.logprobs?.content ?? []) as Logprob[];
    if (positions.length === 0 || !positions.every((position) => Array.isArray(position.top_logprobs))) {
      throw new AppError("bad_gateway:generation", `${model} answered without top_logprobs: the server must support logprobs (vLLM, text-generation-inference and OpenAI-compatible servers do).`);
    }
    return positions;
  }

  const note = (k: number) => (k > maxTopLogprobs ? `The server gives at most ${maxTopLogprobs} candidates per token.` : undefined);

  return {
    id: remoteModelId,
    async info(): Promise<NextTokenModelInfo> {
      const config = generationConfig(env ?? process.env);
      return {
        id: remoteModelId,
        label: `${config.model} (remote LLM)`,
        kind: "llm",
        languages: [],
        available: config.available,
        ...(config.reason ? { install: config.reason } : {}),
        description: "A real neural LLM's next-token probabilities (top_logprobs), from the configured chat-completions server.",
      };
    },
    async predict({ text, appended = [], k }: PredictInput): Promise<Prediction> {
      const [first] = await complete(text + appended.join(""), k, 1, { temperature: 0 });
      return withNote({ context: [], tokens: toDistribution(first, k) }, note(k));
    },
    // One request: the server generates `steps` tokens with its own sampler (greedy = temperature 0,
    // seeded where it supports `seed`) and returns each position's candidates.
    async generate({ text, k, steps, strategy, temperature, seed }: GenerateInput) {
      const positions = await complete(text, k, Math.max(steps, 1), strategy === "greedy" ? { temperature: 0 } : { temperature, seed });
      const tokens = toDistribution(positions[0], k);
      const generated: GenerationStep[] = steps === 0 ? [] : positions.map((position) => ({ chosen: position.token, tokens: toDistribution(position, k) }));
      return { prediction: withNote({ context: [], tokens }, note(k)), steps: generated };
    },
  };
}

function toDistribution(position: Logprob, k: number): TokenProbability[] {
  return (position.top_logprobs ?? [])
    // Cut to 6 decimals, as the n-gram model does, so rounding never lifts a sum past 1.
    .map(({ token, logprob }) => ({ text: token, probability: Math.floor(Math.min(1, Math.exp(logprob)) * 1e6) / 1e6 }))
    .sort((a, b) => b.probability - a.probability)
    .slice(0, k);
}

function withNote(prediction: Prediction, note: string | undefined): Prediction {
  const server = "The server does not say how it cut the text into tokens.";
  return { ...prediction, note: note ? `${server} ${note}` : server };
}
