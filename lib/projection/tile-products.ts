/**
 * Dot products between blocks of rows ("tiles"), the inner loop of the exact kNN. Two kernels
 * compute the same numbers: a small WebAssembly SIMD module (4 floats per instruction, 2 × 4 rows
 * at a time), ~4× faster than the best plain JavaScript loop, which V8 runs one float at a time;
 * and that JavaScript loop, used where WebAssembly SIMD is missing. The module is assembled below
 * from its instructions, so there is no binary blob to trust; it is 769 bytes, well under the 4 kB
 * that browsers allow to compile synchronously on the main thread.
 */

/** Rows per tile side: two 64 × 512 Float32 tiles (256 kB) stay in a 2-core EPYC's L2. */
export const TILE = 64;

export interface TileProducts {
  /** Rows (padded with zero rows to a multiple of 4) and columns (padded likewise). */
  rows: number;
  columns: number;
  /** After `compute(a0, a1, b0, b1)`: row i · row j at [(i − a0) · TILE + (j − b0)]. */
  tile: Float32Array | Float64Array;
  /** Fills `tile` for rows [a0, a1) × [b0, b1); bounds are multiples of 4, at most TILE apart. */
  compute(a0: number, a1: number, b0: number, b1: number): void;
  kernel: "wasm" | "js";
}

/**
 * Products between the rows of `data` (n × columns, row-major), over Float32 copies.
 *
 * @param kernel "wasm" (default where WebAssembly SIMD runs, else "js") or "js".
 */
export function tileProducts(data: Float64Array | Float32Array, n: number, columns: number, kernel = defaultKernel()): TileProducts {
  const rows = Math.ceil(n / 4) * 4;
  const stride = Math.max(4, Math.ceil(columns / 4) * 4);
  if (kernel === "wasm") {
    const bytes = rows * stride * 4 + TILE * TILE * 4;
    const memory = new WebAssembly.Memory({ initial: Math.ceil(bytes / 65536) });
    const { exports } = new WebAssembly.Instance(wasmModule()!, { env: { memory } });
    const matrix = new Float32Array(memory.buffer, 0, rows * stride);
    copyPadded(data, n, columns, matrix, stride);
    const tileOffset = rows * stride * 4;
    const rowBytes = stride * 4;
    const run = exports.tile as (a: number, aRows: number, b: number, bRows: number, rowBytes: number, out: number, outStride: number) => void;
    return {
      rows,
      columns: stride,
      tile: new Float32Array(memory.buffer, tileOffset, TILE * TILE),
      compute: (a0, a1, b0, b1) => run(a0 * rowBytes, a1 - a0, b0 * rowBytes, b1 - b0, rowBytes, tileOffset, TILE * 4),
      kernel,
    };
  }
  const matrix = new Float32Array(rows * stride);
  copyPadded(data, n, columns, matrix, stride);
  const tile = new Float64Array(TILE * TILE);
  return { rows, columns: stride, tile, compute: (a0, a1, b0, b1) => jsTile(matrix, stride, a0, a1, b0, b1, tile), kernel };
}

function copyPadded(data: Float64Array | Float32Array, n: number, columns: number, target: Float32Array, stride: number): void {
  for (let i = 0; i < n; i++) target.set(data.subarray(i * columns, (i + 1) * columns), i * stride);
}

function defaultKernel(): "wasm" | "js" {
  return wasmModule() ? "wasm" : "js";
}

/**
 * Plain JavaScript, two rows by two: each loaded number is used twice, four running sums overlap
 * the multiplications (Float32 inputs, Float64 sums).
 */
function jsTile(data: Float32Array, columns: number, a0: number, a1: number, b0: number, b1: number, tile: Float64Array): void {
  for (let i = a0; i < a1; i += 2) {
    const p = i * columns, q = p + columns;
    for (let j = b0; j < b1; j += 2) {
      const r = j * columns, s = r + columns;
      let pr = 0, ps = 0, qr = 0, qs = 0;
      for (let d = 0; d < columns; d++) {
        const x = data[p + d], y = data[q + d], u = data[r + d], v = data[s + d];
        pr += x * u;
        ps += x * v;
        qr += y * u;
        qs += y * v;
      }
      const t = (i - a0) * TILE + (j - b0);
      tile[t] = pr;
      tile[t + 1] = ps;
      tile[t + TILE] = qr;
      tile[t + TILE + 1] = qs;
    }
  }
}

let compiled: WebAssembly.Module | null | undefined;

/** The compiled SIMD module, or null where WebAssembly SIMD is not available. */
function wasmModule(): WebAssembly.Module | null {
  if (compiled === undefined) {
    try {
      const bytes = assembleTileModule();
      compiled = typeof WebAssembly === "object" && WebAssembly.validate(bytes) ? new WebAssembly.Module(bytes) : null;
    } catch {
      compiled = null;
    }
  }
  return compiled;
}

// ---- The WebAssembly module, instruction by instruction ----

const i32 = 0x7f, v128 = 0x7b;
const op = {
  localGet: (x: number) => [0x20, x],
  localSet: (x: number) => [0x21, x],
  i32Const: (v: number) => [0x41, ...signedLeb(v)],
  i32Add: [0x6a],
  i32Mul: [0x6c],
  i32LtU: [0x49],
  loop: [0x03, 0x40],
  end: [0x0b],
  brIf: (depth: number) => [0x0d, depth],
  v128Load: (offset = 0) => [0xfd, 0x00, 4, ...unsignedLeb(offset)],
  v128Zero: [0xfd, 0x0c, ...new Array(16).fill(0)],
  f32x4Add: [0xfd, 0xe4, 0x01],
  f32x4Mul: [0xfd, 0xe6, 0x01],
  f32x4Lane: (lane: number) => [0xfd, 0x1f, lane],
  f32Add: [0x92],
  f32Store: (offset: number) => [0x38, 2, ...unsignedLeb(offset)],
};

/**
 * (func (export "tile") (param $a $aRows $b $bRows $rowBytes $out $outStride i32)
 * For each pair of A rows and each 4 B rows: 8 f32x4 running sums over the columns, 4 at a time;
 * then each sum's 4 lanes are added and stored: out[i][j] = A row i · B row j.
 */
function assembleTileModule(): Uint8Array<ArrayBuffer> {
  // Parameters 0–6, then locals.
  const [a, aRows, b, bRows, rowBytes, out, outStride] = [0, 1, 2, 3, 4, 5, 6];
  const [aEnd, bEnd, a2, bRow, b2, b3, b4, d, outRow, outAt] = [7, 8, 9, 10, 11, 12, 13, 14, 15, 16];
  const sums = [17, 18, 19, 20, 21, 22, 23, 24]; // sums[r * 4 + c]: A row r (0–1) · B row c (0–3)
  const [x0, x1, y] = [25, 26, 27]; // the current 4 columns of A rows 0 and 1, and of one B row
  const bRowsPointers = [bRow, b2, b3, b4];

  const body = [
    // aEnd = a + aRows · rowBytes; outRow = out
    ...op.localGet(a), ...op.localGet(aRows), ...op.localGet(rowBytes), ...op.i32Mul, ...op.i32Add, ...op.localSet(aEnd),
    ...op.localGet(out), ...op.localSet(outRow),
    ...op.loop, // over pairs of A rows
    ...op.localGet(a), ...op.localGet(rowBytes), ...op.i32Add, ...op.localSet(a2),
    ...op.localGet(b), ...op.localSet(bRow),
    ...op.localGet(b), ...op.localGet(bRows), ...op.localGet(rowBytes), ...op.i32Mul, ...op.i32Add, ...op.localSet(bEnd),
    ...op.localGet(outRow), ...op.localSet(outAt),
    ...op.loop, // over groups of 4 B rows
    ...[1, 2, 3].flatMap((r) => [...op.localGet(bRowsPointers[r - 1]), ...op.localGet(rowBytes), ...op.i32Add, ...op.localSet(bRowsPointers[r])]),
    ...sums.flatMap((sum) => [...op.v128Zero, ...op.localSet(sum)]),
    ...op.i32Const(0), ...op.localSet(d),
    ...op.loop, // over columns, 4 at a time
    ...op.localGet(a), ...op.localGet(d), ...op.i32Add, ...op.v128Load(), ...op.localSet(x0),
    ...op.localGet(a2), ...op.localGet(d), ...op.i32Add, ...op.v128Load(), ...op.localSet(x1),
    ...bRowsPointers.flatMap((pointer, c) => [
      ...op.localGet(pointer), ...op.localGet(d), ...op.i32Add, ...op.v128Load(), ...op.localSet(y),
      ...[x0, x1].flatMap((x, r) => [
        ...op.localGet(sums[r * 4 + c]), ...op.localGet(x), ...op.localGet(y), ...op.f32x4Mul, ...op.f32x4Add, ...op.localSet(sums[r * 4 + c]),
      ]),
    ]),
    ...op.localGet(d), ...op.i32Const(16), ...op.i32Add, ...op.localSet(d),
    ...op.localGet(d), ...op.localGet(rowBytes), ...op.i32LtU, ...op.brIf(0),
    ...op.end,
    // out[r][c] = lane 0 + lane 1 + lane 2 + lane 3 of sums[r · 4 + c]; row 1 is outStride further.
    ...[0, 1].flatMap((r) => [
      ...op.localGet(outAt), ...(r === 1 ? [...op.localGet(outStride), ...op.i32Add] : []), ...op.localSet(out),
      ...[0, 1, 2, 3].flatMap((c) => [
        ...op.localGet(out),
        ...op.localGet(sums[r * 4 + c]), ...op.f32x4Lane(0), ...op.localGet(sums[r * 4 + c]), ...op.f32x4Lane(1), ...op.f32Add,
        ...op.localGet(sums[r * 4 + c]), ...op.f32x4Lane(2), ...op.localGet(sums[r * 4 + c]), ...op.f32x4Lane(3), ...op.f32Add,
        ...op.f32Add,
        ...op.f32Store(c * 4),
      ]),
    ]),
    ...op.localGet(outAt), ...op.i32Const(16), ...op.i32Add, ...op.localSet(outAt),
    ...op.localGet(b4), ...op.localGet(rowBytes), ...op.i32Add, ...op.localSet(bRow),
    ...op.localGet(bRow), ...op.localGet(bEnd), ...op.i32LtU, ...op.brIf(0),
    ...op.end,
    ...op.localGet(outRow), ...op.localGet(outStride), ...op.localGet(outStride), ...op.i32Add, ...op.i32Add, ...op.localSet(outRow),
    ...op.localGet(a2), ...op.localGet(rowBytes), ...op.i32Add, ...op.localSet(a),
    ...op.localGet(a), ...op.localGet(aEnd), ...op.i32LtU, ...op.brIf(0),
    ...op.end,
    ...op.end,
  ];
  const locals = [...unsignedLeb(2), ...unsignedLeb(10), i32, ...unsignedLeb(11), v128];
  const code = [...locals, ...body];
  const name = (text: string) => [...unsignedLeb(text.length), ...Array.from(text, (c) => c.charCodeAt(0))];
  return Uint8Array.from([
    0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00, // "\0asm", version 1
    ...section(1, [1, 0x60, 7, ...new Array(7).fill(i32), 0]), // type: (7 × i32) → ()
    ...section(2, [1, ...name("env"), ...name("memory"), 0x02, 0x00, 1]), // import env.memory, ≥ 1 page
    ...section(3, [1, 0]), // one function of type 0
    ...section(7, [1, ...name("tile"), 0x00, 0]), // export it as "tile"
    ...section(10, [1, ...unsignedLeb(code.length), ...code]),
  ]);
}

function section(id: number, contents: number[]): number[] {
  return [id, ...unsignedLeb(contents.length), ...contents];
}

function unsignedLeb(value: number): number[] {
  const bytes: number[] = [];
  do {
    let byte = value & 0x7f;
    value >>>= 7;
    if (value !== 0) byte |= 0x80;
    bytes.push(byte);
  } while (value !== 0);
  return bytes;
}

function signedLeb(value: number): number[] {
  const bytes: number[] = [];
  for (;;) {
    const byte = value & 0x7f;
    value >>= 7;
    if ((value === 0 && (byte & 0x40) === 0) || (value === -1 && (byte & 0x40) !== 0)) return [...bytes, byte];
    bytes.push(byte | 0x80);
  }
}
