import {
  InferenceClient,
  InferenceClientProviderApiError,
  InferenceClientProviderOutputError,
} from "@huggingface/inference";
import { AppError, type ErrorCode } from "../api/errors";
import { readConfig } from "../config";
import type { EmbeddingModel, ModelFamily, ModelInfo } from "./types";

/**
 * Remote sentence embeddings through `@huggingface/inference`: the public HF Inference router
 * (needs `HF_TOKEN`) or one dedicated Inference Endpoint / text-embeddings-inference server
 * (`HF_ENDPOINT_URL`, token optional).
 *
 * The client is always given a full URL as `endpointUrl`. For the public router that URL is the one
 * the client would build itself for provider "hf-inference"
 * (`https://router.huggingface.co/hf-inference/models/<id>/pipeline/feature-extraction`); handing it
 * over directly skips the client's extra hub request (`/api/models/<id>?expand[]=inferenceProviderMapping`),
 * which it makes even when the provider is named explicitly.
 */

export interface HuggingFaceModelOptions {
  /** Access token sent as `Authorization: Bearer …`. Default `process.env.HF_TOKEN`; `""` means none. */
  token?: string;
  /**
   * Dedicated Inference Endpoint or text-embeddings-inference (TEI) URL, POSTed to verbatim with
   * `{ inputs: string[] }`. Default `process.env.HF_ENDPOINT_URL`; `""` means none (use the router).
   * Every `hf:` model then goes to this one server, whatever model it actually serves.
   */
  endpointUrl?: string;
  /** Base of the public router. Default `https://router.huggingface.co`; tests point it at a local server. */
  routerUrl?: string;
  /** Time limit of one HTTP attempt, in ms. Default 15,000. */
  timeoutMs?: number;
  /** Attempts per batch, counting the first (1 = no retry). Default 3. */
  maxAttempts?: number;
  /** First backoff delay in ms, doubled on every retry, with jitter in [delay/2, delay]. Default 500. */
  retryBaseDelayMs?: number;
  /** Upper bound of any wait between attempts, including an upstream `Retry-After`. Default 10,000 ms. */
  maxRetryDelayMs?: number;
  /** Texts per request. Default 32. */
  batchSize?: number;
  /** Ask the server to cut texts longer than the model's window instead of refusing them. Default true. */
  truncate?: boolean;
  /** Source of jitter in [0, 1). Default `Math.random`. */
  random?: () => number;
  /** How to wait between attempts. Default a `setTimeout` promise; tests may record the delays. */
  sleep?: (ms: number) => Promise<void>;
}

export const defaults = {
  routerUrl: "https://router.huggingface.co",
  timeoutMs: 15_000,
  maxAttempts: 3,
  retryBaseDelayMs: 500,
  maxRetryDelayMs: 10_000,
  batchSize: 32,
  truncate: true,
} as const;

const ID_PREFIX = "hf:";
const MAX_REPO_ID_LENGTH = 96;
const REPO_SEGMENT = /^[A-Za-z0-9_](?:[A-Za-z0-9_.-]*[A-Za-z0-9_])?$/;
const MAX_UPSTREAM_MESSAGE = 300;
const EXAMPLE_ID = "hf:BAAI/bge-small-en-v1.5";

/** Dimension learned from the first good answer, per model id, for the life of the process. */
const learnedDims = new Map<string, number>();

/**
 * Repo-id problem in words ("has more than one '/'"), or null when `repoId` is a valid `name` or
 * `owner/name`. Shared by every family that names Hugging Face repos (`hf:`, `local:`).
 */
export function repoIdProblem(repoId: string): string | null {
  if (repoId.length === 0) return "is empty";
  if (repoId.length > MAX_REPO_ID_LENGTH) return `is longer than ${MAX_REPO_ID_LENGTH} characters`;
  const segments = repoId.split("/");
  if (segments.length > 2) return "has more than one '/'";
  if (segments.every((s) => REPO_SEGMENT.test(s) && !s.includes(".."))) return null;
  return "may only hold letters, digits, '-', '_' and '.' (not at either end, no '..') around one optional '/'";
}

function invalidRepoId(repoId: string, problem: string): AppError {
  return new AppError(
    "bad_request:model",
    `Hugging Face repo id "${repoId.slice(0, 120)}" ${problem}: write it as hf:<owner/name>, e.g. ${EXAMPLE_ID}.`,
  );
}

/**
 * `hf:<owner/name>` → `owner/name`. Throws `bad_request:model` naming the problem when the id lacks the
 * `hf:` prefix or the repo id is not letters, digits, `-_.` and one optional `/`, at most 96 characters.
 */
export function parseHuggingFaceModelId(id: string): string {
  if (!id.startsWith(ID_PREFIX)) {
    throw new AppError(
      "bad_request:model",
      `Model id "${id.slice(0, 120)}" is not a Hugging Face id: write it as hf:<owner/name>, e.g. ${EXAMPLE_ID}.`,
    );
  }
  const repoId = id.slice(ID_PREFIX.length);
  const problem = repoIdProblem(repoId);
  if (problem) throw invalidRepoId(repoId, problem);
  return repoId;
}

/**
 * The remote model `hf:<modelId>` (`modelId` is the repo id, without `hf:`). Configuration comes from
 * `options`, else from `HF_TOKEN` and `HF_ENDPOINT_URL`: the public router needs a token; an endpoint URL
 * works with or without one. Throws `bad_request:model` when `modelId` is not a valid repo id.
 */
export function createHuggingFaceModel(modelId: string, options: HuggingFaceModelOptions = {}): EmbeddingModel {
  const problem = repoIdProblem(modelId);
  if (problem) throw invalidRepoId(modelId, problem);

  const id = `${ID_PREFIX}${modelId}`;
  const token = (options.token ?? process.env.HF_TOKEN ?? "").trim();
  const endpointUrl = (options.endpointUrl ?? process.env.HF_ENDPOINT_URL ?? "").trim();
  const routerUrl = (options.routerUrl ?? defaults.routerUrl).replace(/\/+$/, "");
  const settings: Settings = {
    timeoutMs: options.timeoutMs ?? defaults.timeoutMs,
    maxAttempts: Math.max(1, Math.floor(options.maxAttempts ?? defaults.maxAttempts)),
    retryBaseDelayMs: options.retryBaseDelayMs ?? defaults.retryBaseDelayMs,
    maxRetryDelayMs: options.maxRetryDelayMs ?? defaults.maxRetryDelayMs,
    batchSize: Math.max(1, Math.floor(options.batchSize ?? defaults.batchSize)),
    truncate: options.truncate ?? defaults.truncate,
    random: options.random ?? Math.random,
    sleep: options.sleep ?? ((ms) => new Promise<void>((resolve) => setTimeout(resolve, ms))),
  };
  const configProblem = configurationProblem(id, token, endpointUrl);
  const target: Target = endpointUrl
    ? { url: endpointUrl, viaEndpoint: true, token, where: "the server at HF_ENDPOINT_URL" }
    : {
        url: `${routerUrl}/hf-inference/models/${modelId}/pipeline/feature-extraction`,
        viaEndpoint: false,
        token,
        where: "Hugging Face",
      };

  const info = (): ModelInfo => ({
    id,
    dims: learnedDims.get(id) ?? null,
    kind: "sentence",
    local: false,
    available: configProblem === null,
    description: endpointUrl
      ? `${modelId}, served by your own endpoint (HF_ENDPOINT_URL); texts are sent to it.`
      : `${modelId} on Hugging Face Inference (remote: texts are sent to Hugging Face).`,
    reads: null,
  });

  async function embed(texts: string[]): Promise<number[][]> {
    if (configProblem) throw new AppError("unavailable:model", configProblem);
    const vectors: number[][] = [];
    for (let start = 0; start < texts.length; start += settings.batchSize) {
      const batch = texts.slice(start, start + settings.batchSize);
      const batchVectors = toVectors(await requestWithRetries(target, batch, settings), batch.length, target.where);
      const dims = batchVectors[0].length;
      const known = learnedDims.get(id);
      if (known !== undefined && known !== dims) {
        throw new AppError(
          "bad_gateway:model",
          `${capitalize(target.where)} answered ${dims}-dimensional vectors for ${id}, but earlier answers had ${known}: ` +
            "the served model changed; restart the app to accept the new one.",
        );
      }
      learnedDims.set(id, dims);
      vectors.push(...batchVectors);
    }
    return vectors;
  }

  return { info, embed };
}

/** Why the model cannot run as configured, in words saying what to set; null when it can. */
function configurationProblem(id: string, token: string, endpointUrl: string): string | null {
  // The client treats anything that is not http(s) as a model id and would look it up on the hub.
  if (endpointUrl && !/^https?:\/\/\S+$/.test(endpointUrl)) {
    return "HF_ENDPOINT_URL must be an http(s) URL of an Inference Endpoint or text-embeddings-inference server, e.g. http://127.0.0.1:8080.";
  }
  if (endpointUrl || token) return null;
  return (
    `Model ${id} needs Hugging Face access: set HF_TOKEN to an access token (huggingface.co/settings/tokens, ` +
    'with "Make calls to Inference Providers"), or set HF_ENDPOINT_URL to your own Inference Endpoint or ' +
    "text-embeddings-inference server."
  );
}

interface Target {
  url: string;
  viaEndpoint: boolean;
  token: string;
  /** Who answers, for messages. */
  where: string;
}

type Settings = Required<Omit<HuggingFaceModelOptions, "token" | "endpointUrl" | "routerUrl">>;

/** Thrown by our fetch wrapper when no HTTP answer came back (refused, reset, DNS). */
class UnreachableError extends Error {}

/** One batch through the real client: bounded attempts, each with its own timeout. */
async function requestWithRetries(target: Target, texts: string[], settings: Settings): Promise<unknown> {
  let retryAfterMs: number | undefined;
  // The client's errors carry status and body but not headers: read Retry-After on the way through.
  const recordingFetch: typeof fetch = async (input, init) => {
    try {
      const response = await fetch(input, init);
      retryAfterMs = parseRetryAfter(response.headers.get("retry-after"));
      return response;
    } catch (error) {
      if (init?.signal?.aborted) throw error;
      throw new UnreachableError(describeCause(error), { cause: error });
    }
  };
  // retry_on_error: false, because the client otherwise re-sends on 503 at once and without end.
  const client = new InferenceClient(target.token, { retry_on_error: false, fetch: recordingFetch });
  const endpoint = client.endpoint(target.url);

  for (let attempt = 1; ; attempt++) {
    retryAfterMs = undefined;
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(), settings.timeoutMs);
    let failure: Failure;
    try {
      const inputs = { inputs: texts, truncate: settings.truncate };
      return await endpoint.featureExtraction(inputs, { signal: controller.signal });
    } catch (error) {
      const timedOut = controller.signal.aborted;
      failure = classify(error, { target, timeoutMs: settings.timeoutMs, timedOut, retryAfterMs, attempt });
    } finally {
      clearTimeout(timer);
    }
    if (!failure.retryable || attempt >= settings.maxAttempts) throw failure.error;
    const backoff = settings.retryBaseDelayMs * 2 ** (attempt - 1);
    const jittered = backoff / 2 + (settings.random() * backoff) / 2;
    await settings.sleep(Math.round(Math.min(retryAfterMs ?? jittered, settings.maxRetryDelayMs)));
  }
}

interface Failure {
  retryable: boolean;
  error: AppError;
}

interface AttemptContext {
  target: Target;
  timeoutMs: number;
  timedOut: boolean;
  retryAfterMs?: number;
  attempt: number;
}

/** What a failed attempt means for the caller, and whether another attempt may help. */
function classify(error: unknown, context: AttemptContext): Failure {
  const { target, attempt } = context;
  const { where, token } = target;
  const attempts = attempt === 1 ? "1 attempt" : `${attempt} attempts`;
  const fail = (retryable: boolean, code: ErrorCode, message: string, headers?: Record<string, string>) => ({
    retryable,
    error: new AppError(code, capitalize(redact(message, token)), { cause: error, headers }),
  });

  if (context.timedOut) {
    return fail(
      true,
      "gateway_timeout:model",
      `${where} did not answer within ${context.timeoutMs} ms (${attempts}); try again, or send fewer texts at once.`,
    );
  }
  if (error instanceof UnreachableError) {
    const hint = target.viaEndpoint ? "; check HF_ENDPOINT_URL and that the server is running" : "";
    return fail(true, "bad_gateway:model", `Could not reach ${where} (${error.message}) after ${attempts}${hint}.`);
  }
  if (error instanceof InferenceClientProviderApiError) {
    const status = error.httpResponse.status;
    const upstream = upstreamMessage(error);
    const said = upstream ? `: ${upstream}` : "";
    const retryAfter =
      context.retryAfterMs === undefined ? undefined : { "Retry-After": String(Math.ceil(context.retryAfterMs / 1000)) };
    switch (status) {
      case 401:
      case 403: {
        const wanted = target.viaEndpoint ? "that this endpoint accepts" : 'with the "Make calls to Inference Providers" permission';
        const message = token
          ? `${where} rejected the access token (HTTP ${status})${said}. Set HF_TOKEN to a valid token ${wanted}.`
          : `${where} requires an access token (HTTP ${status})${said}: set HF_TOKEN.`;
        return fail(false, "bad_gateway:model", message);
      }
      case 429:
        return fail(
          true,
          "rate_limited:model",
          `${where} is rate-limiting requests (HTTP 429, ${attempts})${said}. Wait and try again.`,
          retryAfter,
        );
      case 503:
        return fail(
          true,
          "unavailable:model",
          `${where} is unavailable or still loading the model (HTTP 503, ${attempts})${said}. Try again shortly.`,
          retryAfter,
        );
      case 502:
      case 504:
        return fail(true, "bad_gateway:model", `${where} failed (HTTP ${status}, ${attempts})${said}.`);
      case 404:
        return target.viaEndpoint
          ? fail(false, "bad_gateway:model", `${where} answered 404 Not Found${said}: check HF_ENDPOINT_URL.`)
          : fail(
              false,
              "bad_request:model",
              `Hugging Face does not serve this model for feature extraction (HTTP 404)${said}. ` +
                "Choose a model deployed on HF Inference, or set HF_ENDPOINT_URL to your own server.",
            );
      case 413:
        return fail(
          false,
          "payload_too_large:texts",
          `${where} refused the texts as too large (HTTP 413)${said}. Send fewer or shorter texts.`,
        );
      case 400:
      case 422:
        return fail(false, "bad_request:texts", `${where} refused the texts (HTTP ${status})${said}.`);
      default:
        return fail(false, "bad_gateway:model", `${where} failed (HTTP ${status})${said}.`);
    }
  }
  if (error instanceof InferenceClientProviderOutputError || error instanceof SyntaxError) {
    return fail(false, "bad_gateway:model", `${where} answered something that is not a list of embeddings: ${trim(error.message)}`);
  }
  const text = error instanceof Error ? error.message : String(error);
  return fail(false, "internal:model", `Calling ${where} failed: ${trim(text)}`);
}

/** `Retry-After` as delta-seconds or an HTTP date, in ms; undefined when absent or unreadable. */
function parseRetryAfter(value: string | null): number | undefined {
  if (value === null || value.trim() === "") return undefined;
  const seconds = Number(value);
  if (Number.isFinite(seconds)) return seconds >= 0 ? seconds * 1000 : undefined;
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, date - Date.now());
}

/** The error text upstream sent: TEI and HF send `{ error }`, others `{ message }` or `{ detail }`. */
function upstreamMessage(error: InferenceClientProviderApiError): string {
  const body = error.httpResponse.body;
  if (typeof body === "string") return trim(body);
  for (const key of ["error", "message", "detail"] as const) {
    const value = (body as Record<string, unknown> | null)?.[key];
    if (typeof value === "string") return trim(value);
  }
  return "";
}

function describeCause(error: unknown): string {
  const cause = error instanceof Error ? (error.cause as { code?: string; message?: string } | undefined) : undefined;
  return cause?.code ?? cause?.message ?? (error instanceof Error ? error.message : String(error));
}

function trim(text: string): string {
  const oneLine = text.replace(/\s+/g, " ").trim();
  return oneLine.length > MAX_UPSTREAM_MESSAGE ? `${oneLine.slice(0, MAX_UPSTREAM_MESSAGE - 1)}…` : oneLine;
}

function capitalize(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

function redact(text: string, token: string): string {
  return token ? text.split(token).join("[token]") : text;
}

/**
 * The answer for `count` texts as one vector per text. Accepts `number[]` (one text), `number[][]`
 * (one vector per text; for a single text, several rows are its tokens) and `number[][][]` (token
 * vectors per text, from models without pooling), which are mean-pooled. Anything else, or vectors of
 * unequal length, is `bad_gateway:model`.
 */
function toVectors(answer: unknown, count: number, where: string): number[][] {
  const malformed = (why: string) =>
    new AppError("bad_gateway:model", `${capitalize(where)} answered something that is not ${count} embedding${count === 1 ? "" : "s"}: ${why}.`);
  const depth = arrayDepth(answer);
  let vectors: number[][];
  if (depth === 1) vectors = [answer as number[]];
  else if (depth === 2 && count === 1 && (answer as number[][]).length > 1) vectors = [meanPool(answer as number[][], malformed)];
  else if (depth === 2) vectors = answer as number[][];
  else if (depth === 3) vectors = (answer as number[][][]).map((tokens) => meanPool(tokens, malformed));
  else throw malformed("expected number[], number[][] or number[][][]");

  if (vectors.length !== count) throw malformed(`got ${vectors.length} vectors`);
  const dims = vectors[0].length;
  const odd = vectors.findIndex((v) => v.length !== dims);
  if (odd !== -1) throw malformed(`vector ${odd} has ${vectors[odd].length} dimensions, vector 0 has ${dims}`);
  return vectors;
}

/** Nesting depth of a regular array of finite numbers (number[] → 1); -1 when not such an array. */
function arrayDepth(value: unknown): number {
  if (!Array.isArray(value) || value.length === 0) return -1;
  if (value.every((x) => typeof x === "number" && Number.isFinite(x))) return 1;
  const depths = value.map(arrayDepth);
  return depths[0] > 0 && depths.every((d) => d === depths[0]) ? depths[0] + 1 : -1;
}

function meanPool(tokens: number[][], malformed: (why: string) => AppError): number[] {
  const dims = tokens[0].length;
  if (tokens.some((t) => t.length !== dims)) throw malformed("token vectors have unequal lengths");
  const mean = new Array<number>(dims).fill(0);
  for (const token of tokens) for (let i = 0; i < dims; i++) mean[i] += token[i] / tokens.length;
  return mean;
}

/** `hf:<owner/name>` in the model registry; lists one suggestion before any is used. */
export const huggingFaceFamily: ModelFamily = {
  prefix: ID_PREFIX,
  usage: "hf:<owner/name> for a Hugging Face model",
  create: (id) => createHuggingFaceModel(parseHuggingFaceModelId(id), { timeoutMs: readConfig().HF_TIMEOUT_MS }),
  listed: () => ["hf:sentence-transformers/all-MiniLM-L6-v2"],
};
