/**
 * Response headers of a download: the file name (RFC 6266), and values that must stay ASCII.
 */

/**
 * `attachment` with the collection's name as the file name: an ASCII fallback in `filename`
 * (other characters, quotes, backslashes and path separators become "_"), and the exact name
 * in `filename*` (RFC 5987, UTF-8, percent-encoded) for names such as 新闻摘要.
 */
export function contentDisposition(name: string, extension: string): string {
  const base = name.normalize("NFC").replace(/[\u0000-\u001F\u007F/\\]/g, "_").trim() || "collection";
  const ascii = base.replace(/[^\x20-\x7E]|["\\]/g, "_");
  const fallback = /[A-Za-z0-9]/.test(ascii) ? ascii : "collection";
  const disposition = `attachment; filename="${fallback}.${extension}"`;
  return ascii === base ? disposition : `${disposition}; filename*=UTF-8''${encodeRfc5987(`${base}.${extension}`)}`;
}

/** Percent-encodes all but RFC 5987's attr-char (letters, digits, !#$&+-.^_`|~). */
function encodeRfc5987(text: string): string {
  return encodeURIComponent(text.toWellFormed()).replace(/['()*]/g, (char) => `%${char.charCodeAt(0).toString(16).toUpperCase()}`);
}

/**
 * A header value in printable ASCII (header values are bytes): other characters, and "%" once
 * there are any, percent-encoded as UTF-8, so decodeURIComponent gives the value back.
 */
export function asciiHeaderValue(value: string): string {
  if (/^[\x20-\x7E]*$/.test(value)) return value;
  return value.toWellFormed().replace(/[^\x20-\x7E]|%/gu, (char) => encodeURIComponent(char));
}
