/**
 * What every next-token model answers: given a text, the tokens it read and a probability
 * distribution over the token that comes next. A new model implements `NextTokenModel` and gets
 * one line in ./registry.ts.
 */

/** One candidate for the next token. */
export interface TokenProbability {
  text: string;
  /** In [0, 1]; the candidates of one distribution sum to at most 1 (the rest is the tokens not shown). */
  probability: number;
}

export interface NextTokenModelInfo {
  id: string;
  /** Short human name, with what kind of model it is ("n-gram model, not a neural LLM"). */
  label: string;
  kind: "n-gram" | "llm";
  /** BCP 47 languages the model reads well; empty when unknown (a remote model). */
  languages: string[];
  available: boolean;
  /** When unavailable: what to run or set to make it available. */
  install?: string;
  /** One or two sentences on what the numbers mean. */
  description: string;
}

export interface Prediction {
  /** The tokens the model read the text as (its own words or pieces); empty when it does not say. */
  context: string[];
  /** The distribution over the next token, best first, at most `k` entries. */
  tokens: TokenProbability[];
  /** Why the distribution is empty or what the model did instead (backed off to a shorter word…). */
  note?: string;
}

export interface PredictInput {
  text: string;
  /**
   * Tokens chosen after `text`, appended as tokens (the way an LLM appends a token id) rather than
   * re-read as text: a generation step's context. Default none.
   */
  appended?: string[];
  /** How many candidates, best first (1–50). */
  k: number;
}

export interface GenerateInput {
  text: string;
  k: number;
  steps: number;
  strategy: "greedy" | "sample";
  temperature: number;
  seed: number;
}

export interface GenerationStep {
  chosen: string;
  tokens: TokenProbability[];
}

export interface NextTokenModel {
  readonly id: string;
  info(): Promise<NextTokenModelInfo>;
  /** The next-token distribution. Throws `unavailable:*` (503) when the model cannot run here. */
  predict(input: PredictInput): Promise<Prediction>;
  /**
   * Optional: generate `steps` tokens in the model's own way (a remote LLM samples on its server, in
   * one request). Without it, ./generate.ts calls `predict` once per step and chooses itself.
   */
  generate?(input: GenerateInput): Promise<{ prediction: Prediction; steps: GenerationStep[]; note?: string }>;
}
