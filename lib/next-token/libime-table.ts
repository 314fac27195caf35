import { execFile } from "node:child_process";
import fs from "node:fs/promises";
import path from "node:path";
import { promisify } from "node:util";

/**
 * libime's prediction table (Debian's libime-data-language-model, LGPL-2.1+) as text, cached in
 * DATA_DIR. The package ships it in a binary format only libime reads; `libime_prediction -d`
 * (package libime-bin) dumps it as lines `w1|w2 score`, score = log10 P(w1) + log10 P(w2 | w1),
 * the 15 likeliest next words of each of ~65,000 words. Dumping takes ~0.5 s, so it happens once:
 * when the cached file is missing, broken or older than the model file.
 */

export interface LibimePaths {
  /** `libime_prediction`, from libime-bin. */
  binary: string;
  /** `zh_CN.lm.predict`, from libime-data-language-model. */
  source: string;
  /** Where the dumped text goes, e.g. `<DATA_DIR>/next-token/libime-zh_CN.predict.txt`. */
  cacheFile: string;
}

export const installCommand = "sudo bash scripts/ci/install-libime.sh";
export const aptCommand = "sudo apt-get install -y --no-install-recommends libime-bin libime-data-language-model";

/** One head word's next words, best first, with their log10 scores. */
export interface NextWord {
  word: string;
  score: number;
}

export interface PredictionTable {
  /** Head word → its next words, best first. */
  next: Map<string, NextWord[]>;
  /** Every word the table names, as head or as next word. */
  vocabulary: Set<string>;
  /** The longest word, in characters. */
  maxWordLength: number;
  entries: number;
}

/** The files that are missing, by path; empty when the model can run. */
export async function missingFiles(paths: Pick<LibimePaths, "binary" | "source">): Promise<string[]> {
  const missing: string[] = [];
  for (const file of [paths.binary, paths.source]) {
    if (!(await fs.access(file).then(() => true, () => false))) missing.push(file);
  }
  return missing;
}

const linePattern = /^([^|\s]+)\|([^|\s]+) (-?\d+(?:\.\d+)?(?:e-?\d+)?)$/;

/** Parses dumped text; throws naming the first bad line, or when there is no entry at all. */
export function parseTable(text: string): PredictionTable {
  const next = new Map<string, NextWord[]>();
  const vocabulary = new Set<string>();
  let entries = 0;
  let maxWordLength = 1;
  const lines = text.split("\n");
  if (lines.at(-1) === "") lines.pop();
  for (let i = 0; i < lines.length; i++) {
    const match = linePattern.exec(lines[i]);
    if (!match) throw new Error(`line ${i + 1} is not "word|next score": ${JSON.stringify(lines[i].slice(0, 80))}`);
    const [, head, word, score] = match;
    let list = next.get(head);
    if (!list) next.set(head, (list = []));
    list.push({ word, score: Number(score) });
    for (const w of [head, word]) {
      if (!vocabulary.has(w)) {
        vocabulary.add(w);
        maxWordLength = Math.max(maxWordLength, Array.from(w).length);
      }
    }
    entries++;
  }
  if (entries === 0) throw new Error("the table has no entries");
  for (const list of next.values()) list.sort((a, b) => b.score - a.score);
  return { next, vocabulary, maxWordLength, entries };
}

export interface LoadedTable {
  table: PredictionTable;
  /** Whether the cached text was (re)written by this call, and why. */
  dumped: false | "missing" | "broken" | "stale";
  /** Milliseconds spent dumping (0 when cached) and parsing; for logs and benchmarks. */
  dumpMs: number;
  parseMs: number;
}

/**
 * The prediction table: read from `cacheFile`, dumped first when the file is missing, older than
 * `source`, or does not parse (then dumped once more, and a second failure throws). The dump is
 * written to a temporary file and renamed, so a crash never leaves half a table behind.
 */
export async function loadPredictionTable(paths: LibimePaths): Promise<LoadedTable> {
  const cached = await fs.stat(paths.cacheFile).catch(() => null);
  const source = await fs.stat(paths.source);
  let dumped: LoadedTable["dumped"] = !cached ? "missing" : cached.mtimeMs < source.mtimeMs ? "stale" : false;
  let dumpMs = 0;
  if (dumped) dumpMs = await dump(paths);
  const started = performance.now();
  try {
    const table = parseTable(await fs.readFile(paths.cacheFile, "utf8"));
    return { table, dumped, dumpMs, parseMs: performance.now() - started };
  } catch (error) {
    if (dumped) throw new Error(`libime_prediction's dump of ${paths.source} does not parse: ${(error as Error).message}`);
  }
  dumped = "broken";
  dumpMs = await dump(paths);
  const again = performance.now();
  const table = parseTable(await fs.readFile(paths.cacheFile, "utf8"));
  return { table, dumped, dumpMs, parseMs: performance.now() - again };
}

async function dump(paths: LibimePaths): Promise<number> {
  const started = performance.now();
  await fs.mkdir(path.dirname(paths.cacheFile), { recursive: true });
  const partial = `${paths.cacheFile}.${process.pid}.partial`;
  try {
    await promisify(execFile)(paths.binary, ["-d", paths.source, partial], { timeout: 60_000 });
    await fs.rename(partial, paths.cacheFile);
  } catch (error) {
    await fs.rm(partial, { force: true });
    throw new Error(`${paths.binary} -d ${paths.source} failed: ${(error as Error).message}`, { cause: error });
  }
  return performance.now() - started;
}
