/**
 * Writes a tiny embedding model in the Hugging Face layout that `local:` models load: an ONNX graph
 * that looks each token up in a table (`Gather` from an initializer) with `input_ids` and
 * `attention_mask` in (int64, [batch, sequence]) and `last_hidden_state` out ([batch, sequence, dims]),
 * a WordPiece tokenizer.json with an [UNK] token, tokenizer_config.json and config.json. A few KB,
 * deterministic: tests write it into a temporary directory and serve it like the hub.
 *
 *   npx tsx scripts/make-tiny-onnx-model.ts <dir> [--variant ok|wrong-shape|corrupt] [--pooling mean|cls]
 *
 * The vectors are chosen so the answers are obvious: cat and kitten point almost the same way,
 * truck and car another, banana a third. [PAD] is huge, so a vector that counted padding would show it.
 */
import { mkdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import { pathToFileURL } from "node:url";
import onnxProto, { type onnx as OnnxTypes } from "onnx-proto";

// onnx-proto is CommonJS: its namespace comes through the default import.
const { onnx } = onnxProto;

/** Token → its row of the lookup table, in vocabulary order (the ids are the row numbers). */
export const tinyModelVectors: ReadonlyArray<readonly [string, readonly number[]]> = [
  ["[PAD]", [0, 0, 0, 0, 0, 100]],
  ["[UNK]", [0, 0, 0, 0, 1, 0]],
  ["[CLS]", [0, 0, 0, 0.1, 0, 0]],
  ["[SEP]", [0, 0, 0, 0.1, 0, 0]],
  ["cat", [1, 0.1, 0, 0, 0, 0]],
  ["kitten", [0.95, 0.2, 0, 0, 0, 0]],
  ["dog", [0.7, 0.6, 0, 0, 0, 0]],
  ["truck", [0, 0, 1, 0, 0, 0]],
  ["car", [0.1, 0, 0.95, 0, 0, 0]],
  ["banana", [0, 1, 0, 0, 0, 0.1]],
  ["the", [0.05, 0.05, 0.05, 0, 0, 0]],
  ["a", [0.05, 0.05, 0.05, 0, 0, 0]],
  ["##s", [0, 0, 0, 0, 0.05, 0]],
  ["big", [0.2, 0.2, 0.2, 0, 0, 0]],
];

export const tinyModelDims = 6;
/** The tokenizer's model_max_length: longer texts are cut to this many tokens, [CLS] and [SEP] included. */
export const tinyModelMaxLength = 16;

export interface TinyModelOptions {
  /**
   * `ok`: the model as described. `wrong-shape`: `last_hidden_state` is [batch, dims] (already
   * pooled), which a `local:` model must refuse. `corrupt`: onnx/model.onnx is not an ONNX file.
   * Default `ok`.
   */
  variant?: "ok" | "wrong-shape" | "corrupt";
  /** Writes 1_Pooling/config.json (sentence-transformers' layout) choosing this pooling. Default: none written. */
  pooling?: "mean" | "cls";
  /** The ONNX file's name under onnx/. Default `model.onnx`. */
  onnxFile?: "model.onnx" | "model_quantized.onnx";
}

/** The files of the tiny model, by path relative to the model directory. */
export function tinyModelFiles(options: TinyModelOptions = {}): Record<string, Uint8Array> {
  const text = (value: unknown) => new TextEncoder().encode(`${JSON.stringify(value, null, 2)}\n`);
  const files: Record<string, Uint8Array> = {
    "config.json": text({
      architectures: ["BertModel"],
      model_type: "bert",
      hidden_size: tinyModelDims,
      max_position_embeddings: tinyModelMaxLength,
      vocab_size: tinyModelVectors.length,
    }),
    "tokenizer.json": text(tokenizerJson()),
    "tokenizer_config.json": text({
      tokenizer_class: "BertTokenizer",
      do_lower_case: true,
      unk_token: "[UNK]",
      pad_token: "[PAD]",
      cls_token: "[CLS]",
      sep_token: "[SEP]",
      model_max_length: tinyModelMaxLength,
    }),
    [`onnx/${options.onnxFile ?? "model.onnx"}`]:
      options.variant === "corrupt" ? new TextEncoder().encode("this is not an ONNX protobuf\n") : onnxModel(options.variant ?? "ok"),
  };
  if (options.pooling) {
    files["1_Pooling/config.json"] = text({
      word_embedding_dimension: tinyModelDims,
      pooling_mode_cls_token: options.pooling === "cls",
      pooling_mode_mean_tokens: options.pooling === "mean",
      pooling_mode_max_tokens: false,
      pooling_mode_mean_sqrt_len_tokens: false,
    });
  }
  return files;
}

/** Writes the tiny model's files into `dir` (created if needed); returns their relative paths. */
export function writeTinyModel(dir: string, options: TinyModelOptions = {}): string[] {
  const files = tinyModelFiles(options);
  for (const [relative, bytes] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(dir, relative)), { recursive: true });
    writeFileSync(path.join(dir, relative), bytes);
  }
  return Object.keys(files);
}

function tokenizerJson() {
  const vocab = Object.fromEntries(tinyModelVectors.map(([token], id) => [token, id]));
  const special = ["[PAD]", "[UNK]", "[CLS]", "[SEP]"].map((content) => ({
    id: vocab[content],
    content,
    single_word: false,
    lstrip: false,
    rstrip: false,
    normalized: false,
    special: true,
  }));
  const specialToken = (id: string) => ({ SpecialToken: { id, type_id: 0 } });
  const sequence = (id: "A" | "B", type_id: number) => ({ Sequence: { id, type_id } });
  return {
    version: "1.0",
    truncation: null,
    padding: null,
    added_tokens: special,
    normalizer: { type: "BertNormalizer", clean_text: true, handle_chinese_chars: true, strip_accents: null, lowercase: true },
    pre_tokenizer: { type: "BertPreTokenizer" },
    post_processor: {
      type: "TemplateProcessing",
      single: [specialToken("[CLS]"), sequence("A", 0), specialToken("[SEP]")],
      pair: [specialToken("[CLS]"), sequence("A", 0), specialToken("[SEP]"), sequence("B", 1), specialToken("[SEP]")],
      special_tokens: Object.fromEntries(
        ["[CLS]", "[SEP]"].map((token) => [token, { id: token, ids: [vocab[token]], tokens: [token] }]),
      ),
    },
    decoder: { type: "WordPiece", prefix: "##", cleanup: true },
    model: { type: "WordPiece", unk_token: "[UNK]", continuing_subword_prefix: "##", max_input_chars_per_word: 100, vocab },
  };
}

const INT64 = onnx.TensorProto.DataType.INT64;
const FLOAT = onnx.TensorProto.DataType.FLOAT;

function tensorType(elemType: number, dims: string[]): OnnxTypes.ITypeProto {
  return { tensorType: { elemType, shape: { dim: dims.map((dimParam) => ({ dimParam })) } } };
}

/** The lookup graph; `wrong-shape` averages over the sequence inside the graph, so its output is 2-D. */
function onnxModel(variant: "ok" | "wrong-shape"): Uint8Array {
  const table: OnnxTypes.ITensorProto = {
    name: "embedding_table",
    dataType: FLOAT,
    dims: [tinyModelVectors.length, tinyModelDims],
    floatData: tinyModelVectors.flatMap(([, vector]) => [...vector]),
  };
  const nodes: OnnxTypes.INodeProto[] = [
    {
      opType: "Gather",
      input: ["embedding_table", "input_ids"],
      output: [variant === "ok" ? "last_hidden_state" : "token_vectors"],
      attribute: [{ name: "axis", type: onnx.AttributeProto.AttributeType.INT, i: 0 }],
    },
  ];
  if (variant === "wrong-shape") {
    nodes.push({
      opType: "ReduceMean",
      input: ["token_vectors"],
      output: ["last_hidden_state"],
      attribute: [
        { name: "axes", type: onnx.AttributeProto.AttributeType.INTS, ints: [1] },
        { name: "keepdims", type: onnx.AttributeProto.AttributeType.INT, i: 0 },
      ],
    });
  }
  const outputDims = variant === "ok" ? ["batch", "sequence", String(tinyModelDims)] : ["batch", String(tinyModelDims)];
  const model: OnnxTypes.IModelProto = {
    irVersion: 7,
    producerName: "make-tiny-onnx-model",
    opsetImport: [{ domain: "", version: 13 }],
    graph: {
      name: "tiny_embedding_lookup",
      node: nodes,
      initializer: [table],
      input: [
        { name: "input_ids", type: tensorType(INT64, ["batch", "sequence"]) },
        { name: "attention_mask", type: tensorType(INT64, ["batch", "sequence"]) },
      ],
      output: [
        {
          name: "last_hidden_state",
          type: {
            tensorType: {
              elemType: FLOAT,
              shape: { dim: outputDims.map((dim) => (/^\d+$/.test(dim) ? { dimValue: Number(dim) } : { dimParam: dim })) },
            },
          },
        },
      ],
    },
  };
  return onnx.ModelProto.encode(onnx.ModelProto.create(model)).finish();
}

function main(args: string[]): void {
  const dir = args.find((arg) => !arg.startsWith("--"));
  const option = (name: string) => {
    const index = args.indexOf(`--${name}`);
    return index === -1 ? undefined : args[index + 1];
  };
  if (!dir) {
    console.error("usage: npx tsx scripts/make-tiny-onnx-model.ts <dir> [--variant ok|wrong-shape|corrupt] [--pooling mean|cls]");
    process.exit(2);
  }
  const written = writeTinyModel(dir, {
    variant: option("variant") as TinyModelOptions["variant"],
    pooling: option("pooling") as TinyModelOptions["pooling"],
  });
  console.log(`Wrote ${written.join(", ")} to ${dir}`);
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) main(process.argv.slice(2));
