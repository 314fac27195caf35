import { analyze } from "./analyze";

/**
 * PostgreSQL full-text values built from `analyze`'s terms, so the database never parses text
 * itself: PGlite and PostgreSQL (whatever its locale or text-search configurations) index and
 * match exactly the same terms.
 */

/** PostgreSQL keeps at most this position per lexeme; later ones count as this one. */
const maxPosition = 16_383;

export interface ChunkSearchTerms {
  /** A `tsvector` literal: each term with its positions (their count is the term's frequency). */
  tsvector: string;
  /** How many terms the text has: BM25's document length. */
  length: number;
}

export function chunkSearchTerms(text: string): ChunkSearchTerms {
  const positions = new Map<string, number[]>();
  const terms = analyze(text);
  terms.forEach(({ term }, i) => {
    const list = positions.get(term) ?? [];
    // tsvector stores at most 256 positions per lexeme: the frequency saturates there.
    if (list.length < 256) list.push(Math.min(i + 1, maxPosition));
    positions.set(term, list);
  });
  const tsvector = [...positions].map(([term, list]) => `${quote(term)}:${list.join(",")}`).join(" ");
  return { tsvector, length: terms.length };
}

/** A `tsquery` literal matching any of the terms. */
export function anyTermQuery(terms: string[]): string {
  return terms.map(quote).join(" | ");
}

function quote(term: string): string {
  return `'${term.replace(/\\/g, "\\\\").replace(/'/g, "''")}'`;
}
