import path from "node:path";
import { z } from "zod";

/**
 * Environment, validated once. A bad value fails loudly at start-up instead of at first use.
 * Every variable is optional: with none set the app runs offline on an embedded database.
 */
const envSchema = z.object({
  /** PostgreSQL server with pgvector. Unset → embedded PGlite in `PGLITE_DIR`. */
  DATABASE_URL: z.url({ protocol: /^postgres(ql)?$/ }).optional(),
  /** Where local state lives (embedded database, converted GloVe binary, `local:` models' files). Default `.data`. */
  DATA_DIR: z.string().min(1).default(".data"),
  /** Embedded database directory. Default `<DATA_DIR>/pglite`; `memory://` keeps it in memory. */
  PGLITE_DIR: z.string().min(1).optional(),
  /** Hugging Face token for `hf:` models. */
  HF_TOKEN: z.string().min(1).optional(),
  /** Dedicated Inference Endpoint or text-embeddings-inference server for `hf:` models (not `HF_ENDPOINT`, the hub `local:` models download from). */
  HF_ENDPOINT_URL: z.url().optional(),
  /**
   * Where `local:` models' files live, in the Hugging Face layout: `<MODELS_DIR>/<owner>/<name>/`
   * with config.json, tokenizer.json, tokenizer_config.json and onnx/model_quantized.onnx or
   * onnx/model.onnx. Default `<DATA_DIR>/models`.
   */
  MODELS_DIR: z.string().min(1).optional(),
  /** Where files sent for import wait until their import job is done with them. Default `<DATA_DIR>/imports`. */
  IMPORTS_DIR: z.string().min(1).optional(),
  /**
   * This machine's name for jobs whose input is a file on its disk (imports): such a job runs only
   * on servers with the same name. Default the hostname; give servers sharing IMPORTS_DIR one name.
   */
  JOB_FILE_HOST: z.string().min(1).max(200).optional(),
  /**
   * Whether a `local:` model whose files are missing may download them, once, from `HF_ENDPOINT`
   * ("1"/"true"/"yes"/"on" or "0"/"false"/"no"/"off"). Default off: the app never goes online by itself.
   */
  MODEL_DOWNLOADS: z.stringbool().default(false),
  /**
   * Hugging Face Hub, or a mirror of it, that `local:` models download files from, as
   * `<HF_ENDPOINT>/<owner>/<name>/resolve/main/<file>`. Default https://huggingface.co. Not to be
   * confused with `HF_ENDPOINT_URL`, an inference server that computes `hf:` models' vectors remotely.
   */
  HF_ENDPOINT: z.url({ protocol: /^https?$/ }).default("https://huggingface.co"),
  /** libime's `libime_prediction` (Debian libime-bin), for the offline Chinese next-token model. Default /usr/bin/libime_prediction. */
  LIBIME_PREDICTION_BIN: z.string().min(1).optional(),
  /** libime's `zh_CN.lm.predict` (Debian libime-data-language-model). Default /usr/lib/<multiarch>/libime/zh_CN.lm.predict. */
  LIBIME_MODEL_FILE: z.string().min(1).optional(),
  /** Time limit of one HTTP attempt to a remote model, in ms; each batch gets 3 attempts with backoff. */
  HF_TIMEOUT_MS: z.coerce.number().int().min(100).max(300_000).default(15_000),
  /** How many of GloVe's most frequent words go into pgvector for vocabulary search (1,000–200,000). */
  GLOVE_VOCABULARY_SIZE: z.coerce.number().int().min(1000).max(200_000).default(100_000),
  /** Memory for recently used vectors in front of the database's embeddings cache, in MiB. 0 turns it off. */
  EMBEDDING_MEMORY_CACHE_MB: z.coerce.number().int().min(0).max(16_384).default(64),
  /** Requests per minute per client to endpoints that compute (embed, similarity, search, project…). 0 turns the limit off. */
  RATE_LIMIT_COMPUTE_PER_MINUTE: z.coerce.number().int().min(0).default(600),
  /** Requests per minute per client to endpoints that write (save, edit, upload, delete). 0 turns the limit off. */
  RATE_LIMIT_WRITE_PER_MINUTE: z.coerce.number().int().min(0).default(120),
  /**
   * The address people reach the app at (e.g. https://notebook.example.org): share and edit links
   * in API replies start with it. Unset: links follow the request's Host header (and, behind
   * TRUSTED_PROXY_HOPS proxies, X-Forwarded-Host and X-Forwarded-Proto).
   */
  PUBLIC_URL: z.url({ protocol: /^https?$/ }).optional(),
  /** Reverse proxies in front of the app that append to X-Forwarded-For (and set X-Forwarded-Host/-Proto); 0 = clients connect directly. */
  TRUSTED_PROXY_HOPS: z.coerce.number().int().min(0).max(10).default(0),
  /**
   * How long, in ms, requests in flight may take to finish after SIGTERM before they are cut
   * (0–600,000; default 25,000, inside the 30 s orchestrators such as Kubernetes wait before
   * SIGKILL). Read by the production server, scripts/serve.mjs, which checks it the same way.
   */
  SHUTDOWN_GRACE_MS: z.coerce.number().int().min(0).max(600_000).default(25_000),
});

export type AppConfig = z.infer<typeof envSchema> & { dataDir: string; pgliteDir: string; modelsDir: string; importsDir: string };

/** Parses `env` (default `process.env`); throws an error listing every bad variable. */
export function readConfig(env: Record<string, string | undefined> = process.env): AppConfig {
  const present = Object.fromEntries(Object.entries(env).filter(([, value]) => value !== ""));
  const parsed = envSchema.safeParse(present);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => `${issue.path.join(".")}: ${issue.message}`);
    throw new Error(`Invalid environment configuration:\n  ${problems.join("\n  ")}`);
  }
  const dataDir = path.resolve(parsed.data.DATA_DIR);
  const pgliteDir = parsed.data.PGLITE_DIR?.startsWith("memory://")
    ? parsed.data.PGLITE_DIR
    : path.resolve(/* turbopackIgnore: true */ parsed.data.PGLITE_DIR ?? path.join(dataDir, "pglite"));
  const modelsDir = path.resolve(/* turbopackIgnore: true */ parsed.data.MODELS_DIR ?? path.join(dataDir, "models"));
  const importsDir = path.resolve(/* turbopackIgnore: true */ parsed.data.IMPORTS_DIR ?? path.join(dataDir, "imports"));
  return { ...parsed.data, dataDir, pgliteDir, modelsDir, importsDir };
}
