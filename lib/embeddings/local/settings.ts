import { readFile } from "node:fs/promises";
import path from "node:path";
import { knownModel, type Pooling } from "./known-models";

/**
 * How to run one model, from its own files first, then the table of known models, then defaults:
 *
 * | setting   | model's files                                            | table     | default |
 * | --------- | -------------------------------------------------------- | --------- | ------- |
 * | pooling   | 1_Pooling/config.json (`pooling_mode_cls_token` / `_mean_tokens`) | `pooling` | mean (what most sentence-transformers models use) |
 * | normalize | modules.json lists `sentence_transformers.models.Normalize` | `normalize` | true |
 * | prefix    | config_sentence_transformers.json `prompts[default_prompt_name]`, else `prompts.query` | `prefix` | none |
 * | maxLength | sentence_bert_config.json `max_seq_length`               | `maxLength` | tokenizer_config.json `model_max_length`, else 512 |
 * | dims      | config.json `hidden_size`                                  | `dims`    | learned from the first answer |
 *
 * A file that is present but unreadable is ignored here (config.json and the tokenizer files are
 * checked when the model loads). The tokenizer's own `model_max_length` caps the cut in any case.
 */
export interface ModelSettings {
  pooling: Pooling;
  normalize: boolean;
  prefix: string;
  /** Tokens per text, special tokens included; longer texts are cut to this (the end is dropped). */
  maxLength: number;
  /** From config.json's `hidden_size` or the table; null when neither says (learned from the first answer). */
  dims: number | null;
}

export const defaultSettings = { pooling: "mean", normalize: true, prefix: "", maxLength: 512 } as const;

/** Longest cut we accept from a file: tokenizers without a limit say 1e30. */
const maxSensibleLength = 100_000;

export async function readModelSettings(dir: string, repoId: string): Promise<ModelSettings> {
  const known = knownModel(repoId);
  const [pooling, modules, sentenceBert, prompts, tokenizerConfig, config] = await Promise.all(
    ["1_Pooling/config.json", "modules.json", "sentence_bert_config.json", "config_sentence_transformers.json", "tokenizer_config.json", "config.json"].map(
      (file) => readJson(path.join(/* turbopackIgnore: true */ dir, file)),
    ),
  );
  return {
    pooling: poolingFrom(pooling) ?? known?.pooling ?? defaultSettings.pooling,
    normalize: normalizeFrom(modules) ?? known?.normalize ?? defaultSettings.normalize,
    prefix: prefixFrom(prompts) ?? known?.prefix ?? defaultSettings.prefix,
    maxLength:
      positiveInteger(field(sentenceBert, "max_seq_length")) ??
      known?.maxLength ??
      positiveInteger(field(tokenizerConfig, "model_max_length")) ??
      defaultSettings.maxLength,
    dims: positiveInteger(field(config, "hidden_size")) ?? known?.dims ?? null,
  };
}

/** config.json's `hidden_size`, read synchronously for listings; null when absent or unreadable. */
export function hiddenSizeFromConfigText(text: string): number | null {
  try {
    return positiveInteger(field(JSON.parse(text), "hidden_size"));
  } catch {
    return null;
  }
}

function poolingFrom(config: unknown): Pooling | undefined {
  if (field(config, "pooling_mode_cls_token") === true) return "cls";
  if (field(config, "pooling_mode_mean_tokens") === true) return "mean";
  return undefined;
}

function normalizeFrom(modules: unknown): boolean | undefined {
  if (!Array.isArray(modules)) return undefined;
  return modules.some((module) => field(module, "type") === "sentence_transformers.models.Normalize");
}

function prefixFrom(config: unknown): string | undefined {
  const prompts = field(config, "prompts");
  if (!prompts || typeof prompts !== "object") return undefined;
  const name = field(config, "default_prompt_name");
  const prompt = field(prompts, typeof name === "string" ? name : "query");
  return typeof prompt === "string" ? prompt : undefined;
}

function field(value: unknown, key: string): unknown {
  return value && typeof value === "object" && Object.hasOwn(value, key) ? (value as Record<string, unknown>)[key] : undefined;
}

function positiveInteger(value: unknown): number | null {
  return typeof value === "number" && Number.isInteger(value) && value > 0 && value <= maxSensibleLength ? value : null;
}

async function readJson(file: string): Promise<unknown> {
  try {
    return JSON.parse(await readFile(/* turbopackIgnore: true */ file, "utf8"));
  } catch {
    return undefined;
  }
}
