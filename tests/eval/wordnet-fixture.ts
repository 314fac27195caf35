import { createWordNet, type WordNet, type WordNetFiles } from "@/scripts/eval-retrieval/wordnet";

/**
 * A WordNet of a few synsets, written in WordNet's own file formats (index lines pointing at
 * byte offsets of data lines), for tests that must not depend on Debian's wordnet-base.
 */

type Pos = "noun" | "verb" | "adj" | "adv";
export interface FixtureSynset {
  pos: Pos;
  words: string[];
  gloss: string;
}

const posLetter: Record<Pos, string> = { noun: "n", verb: "v", adj: "a", adv: "r" };
const licence = "  1 This software and database is being provided to you, the LICENSEE, by\n";

export function fixtureFiles(synsets: FixtureSynset[], exceptions: Partial<Record<Pos, string>> = {}): WordNetFiles {
  const files: WordNetFiles = {
    index: { noun: licence, verb: licence, adj: licence, adv: licence },
    data: { noun: licence, verb: licence, adj: licence, adv: licence },
    exceptions: { noun: "", verb: "", adj: "", adv: "", ...exceptions },
  };
  const senses = new Map<string, { pos: Pos; offsets: number[] }>();
  for (const synset of synsets) {
    const offset = files.data[synset.pos].length;
    const words = synset.words.map((word) => `${word.replace(/ /g, "_")} 0`).join(" ");
    files.data[synset.pos] += `${String(offset).padStart(8, "0")} 03 ${posLetter[synset.pos]} ${synset.words.length.toString(16).padStart(2, "0")} ${words} 000 | ${synset.gloss}  \n`;
    for (const word of synset.words) {
      const key = `${synset.pos}:${word.replace(/ /g, "_")}`;
      const entry = senses.get(key) ?? { pos: synset.pos, offsets: [] };
      entry.offsets.push(offset);
      senses.set(key, entry);
    }
  }
  for (const [key, { pos, offsets }] of [...senses].sort(([a], [b]) => a.localeCompare(b))) {
    const lemma = key.slice(pos.length + 1);
    files.index[pos] += `${lemma} ${posLetter[pos]} ${offsets.length} 1 @ ${offsets.length} ${offsets.length} ${offsets.map((o) => String(o).padStart(8, "0")).join(" ")}  \n`;
  }
  return files;
}

export const fixtureSynsets: FixtureSynset[] = [
  { pos: "noun", words: ["signal", "signaling", "sign"], gloss: "any nonverbal action or gesture that encodes a message" },
  { pos: "noun", words: ["signal", "impulse"], gloss: "an electric current carrying coded information" },
  { pos: "noun", words: ["child", "kid", "youngster", "minor", "shaver"], gloss: "a young person of either sex" },
  { pos: "verb", words: ["terminate", "end"], gloss: "bring to an end or halt" },
  { pos: "noun", words: ["process", "procedure"], gloss: "a particular course of action intended to achieve a result" },
  { pos: "noun", words: ["file", "data file"], gloss: "a set of related records kept together" },
  { pos: "verb", words: ["deliver", "present"], gloss: "hand over formally" },
];

export function fixtureWordNet(): WordNet {
  return createWordNet(fixtureFiles(fixtureSynsets, { noun: "children child\n" }));
}
