import { z } from "zod";
import { AppError } from "../api/errors";
import { textSchema } from "../api/schemas";
import { createRandom } from "../projection/random";
import { defaultNextTokenModel, getNextTokenModel, nextTokenModelIds } from "./registry";
import type { GenerationStep, NextTokenModel, TokenProbability } from "./types";

/**
 * POST /api/next-tokens: the distribution over the next token, and optionally a generation one
 * token at a time, each step's distribution with the token chosen from it.
 */

export const nextTokenDefaults = { k: 10, steps: 0, strategy: "greedy", temperature: 1, seed: 42 } as const;

export const nextTokensRequestSchema = z.strictObject({
  text: textSchema.describe("The context: the text so far."),
  k: z.number().int("must be a whole number").min(1, "must be at least 1").max(50, "must be at most 50").default(nextTokenDefaults.k).describe("How many candidates per distribution, best first (1–50; default 10)."),
  model: z
    .enum(nextTokenModelIds as [string, ...string[]], { error: `must be one of ${nextTokenModelIds.join(", ")}` })
    .default(defaultNextTokenModel)
    .describe(`Next-token model from GET /api/next-tokens (default ${defaultNextTokenModel}).`),
  steps: z.number().int("must be a whole number").min(0, "must be at least 0").max(50, "must be at most 50").default(nextTokenDefaults.steps).describe("Tokens to generate after the text, one at a time (0–50; default 0)."),
  strategy: z.enum(["greedy", "sample"], { error: 'must be "greedy" or "sample"' }).default(nextTokenDefaults.strategy).describe("greedy: always the likeliest token; sample: drawn from the top k at `temperature`."),
  temperature: z.number().gt(0, "must be above 0").max(2, "must be at most 2").default(nextTokenDefaults.temperature).describe("sample: below 1 sharpens the distribution, above 1 flattens it (default 1)."),
  seed: z.number().int("must be a whole number").min(0).max(2 ** 31 - 1).default(nextTokenDefaults.seed).describe("sample: the same seed gives the same tokens (default 42)."),
});

export type NextTokensRequest = z.infer<typeof nextTokensRequestSchema>;

export interface NextTokensReply {
  model: string;
  label: string;
  context: string[];
  tokens: TokenProbability[];
  steps: GenerationStep[];
  /** The text with the generated tokens appended. */
  text: string;
  note?: string;
}

/** Answers a request; throws 503 `unavailable:*` when the model cannot run here. */
export async function predictNextTokens(request: NextTokensRequest): Promise<NextTokensReply> {
  const model = getNextTokenModel(request.model)!;
  const info = await model.info();
  if (!info.available) throw new AppError("unavailable:next_token_model", `${model.id} is not available here: ${info.install ?? "see GET /api/next-tokens"}`);
  const { prediction, steps, note } = model.generate ? await model.generate(request) : await generateStepwise(model, request);
  const notes = [prediction.note, note].filter(Boolean);
  return {
    model: model.id,
    label: info.label,
    context: prediction.context,
    tokens: prediction.tokens,
    steps,
    text: request.text + steps.map((step) => step.chosen).join(""),
    ...(notes.length > 0 ? { note: notes.join(" ") } : {}),
  };
}

/** One `predict` per step; each chosen token is appended as a token, not re-read as text. */
async function generateStepwise(model: NextTokenModel, { text, k, steps, strategy, temperature, seed }: NextTokensRequest) {
  const prediction = await model.predict({ text, k });
  const random = createRandom(seed);
  const generated: GenerationStep[] = [];
  let tokens = prediction.tokens;
  let note: string | undefined;
  while (generated.length < steps) {
    if (tokens.length === 0) {
      note = `Generation stopped after ${generated.length} of ${steps} steps: no next token.`;
      break;
    }
    const chosen = strategy === "greedy" ? tokens[0].text : sample(tokens, temperature, random);
    generated.push({ chosen, tokens });
    if (generated.length < steps) tokens = (await model.predict({ text, appended: generated.map((step) => step.chosen), k })).tokens;
  }
  return { prediction, steps: generated, note };
}

/**
 * Draws a candidate with probability ∝ p^(1/temperature) (top-k sampling: only the k shown
 * candidates can be drawn). `random` returns numbers in [0, 1).
 */
export function sample(tokens: TokenProbability[], temperature: number, random: () => number): string {
  const weights = tokens.map(({ probability }) => Math.pow(probability, 1 / temperature));
  const total = weights.reduce((sum, weight) => sum + weight, 0);
  let at = random() * total;
  for (let i = 0; i < tokens.length; i++) {
    at -= weights[i];
    if (at < 0) return tokens[i].text;
  }
  return tokens.at(-1)!.text;
}
