import { describe, expect, it } from "vitest";
import { embeddingsResponse, fromBase64Float32, toBase64Float32 } from "@/lib/openai-api/encoding";

describe("toBase64Float32(vector)", () => {
  it("writes each value as 4 little-endian float32 bytes", () => {
    // 1 is 0x3f800000, -2 is 0xc0000000: little-endian, the high byte comes last.
    expect([...Buffer.from(toBase64Float32([1, -2]), "base64")]).toEqual([0x00, 0x00, 0x80, 0x3f, 0x00, 0x00, 0x00, 0xc0]);
    expect(toBase64Float32([1])).toBe("AACAPw==");
  });

  it("round-trips through fromBase64Float32 to the values rounded to float32, empty and long vectors alike", () => {
    for (const vector of [[], [0.1, -0.2, 1 / 3], Array.from({ length: 4096 }, (_, i) => Math.sin(i))]) {
      expect(fromBase64Float32(toBase64Float32(vector))).toEqual(vector.map(Math.fround));
    }
  });

  it("decodes the way the openai SDK does: a Float32Array over the bytes", () => {
    const bytes = Buffer.from(toBase64Float32([0.5, 0.25, -0.125]), "base64");
    expect(Array.from(new Float32Array(bytes.buffer, bytes.byteOffset, bytes.length / 4))).toEqual([0.5, 0.25, -0.125]);
  });

  it("fromBase64Float32 refuses bytes that are not whole float32 values", () => {
    expect(() => fromBase64Float32(Buffer.from([1, 2, 3]).toString("base64"))).toThrow("base64 embedding is 3 bytes, not a multiple of 4");
  });
});

describe("embeddingsResponse({ model, vectors, format, promptTokens })", () => {
  it("builds OpenAI's list with an index per vector and usage without completion tokens", () => {
    expect(embeddingsResponse({ model: "use-lite", vectors: [[1, 0], [0, 1]], format: "float", promptTokens: 3 })).toEqual({
      object: "list",
      data: [
        { object: "embedding", index: 0, embedding: [1, 0] },
        { object: "embedding", index: 1, embedding: [0, 1] },
      ],
      model: "use-lite",
      usage: { prompt_tokens: 3, total_tokens: 3 },
    });
  });

  it("with base64, each embedding is a string", () => {
    expect(embeddingsResponse({ model: "m", vectors: [[1]], format: "base64", promptTokens: 1 }).data[0].embedding).toBe("AACAPw==");
  });
});
