import { readFile } from "node:fs/promises";
import path from "node:path";
import type { PreTrainedTokenizer, Tensor } from "@huggingface/transformers";
import { AppError } from "../../api/errors";
import { poolTokenVectors } from "./pooling";
import { startOnnxSession, type SessionOptions, type SessionOutput } from "./session";
import type { ModelSettings } from "./settings";

/**
 * One model's tokenizer and ONNX session, through `@huggingface/transformers` on onnxruntime-node
 * (its CPU library ships in the npm package). The tokenizer runs on this thread (tokenizing is
 * cheap, and `read` needs nothing else); the session runs in a worker thread (session.ts), so a
 * batch does not stall the server. Only local files are read: the library never goes online
 * (`env.allowRemoteModels = false`) and never writes its own cache. Each model is named by its
 * absolute directory rather than through the library's global `env.localModelPath`, so models
 * under different MODELS_DIRs (tests) never depend on one global setting.
 */

export interface LoadedModel {
  /** Vector length, as the model answered it. */
  dims: number;
  /** Tokens of `text` as the model would see them (prefix and special tokens included, cut to the limit). */
  countTokens(text: string): number;
  /** Vectors for one batch of texts (the prefix is added here). */
  embedBatch(texts: string[]): Promise<number[][]>;
  /** False once its worker thread has crashed: load the model again. */
  alive(): boolean;
  /** Ends its worker thread. */
  close(): Promise<void>;
}

export interface LoadOptions extends Pick<SessionOptions, "threads" | "workerFile"> {
  modelId: string;
  dir: string;
  /** The ONNX file to run, relative to `dir` (onnx/model_quantized.onnx → int8, onnx/model.onnx → fp32). */
  onnxFile: string;
  settings: ModelSettings;
  /** The model's tokenizer (see `loadTokenizer`), asked for once config.json has been checked. */
  tokenizer: () => Promise<PreTrainedTokenizer>;
}

type Transformers = typeof import("@huggingface/transformers");
let library: Promise<Transformers> | undefined;

/** The library, imported on first use (it loads a 46 MB native library): other models never pay for it. */
function transformers(): Promise<Transformers> {
  library ??= import("@huggingface/transformers").then((module) => {
    module.env.allowRemoteModels = false;
    module.env.allowLocalModels = true;
    module.env.useFSCache = false;
    module.env.useBrowserCache = false;
    return module;
  });
  library.catch(() => (library = undefined));
  return library;
}

/** The sentence for a file of the model that is there but unusable: which file, what is wrong, how to replace it. */
function brokenFile({ modelId, dir }: { modelId: string; dir: string }, file: string, problem: string, cause?: unknown): AppError {
  return new AppError(
    "unavailable:model",
    `${modelId} cannot run: ${path.join(dir, file)} ${problem}. Replace the file (delete it and set MODEL_DOWNLOADS=1 to fetch it again).`,
    { cause },
  );
}

/**
 * The model's tokenizer from tokenizer.json and tokenizer_config.json alone (no ONNX session).
 * Throws `unavailable:model` naming tokenizer.json when they do not load.
 */
export async function loadTokenizer(model: { modelId: string; dir: string }): Promise<PreTrainedTokenizer> {
  const { AutoTokenizer } = await transformers();
  try {
    return await AutoTokenizer.from_pretrained(model.dir, { local_files_only: true });
  } catch (error) {
    throw brokenFile(model, "tokenizer.json", `(with tokenizer_config.json) does not load as a tokenizer (${oneLine(error)})`, error);
  }
}

/**
 * Checks config.json, starts the ONNX session in its worker thread and takes the tokenizer, then
 * embeds one short text to check what the model answers. Throws `unavailable:model` naming the
 * file at fault (config.json, the tokenizer, the ONNX file, or an output of the wrong shape), and
 * `internal:model` naming the ONNX file when its worker thread stops.
 */
export async function loadModel({ modelId, dir, onnxFile, settings, tokenizer: takeTokenizer, threads, workerFile }: LoadOptions): Promise<LoadedModel> {
  const fail = (file: string, problem: string, cause?: unknown) => brokenFile({ modelId, dir }, file, problem, cause);
  try {
    JSON.parse(await readFile(path.join(dir, "config.json"), "utf8"));
  } catch (error) {
    throw fail("config.json", `is not readable JSON (${oneLine(error)})`, error);
  }
  const onnxPath = path.join(dir, onnxFile);
  const stopped = (error: unknown) =>
    new AppError("internal:model", `${modelId}: the worker thread running ${onnxPath} stopped (${oneLine(error)}); the next request starts it again.`, {
      cause: error,
    });
  // The worker loads the ONNX file while this thread loads the tokenizer.
  const session = startOnnxSession({ dir, onnxFile, threads, workerFile });
  try {
    const tokenizer = await takeTokenizer();
    try {
      await session.ready;
    } catch (error) {
      throw session.alive() ? fail(onnxFile, `does not load as an ONNX model (${oneLine(error)})`, error) : stopped(error);
    }

    const maxLength = settings.maxLength;
    const prefixed = (texts: string[]) => texts.map((text) => settings.prefix + text);
    const embedBatch = async (texts: string[]): Promise<number[][]> => {
      const inputs = tokenizer(prefixed(texts), { padding: true, truncation: true, max_length: maxLength }) as Record<string, Tensor>;
      const mask = inputs.attention_mask;
      let outputs: Record<string, SessionOutput>;
      try {
        outputs = await session.run(inputs);
      } catch (error) {
        if (!session.alive()) throw stopped(error);
        throw new AppError("internal:model", `${modelId}: running ${onnxPath} failed (${oneLine(error)}).`, { cause: error });
      }
      const hidden = outputs.last_hidden_state;
      const [batch, sequence] = mask.dims;
      if (!hidden) {
        throw fail(onnxFile, `has no last_hidden_state output (it has ${Object.keys(outputs).join(", ") || "none"}); local: models need token vectors`);
      }
      if (hidden.type !== "float32" || !hidden.data || hidden.dims.length !== 3 || hidden.dims[0] !== batch || hidden.dims[1] !== sequence) {
        throw fail(
          onnxFile,
          `answers last_hidden_state as ${hidden.type} [${hidden.dims.join(", ")}] for ${batch} text${batch === 1 ? "" : "s"} of ${sequence} tokens; ` +
            `a local: model must answer float32 [batch, sequence, dims] = [${batch}, ${sequence}, dims]`,
        );
      }
      return poolTokenVectors({ values: hidden.data, batch, sequence, dims: hidden.dims[2] }, mask.data as BigInt64Array, settings);
    };

    const [probe] = await embedBatch(["hello"]);
    if (settings.dims !== null && probe.length !== settings.dims) {
      throw fail(onnxFile, `answers ${probe.length}-dimensional token vectors, but config.json says hidden_size ${settings.dims}; the files belong to different models`);
    }
    return {
      dims: probe.length,
      countTokens: (text) => Math.min(maxLength, tokenizer.encode(settings.prefix + text).length),
      embedBatch,
      alive: session.alive,
      close: session.close,
    };
  } catch (error) {
    await session.close();
    throw error;
  }
}

/**
 * Groups texts into batches for the model: at most `batchSize` texts, and at most `tokenBudget`
 * tokens once padded to the longest text of the batch, so one long text does not make a batch of
 * short ones cost 32 × 512 tokens. Texts are sorted by length first (less padding); the result
 * lists input indices per batch.
 */
export function planBatches(tokenCounts: number[], { batchSize, tokenBudget }: { batchSize: number; tokenBudget: number }): number[][] {
  const order = tokenCounts.map((_, index) => index).sort((a, b) => tokenCounts[a] - tokenCounts[b]);
  const batches: number[][] = [];
  let current: number[] = [];
  for (const index of order) {
    // Sorted ascending, so this text is the longest of the batch it joins.
    const padded = (current.length + 1) * tokenCounts[index];
    if (current.length > 0 && (current.length >= batchSize || padded > tokenBudget)) {
      batches.push(current);
      current = [];
    }
    current.push(index);
  }
  if (current.length > 0) batches.push(current);
  return batches;
}

function oneLine(error: unknown): string {
  const text = (error instanceof Error ? error.message : String(error)).replace(/\s+/g, " ").trim();
  return text.length > 300 ? `${text.slice(0, 299)}…` : text;
}
