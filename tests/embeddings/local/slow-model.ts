import { writeFileSync } from "node:fs";
import path from "node:path";
import onnxProto, { type onnx as OnnxTypes } from "onnx-proto";
import { tinyModelFiles, writeTinyModel } from "@/scripts/make-tiny-onnx-model";

// onnx-proto is CommonJS: its namespace comes through the default import.
const { onnx } = onnxProto;

/**
 * Writes the tiny model (scripts/make-tiny-onnx-model.ts) into `dir` with an ONNX graph that
 * answers the same vectors but works hard for them, as a real model does: beside the lookup it
 * multiplies a `size` × `size` matrix `multiplications` times per run and adds the result, zero,
 * to every token vector. The matrix is made from the input, so ONNX Runtime cannot fold the work
 * away when it loads the graph. The defaults take ~15 ms per run on one core here; a real model
 * takes hundreds of ms for a batch of long texts.
 */
export function writeSlowTinyModel(dir: string, { size = 384, multiplications = 24 }: { size?: number; multiplications?: number } = {}): void {
  writeTinyModel(dir);
  writeFileSync(path.join(dir, "onnx/model.onnx"), slowGraph(size, multiplications));
}

function slowGraph(size: number, multiplications: number): Uint8Array {
  const model = onnx.ModelProto.decode(tinyModelFiles()["onnx/model.onnx"]);
  const graph = model.graph as OnnxTypes.GraphProto; // decoded: its lists are there, empty or not
  const { FLOAT, INT64 } = onnx.TensorProto.DataType;
  const { INT } = onnx.AttributeProto.AttributeType;
  const node = (opType: string, input: string[], output: string, attribute: OnnxTypes.IAttributeProto[] = []) =>
    onnx.NodeProto.create({ opType, input, output: [output], attribute: attribute.map((a) => onnx.AttributeProto.create(a)) });

  // The lookup (one Gather) now feeds token_vectors; last_hidden_state = token_vectors + zero work.
  graph.node[0].output = ["token_vectors"];
  graph.node.push(
    // 0 × Σ input_ids: a scalar the runtime only knows once the input is there.
    node("ReduceSum", ["input_ids"], "id_sum", [{ name: "keepdims", type: INT, i: 0 }]),
    node("Cast", ["id_sum"], "id_sum_float", [{ name: "to", type: INT, i: FLOAT }]),
    node("Mul", ["id_sum_float", "zero"], "input_zero"),
    node("Expand", ["input_zero", "matrix_shape"], "work_0"),
    ...Array.from({ length: multiplications }, (_, step) => node("MatMul", [`work_${step}`, "work_0"], `work_${step + 1}`)),
    node("ReduceSum", [`work_${multiplications}`], "work_sum", [{ name: "keepdims", type: INT, i: 0 }]),
    node("Add", ["token_vectors", "work_sum"], "last_hidden_state"),
  );
  graph.initializer.push(
    onnx.TensorProto.create({ name: "zero", dataType: FLOAT, dims: [], floatData: [0] }),
    onnx.TensorProto.create({ name: "matrix_shape", dataType: INT64, dims: [2], int64Data: [size, size] }),
  );
  return onnx.ModelProto.encode(model).finish();
}
