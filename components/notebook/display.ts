import type { TextWarning } from "@/lib/embeddings/readability";
import type { Neighbour } from "@/lib/projection/neighbours";

/** What the model could not read in the last run: items left out, and items read only in part. */
export interface Reading {
  model: string;
  /** Items the model cannot read at all: left out of every cell. */
  unreadable: string[];
  /** Models here that read the left-out items, as the server named them. */
  readableBy: string[];
  /** Items with some unknown pieces, as the API named them. */
  warnings: TextWarning[];
}

/** What cells draw: the items of the last run (or, before it, of the loaded exploration). */
export interface Display {
  texts: string[];
  /** Group of every item, an index into `groupNames`; items without a group share the last slot. */
  groups: number[];
  groupNames: string[];
  /** Cosine similarity of every pair, or null above `maxSimilarityItems`. */
  matrix: number[][] | null;
  neighbours: Neighbour[][] | null;
  reading?: Reading;
}

/** Similarity is computed for up to this many items (the matrix is n × n). */
export const maxSimilarityItems = 500;
