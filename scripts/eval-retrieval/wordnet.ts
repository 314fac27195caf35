import fs from "node:fs";
import path from "node:path";
import { eng } from "stopword";

/**
 * Synonyms from WordNet 3.0 (Debian's wordnet-base, /usr/share/wordnet): the other words of one
 * of a word's senses (synsets). A word is first brought to its base forms the way WordNet's own
 * morphy does (exception lists, then suffix rules), so "signals" finds "signal". The sense is
 * chosen by a simplified Lesk: the synset whose gloss shares the most words with a context (the
 * page the word is in), ties to the more frequent sense (SemCor-tagged parts of speech first, then
 * WordNet's sense order). Without a context, the most frequent sense. Still often off-sense on
 * technical text ("wrapper" is a garment first), as a careless paraphrase would be.
 */

export const wordnetDir = "/usr/share/wordnet";

const stopWords = new Set(eng);
const partsOfSpeech = ["noun", "verb", "adj", "adv"] as const;
type PartOfSpeech = (typeof partsOfSpeech)[number];

/** WordNet's detachment rules, per part of speech: [suffix, replacement]. */
const suffixRules: Record<PartOfSpeech, [string, string][]> = {
  noun: [["s", ""], ["ses", "s"], ["xes", "x"], ["zes", "z"], ["ches", "ch"], ["shes", "sh"], ["men", "man"], ["ies", "y"]],
  verb: [["s", ""], ["ies", "y"], ["es", "e"], ["es", ""], ["ed", "e"], ["ed", ""], ["ing", "e"], ["ing", ""]],
  adj: [["er", ""], ["est", ""], ["er", "e"], ["est", "e"]],
  adv: [],
};

/** The text of WordNet's files, per part of speech: index.*, data.* (byte offsets: read them as latin1) and *.exc. */
export interface WordNetFiles {
  index: Record<PartOfSpeech, string>;
  data: Record<PartOfSpeech, string>;
  exceptions: Record<PartOfSpeech, string>;
}

export interface WordNet {
  /**
   * Synonyms of `word` (any inflection), best sense first (see above); multi-word ones with
   * spaces. `context`: lower-cased words of the text the word is in. [] when none.
   */
  synonyms(word: string, context?: ReadonlySet<string>): string[];
}

export function loadWordNet(dir: string = wordnetDir): WordNet {
  const read = (name: string) => fs.readFileSync(path.join(dir, name), "latin1");
  const each = (prefix: string) => Object.fromEntries(partsOfSpeech.map((pos) => [pos, read(prefix.replace("*", pos))])) as Record<PartOfSpeech, string>;
  return createWordNet({ index: each("index.*"), data: each("data.*"), exceptions: each("*.exc") });
}

interface IndexEntry {
  /** How many of the lemma's senses are tagged in the SemCor corpus: a frequency to rank parts of speech by. */
  tagged: number;
  /** Byte offsets of its synsets in data.<pos>, most frequent sense first. */
  synsets: number[];
}

export function createWordNet(files: WordNetFiles): WordNet {
  const index = new Map<string, Map<PartOfSpeech, IndexEntry>>();
  const exceptions = new Map<string, Map<PartOfSpeech, string[]>>();
  for (const pos of partsOfSpeech) {
    for (const line of files.index[pos].split("\n")) {
      if (line.startsWith(" ") || line.trim() === "") continue; // the licence header lines start with spaces
      const fields = line.trim().split(" ");
      const pointerCount = Number(fields[3]);
      const senseCount = Number(fields[2]);
      const tagged = Number(fields[5 + pointerCount]);
      const synsets = fields.slice(6 + pointerCount, 6 + pointerCount + senseCount).map(Number);
      if (!(senseCount > 0) || synsets.some((offset) => !Number.isInteger(offset))) continue;
      const entries = index.get(fields[0]) ?? new Map();
      entries.set(pos, { tagged, synsets });
      index.set(fields[0], entries);
    }
    for (const line of files.exceptions[pos].split("\n")) {
      const [inflected, ...bases] = line.trim().split(" ");
      if (!inflected || bases.length === 0) continue;
      const entries = exceptions.get(inflected) ?? new Map();
      entries.set(pos, bases);
      exceptions.set(inflected, entries);
    }
  }

  const synset = (pos: PartOfSpeech, offset: number): { words: string[]; gloss: string[] } => {
    const data = files.data[pos];
    const line = data.slice(offset, data.indexOf("\n", offset));
    const fields = line.split(" ");
    if (Number(fields[0]) !== offset) throw new Error(`WordNet data.${pos} has no synset at byte ${offset}: the index and data files do not match.`);
    const count = parseInt(fields[3], 16);
    const words = Array.from({ length: count }, (_, i) => fields[4 + 2 * i].replace(/\([a-z]+\)$/, "").replace(/_/g, " ").toLowerCase());
    const gloss = line.slice(line.indexOf(" | ") + 3).toLowerCase().match(/[a-z]{3,}/g)?.filter((token) => !stopWords.has(token)) ?? [];
    return { words, gloss };
  };

  const baseForms = (word: string, pos: PartOfSpeech): string[] => {
    const forms = new Set<string>(exceptions.get(word)?.get(pos) ?? []);
    if (index.get(word)?.has(pos)) forms.add(word);
    for (const [suffix, replacement] of suffixRules[pos]) {
      if (word.endsWith(suffix) && word.length > suffix.length) forms.add(word.slice(0, -suffix.length) + replacement);
    }
    return [...forms].filter((form) => index.get(form)?.has(pos));
  };

  return {
    synonyms(word, context) {
      const lower = word.toLowerCase();
      const senses: { base: string; words: string[]; score: number; tagged: number; order: number }[] = [];
      for (const pos of partsOfSpeech) {
        for (const base of baseForms(lower, pos)) {
          const entry = index.get(base)!.get(pos)!;
          entry.synsets.forEach((offset, order) => {
            const { words, gloss } = synset(pos, offset);
            const score = context ? new Set(gloss.filter((token) => token !== base && context.has(token))).size : 0;
            senses.push({ base, words, score, tagged: entry.tagged, order });
          });
        }
      }
      senses.sort((a, b) => b.score - a.score || b.tagged - a.tagged || a.order - b.order);
      const result = new Set<string>();
      for (const { base, words } of senses) for (const synonym of words) if (synonym !== base && synonym !== lower) result.add(synonym);
      return [...result];
    },
  };
}
