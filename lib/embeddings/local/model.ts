import { readFileSync } from "node:fs";
import path from "node:path";
import type { PreTrainedTokenizer } from "@huggingface/transformers";
import { AppError } from "../../api/errors";
import { createBatcher } from "../batcher";
import type { EmbeddingModel, ModelInfo, TextReading } from "../types";
import { downloadModelFiles, downloadStatus, type DownloadOptions } from "./download";
import { checkModelFiles, describeMissingFiles, isFilePresent, modelDirectory, tokenizerFiles } from "./files";
import { knownModel } from "./known-models";
import { readText, truncationOf } from "./reading";
import { loadModel, loadTokenizer, planBatches, type LoadedModel } from "./runtime";
import { hiddenSizeFromConfigText, readModelSettings, type ModelSettings } from "./settings";

export interface LocalModelOptions {
  /** MODELS_DIR: the model's files are in `<modelsDir>/<owner>/<name>/`. */
  modelsDir: string;
  /** MODEL_DOWNLOADS: whether missing files may be fetched from `hubUrl`. */
  downloads: boolean;
  /** HF_ENDPOINT: the hub or mirror to fetch from. */
  hubUrl: string;
  /** Most texts in one run of the model. Default 32. */
  batchSize?: number;
  /** Most tokens in one run, counting padding (texts × the longest text's tokens). Default 8,192. */
  tokenBudget?: number;
  /** ONNX Runtime threads; see `SessionOptions.threads`. Default: the cores, at most 4. */
  threads?: number;
  /** The ONNX worker's script, relative to the app's root. Default lib/embeddings/local/onnx.worker.mjs; tests wrap it to crash on demand. */
  workerFile?: string;
  /** How long a request waits for a download it started or joined before answering 503 with progress, in ms. Default 3,000. */
  waitForDownloadMs?: number;
  /** After a failed download, requests answer its failure for this long before the next attempt, in ms. Default 10,000. */
  retryAfterFailureMs?: number;
  /** Time limits and size limit of downloads; see `DownloadOptions`. */
  download?: Pick<DownloadOptions, "connectTimeoutMs" | "idleTimeoutMs" | "maxBytes">;
}

export const localModelDefaults = { batchSize: 32, tokenBudget: 8_192, waitForDownloadMs: 3_000, retryAfterFailureMs: 10_000 } as const;

/**
 * The model `local:<repoId>`: an ONNX embedding model run in this process, its session in a worker
 * thread of its own (session.ts). Its files come from `<modelsDir>/<repoId>/`, or, when
 * `downloads` allows, from the hub once. Loaded once per model (concurrent first calls share the
 * load; a failed load, or a worker thread that crashed, is forgotten, so a fixed file works on the
 * next request). Texts are embedded in batches of up to `batchSize`, longest texts cut to the
 * model's max length (see settings.ts), one batch at a time. `read` needs only the tokenizer.
 */
export function createLocalModel(repoId: string, options: LocalModelOptions): EmbeddingModel {
  const id = `local:${repoId}`;
  const dir = modelDirectory(options.modelsDir, repoId);
  const settings = { ...localModelDefaults, ...options };
  const known = knownModel(repoId);
  let loading: Promise<LoadedModel> | undefined;
  let loaded: LoadedModel | undefined;
  let tokenizerLoading: Promise<PreTrainedTokenizer> | undefined;
  /** Read from the model's files on first use (they say how long a text it reads). */
  let modelSettings: ModelSettings | undefined;
  const getModelSettings = async () => (modelSettings ??= await readModelSettings(dir, repoId));

  const describe = (): string => {
    const what = known?.summary ?? `${repoId}, an ONNX embedding model from MODELS_DIR`;
    const reads = known ? `; reads ${known.reads.languages.join(", ")}` : "; its languages are not known here";
    return `${what}. Runs locally (ONNX Runtime in this process, no network once its files are here)${reads}.`;
  };

  function info(): ModelInfo {
    const { missing } = checkModelFiles(dir);
    const status = downloadStatus(dir);
    const present = missing.length === 0 && status?.state !== "downloading";
    const download: NonNullable<ModelInfo["download"]> = present
      ? { state: "ready", bytesDone: status?.bytesDone ?? 0, bytesTotal: status?.bytesTotal ?? null }
      : status && status.state !== "ready"
        ? { state: status.state, file: status.file, bytesDone: status.bytesDone, bytesTotal: status.bytesTotal, message: status.message }
        : { state: "absent", bytesDone: 0, bytesTotal: null };
    return {
      id,
      dims: loaded?.dims ?? configuredDims() ?? known?.dims ?? null,
      kind: "sentence",
      local: true,
      available: present || settings.downloads,
      description: describe(),
      reads: known?.reads ?? null,
      maxTokens: modelSettings?.maxLength ?? known?.maxLength,
      download,
    };
  }

  function configuredDims(): number | null {
    try {
      return hiddenSizeFromConfigText(readFileSync(path.join(dir, "config.json"), "utf8"));
    } catch {
      return null;
    }
  }

  /** The ONNX file to load, once every file is here; otherwise starts or joins a download, or says what is missing. */
  async function ensureFiles(): Promise<string> {
    const status = downloadStatus(dir);
    const check = checkModelFiles(dir);
    if (check.onnxFile && check.missing.length === 0 && status?.state !== "downloading") return check.onnxFile;
    const missingText = () => describeMissingFiles({ modelId: id, repoId, dir, missing: checkModelFiles(dir).missing });
    if (!settings.downloads) throw new AppError("unavailable:model", missingText());

    const waitMs = status?.state === "failed" ? status.failedAt! + settings.retryAfterFailureMs - Date.now() : 0;
    if (status?.state === "failed" && waitMs > 0) throw downloadFailed(status.message ?? "", Math.ceil(waitMs / 1000));
    const done = downloadModelFiles({ hubUrl: settings.hubUrl, repoId, dir, ...settings.download });
    let timer: NodeJS.Timeout | undefined;
    const finished = await Promise.race([
      done.then(() => true, () => true),
      new Promise<boolean>((resolve) => (timer = setTimeout(() => resolve(false), settings.waitForDownloadMs))),
    ]);
    clearTimeout(timer);
    if (!finished) throw downloading();
    try {
      await done;
    } catch (error) {
      throw downloadFailed((error as Error).message, Math.ceil(settings.retryAfterFailureMs / 1000));
    }
    const after = checkModelFiles(dir);
    if (!after.onnxFile || after.missing.length > 0) throw new AppError("unavailable:model", missingText());
    return after.onnxFile;
  }

  function downloading(): AppError {
    const status = downloadStatus(dir);
    const done = status?.bytesDone ?? 0;
    const total = status?.bytesTotal ?? null;
    const progress =
      total === null ? `${megabytes(done)} so far` : `${megabytes(done)} of ${megabytes(total)}, ${Math.floor((100 * done) / Math.max(1, total))}%`;
    return new AppError(
      "unavailable:model",
      `${id} is being downloaded from ${settings.hubUrl} into ${dir} (${status?.file ?? "starting"}: ${progress}); this happens once. Retry in a few seconds.`,
      { headers: { "Retry-After": "5" } },
    );
  }

  function downloadFailed(reason: string, retryAfterSeconds: number): AppError {
    const { missing } = checkModelFiles(dir);
    return new AppError(
      "unavailable:model",
      `Downloading ${id} from ${settings.hubUrl} (HF_ENDPOINT) failed: ${reason} To install it by hand (offline), copy the ` +
        `missing files (${missing.join(", ")}) into ${dir} in the Hugging Face layout. The next attempt starts in ${retryAfterSeconds} s.`,
      { headers: { "Retry-After": String(retryAfterSeconds) } },
    );
  }

  /** The tokenizer, once its two files are here (else as `ensureFiles` says); loaded once, a failed load forgotten. */
  async function getTokenizer(): Promise<PreTrainedTokenizer> {
    if (!tokenizerFiles.every((file) => isFilePresent(dir, file))) await ensureFiles();
    tokenizerLoading ??= loadTokenizer({ modelId: id, dir }).catch((error: unknown) => {
      tokenizerLoading = undefined;
      throw error;
    });
    return tokenizerLoading;
  }

  async function load(): Promise<LoadedModel> {
    const onnxFile = await ensureFiles();
    if (loaded && !loaded.alive()) {
      void loaded.close();
      loaded = loading = undefined; // its worker thread crashed: start again
    }
    if (loaded) return loaded;
    loading ??= (async () => {
      modelSettings = await readModelSettings(dir, repoId);
      return loadModel({ modelId: id, dir, onnxFile, settings: modelSettings, tokenizer: getTokenizer, threads: settings.threads, workerFile: settings.workerFile });
    })().then(
      (model) => (loaded = model),
      (error: unknown) => {
        loading = undefined; // not cached: a fixed file loads on the next request
        throw error;
      },
    );
    return loading;
  }

  // Concurrent calls share runs of the model; the plan inside keeps each run within the budget.
  const embedQueued = createBatcher(
    async (texts) => {
      const model = await load();
      const vectors = new Array<number[]>(texts.length);
      for (const batch of planBatches(texts.map(model.countTokens), settings)) {
        const answers = await model.embedBatch(batch.map((index) => texts[index]));
        batch.forEach((index, i) => (vectors[index] = answers[i]));
      }
      return vectors;
    },
    { maxBatchSize: settings.batchSize * 8 },
  );

  return {
    info,
    async embed(texts) {
      await load(); // a missing model answers at once, not after the queue
      return embedQueued(texts);
    },
    async read(texts): Promise<TextReading[]> {
      const [tokenizer, { prefix, maxLength }] = await Promise.all([getTokenizer(), getModelSettings()]);
      const unkId = tokenizer.unk_token_id ?? undefined;
      const reader = {
        ids: (text: string) => tokenizer.encode(text, { add_special_tokens: false }),
        unkId,
        // The tokenizer counts its unknown token as special: here it is what we look for.
        specialIds: new Set(tokenizer.all_special_ids.filter((id) => id !== unkId)),
      };
      const count = (text: string) => tokenizer.encode(prefix + text).length;
      return texts.map((text) => {
        const truncated = truncationOf(count, text, maxLength);
        return { ...readText(reader, text), ...(truncated ? { truncated } : {}) };
      });
    },
  };
}

function megabytes(bytes: number): string {
  return `${(bytes / 1e6).toFixed(1)} MB`;
}
