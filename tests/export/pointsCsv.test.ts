import { describe, expect, it } from "vitest";
import { fromCsv, guardFormula, toCsv, unguardFormula, type PointRow } from "@/lib/export/pointsCsv";

const tricky: PointRow[] = [
  { text: "cat", group: "animals", x: 1.25, y: -0.5 },
  { text: "salt, pepper", group: "food", x: 0, y: 0 },
  { text: 'the "best" dog', group: "", x: -3, y: 2e-7 },
  { text: "two\nlines\r\nthree", group: "multi\nline", x: 1, y: 1 },
  { text: "猫 🐱 naïve café", group: "ünïcödé", x: 2, y: 3 },
  { text: "=HYPERLINK(\"http://evil\",\"x\")", group: "+group", x: 4, y: 5 },
  { text: "-5", group: "@home", x: 6, y: 7 },
  { text: "'quoted already", group: "'=both", x: 8, y: 9 },
  { text: "\ttabbed", group: "", x: 10, y: 11 },
  { text: "", group: "", x: 12, y: 13 },
];

describe("toCsv / fromCsv", () => {
  it("toCsv writes a header and CRLF records", () => {
    expect(toCsv([{ text: "cat", group: "animals", x: 1, y: -2 }])).toBe("text,group,x,y\r\ncat,animals,1,-2\r\n");
  });

  it("toCsv guards formula-looking text with a leading apostrophe, but not numbers", () => {
    const csv = toCsv([{ text: "=1+1", group: "-minus", x: -1.5, y: -2 }]);
    expect(csv).toBe("text,group,x,y\r\n'=1+1,'-minus,-1.5,-2\r\n");
  });

  it("fromCsv(toCsv(rows)) round-trips commas, quotes, line breaks, unicode and formula-looking text", () => {
    expect(fromCsv(toCsv(tricky))).toEqual(tricky);
  });

  it("fromCsv(toCsv(rows)) round-trips vectors in pgvector text form, with and without the BOM", () => {
    const rows: PointRow[] = [
      { text: "cat", group: "", x: 1, y: 1, vector: [0.1, -0.25, 1e-9] },
      { text: "dog", group: "", x: 2, y: 2 },
    ];
    const csv = toCsv(rows, { bom: true });
    expect(csv.startsWith("\uFEFFtext,group,x,y,vector\r\ncat,,1,1,\"[0.1,-0.25,1e-9]\"\r\ndog,,2,2,\r\n")).toBe(true);
    expect(fromCsv(csv)).toEqual(rows);
  });

  it("fromCsv(toCsv([])) is empty, and a huge export round-trips", () => {
    expect(fromCsv(toCsv([]))).toEqual([]);
    const huge = Array.from({ length: 5000 }, (_, i) => ({ text: `word ${i}, "${i}"`, group: `g${i % 7}`, x: i / 3, y: -(i + 1) / 7 })); // (-0 is written as 0, like JSON does)
    expect(fromCsv(toCsv(huge))).toEqual(huge);
  });

  it("toCsv refuses non-finite coordinates", () => {
    expect(() => toCsv([{ text: "cat", group: "", x: NaN, y: 0 }])).toThrow("x must be a finite number, got NaN.");
  });

  it("fromCsv names the problem in malformed files", () => {
    expect(fromCsv("")).toEqual([]);
    expect(() => fromCsv("word,x,y\r\n")).toThrow('CSV header must be "text,group,x,y" or "text,group,x,y,vector", got "word,x,y".');
    expect(() => fromCsv("text,group,x,y\r\ncat,,1\r\n")).toThrow("CSV line 2: expected 4 fields, got 3.");
    expect(() => fromCsv("text,group,x,y\r\ncat,,one,2\r\n")).toThrow('CSV line 2: x must be a number, got "one".');
    expect(() => fromCsv("text,group,x,y,vector\r\ncat,,1,2,[1,x]\r\n")).toThrow("CSV line 2: expected 5 fields, got 6.");
    expect(() => fromCsv('text,group,x,y,vector\r\ncat,,1,2,"[1,x]"\r\n')).toThrow("CSV line 2: vector: Not a pgvector value");
  });

  it("guardFormula / unguardFormula are inverse for every string", () => {
    for (const text of ["", "=", "'", "''=", "plain", "+1", "@a", "-", "\r"]) expect(unguardFormula(guardFormula(text))).toBe(text);
  });
});
