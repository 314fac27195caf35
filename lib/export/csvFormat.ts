/**
 * RFC 4180 records: fields separated by commas, records by CRLF; a field holding a comma, a
 * double quote, CR or LF is wrapped in double quotes with inner quotes doubled. The parser also
 * takes bare LF line ends (files edited on Unix) and a leading UTF-8 byte-order mark.
 */

/** One field, quoted only when it has to be. */
export function formatCsvField(field: string): string {
  return /[",\r\n]/.test(field) ? `"${field.replaceAll('"', '""')}"` : field;
}

/** Records → CSV text, CRLF after every record (RFC 4180 §2.1–2.2). */
export function formatCsvRecords(records: readonly (readonly string[])[]): string {
  return records.map((record) => `${record.map(formatCsvField).join(",")}\r\n`).join("");
}

/**
 * CSV text → records. Throws on an unterminated quoted field or a quote inside an unquoted one,
 * naming the line, since a silently mangled import is worse than a refused one.
 */
export function parseCsvRecords(text: string): string[][] {
  const source = text.startsWith("\uFEFF") ? text.slice(1) : text;
  const records: string[][] = [];
  let record: string[] = [];
  let field = "";
  let quoted = false;
  let fieldStarted = false;
  let line = 1;
  let quoteLine = 1;

  for (let i = 0; i < source.length; i++) {
    const char = source[i];
    if (quoted) {
      if (char === '"' && source[i + 1] === '"') {
        field += '"';
        i++;
      } else if (char === '"') {
        quoted = false;
        const next = source[i + 1];
        if (next !== undefined && next !== "," && next !== "\r" && next !== "\n") {
          throw new Error(`CSV line ${line}: unexpected ${JSON.stringify(next)} after a closing quote; quote the whole field and double inner quotes.`);
        }
      } else {
        if (char === "\n") line++;
        field += char;
      }
    } else if (char === '"') {
      if (fieldStarted) throw new Error(`CSV line ${line}: a quote inside an unquoted field; quote the whole field and double inner quotes.`);
      quoted = true;
      fieldStarted = true;
      quoteLine = line;
    } else if (char === ",") {
      record.push(field);
      field = "";
      fieldStarted = false;
    } else if (char === "\r" || char === "\n") {
      if (char === "\r" && source[i + 1] === "\n") i++;
      record.push(field);
      records.push(record);
      record = [];
      field = "";
      fieldStarted = false;
      line++;
    } else {
      field += char;
      fieldStarted = true;
    }
  }
  if (quoted) throw new Error(`CSV line ${quoteLine}: a quoted field is never closed; add the closing double quote.`);
  if (fieldStarted || record.length > 0) {
    record.push(field);
    records.push(record);
  }
  return records;
}
