import { describe, expect, it } from "vitest";
import { formatCsvField, formatCsvRecords, parseCsvRecords } from "@/lib/export/csvFormat";

describe("csvFormat", () => {
  it("formatCsvField quotes only fields with commas, quotes or line breaks, doubling inner quotes", () => {
    expect(formatCsvField("cat")).toBe("cat");
    expect(formatCsvField("a,b")).toBe('"a,b"');
    expect(formatCsvField('say "hi"')).toBe('"say ""hi"""');
    expect(formatCsvField("two\nlines")).toBe('"two\nlines"');
    expect(formatCsvField("cr\rhere")).toBe('"cr\rhere"');
  });

  it("formatCsvRecords ends every record with CRLF", () => {
    expect(formatCsvRecords([["a", "b"], ["1", "2"]])).toBe("a,b\r\n1,2\r\n");
    expect(formatCsvRecords([])).toBe("");
  });

  it("parseCsvRecords reads back what formatCsvRecords wrote", () => {
    const records = [["", "a,b", '"', "x\r\ny", "unicode ✓ 猫 🐱"], ["", "", "", "", ""]];
    expect(parseCsvRecords(formatCsvRecords(records))).toEqual(records);
  });

  it("parseCsvRecords takes LF line ends, a byte-order mark and a missing final line break", () => {
    expect(parseCsvRecords("\uFEFFa,b\n1,2")).toEqual([["a", "b"], ["1", "2"]]);
  });

  it("parseCsvRecords rejects an unterminated quote and a stray quote, naming the line", () => {
    expect(() => parseCsvRecords('a\r\n"open,b\r\n')).toThrow("CSV line 2: a quoted field is never closed; add the closing double quote.");
    expect(() => parseCsvRecords('a\r\nab"c\r\n')).toThrow("CSV line 2: a quote inside an unquoted field");
    expect(() => parseCsvRecords('"a"b\r\n')).toThrow('CSV line 1: unexpected "b" after a closing quote');
  });

  it("parseCsvRecords('') is no records", () => {
    expect(parseCsvRecords("")).toEqual([]);
  });
});
