import { describe, expect, it } from "vitest";
import { bytesToDisplayText, tokenFromBytes } from "@/lib/tokenizers/types";

describe("tokenFromBytes(id, bytes)", () => {
  it("gives whole UTF-8 characters as text, without bytes", () => {
    expect(tokenFromBytes(7, new TextEncoder().encode("智能"))).toEqual({ text: "智能", id: 7 });
  });

  it("gives part of a character as its bytes and a hex text, never U+FFFD", () => {
    expect(tokenFromBytes(1, Uint8Array.from([0xe6, 0x99]))).toEqual({ text: "<e6 99>", id: 1, bytes: [0xe6, 0x99] });
  });
});

describe("bytesToDisplayText(bytes)", () => {
  it("keeps whole characters as text and shows the stray bytes between them in hex", () => {
    expect(bytesToDisplayText(Uint8Array.from([0x61, 0xe6, 0x99, 0x20, 0xe6, 0x99, 0xba]))).toBe("a<e6 99> 智");
  });

  it("shows a lone continuation byte, an overlong lead and an empty token", () => {
    expect(bytesToDisplayText(Uint8Array.from([0xba]))).toBe("<ba>");
    expect(bytesToDisplayText(Uint8Array.from([0xc0, 0x80]))).toBe("<c0 80>");
    expect(bytesToDisplayText(new Uint8Array())).toBe("");
  });
});
