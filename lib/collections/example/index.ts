import fs from "node:fs";
import path from "node:path";

/**
 * The example document collection that ships with the app: nine short, original articles on
 * clearly different topics ("how things work"), plus hand-written questions that each name the one
 * document answering them. Used offline by the retrieval (RAG) demo and by the retrieval-quality
 * test. Documents are plain markdown: `# Title`, then paragraphs separated by blank lines.
 */

export interface ExampleDocument {
  /** File name without `.md`, e.g. `water-cycle`. */
  slug: string;
  title: string;
  /** The whole markdown file, title line included. */
  text: string;
  metadata: { topic: string; title: string; source: "example" };
}

export interface ExampleQuestion {
  question: string;
  /** Slug of the document that answers it. */
  document: string;
}

export const exampleCollection = {
  name: "How things work (example)",
  description:
    "Nine short articles on unrelated topics — honey bees, the water cycle, bicycle gears, sourdough, the printing press, vaccines, volcanoes, lighthouses and composting — so every question has one obvious source.",
  model: "use-lite",
} as const;

/**
 * Resolved from the working directory rather than this file: Next bundles server code, so the
 * module's own location is not where the markdown lives at run time. Both `next` and vitest run
 * from the project root.
 */
export const exampleDir = path.join(process.cwd(), "lib", "collections", "example");
export const exampleDocumentsDir = path.join(exampleDir, "documents");

/** Short lowercase tag per document, usable as a metadata filter in search. */
const topics: Record<string, string> = {
  "bees-and-honey": "bees",
  "water-cycle": "water-cycle",
  "bicycle-gears": "bicycles",
  "sourdough-bread": "bread",
  "printing-press": "printing",
  vaccines: "vaccines",
  volcanoes: "volcanoes",
  lighthouses: "lighthouses",
  composting: "compost",
};

/** The documents in slug order. Text is NFC-normalised with `\n` line endings. */
export function readExampleDocuments(dir = exampleDocumentsDir): ExampleDocument[] {
  return fs
    .readdirSync(/* turbopackIgnore: true */ dir)
    .filter((name) => name.endsWith(".md"))
    .sort()
    .map((name) => {
      const slug = name.slice(0, -".md".length);
      const text = fs
        .readFileSync(path.join(/* turbopackIgnore: true */ dir, name), "utf8")
        .replace(/\r\n?/g, "\n")
        .normalize("NFC")
        .trim();
      const heading = /^#\s+(.+)$/m.exec(text);
      if (!heading) throw new Error(`Example document ${name} has no "# Title" line.`);
      const title = heading[1].trim();
      const topic = topics[slug] ?? slug;
      return { slug, title, text, metadata: { topic, title, source: "example" as const } };
    });
}

/** The hand-written questions, each naming the slug of the document that answers it. */
export function readExampleQuestions(file = path.join(exampleDir, "questions.json")): ExampleQuestion[] {
  const parsed: unknown = JSON.parse(fs.readFileSync(/* turbopackIgnore: true */ file, "utf8"));
  if (!Array.isArray(parsed)) throw new Error(`${file} must hold an array of questions.`);
  return parsed.map((entry, index) => {
    const { question, document } = (entry ?? {}) as Record<string, unknown>;
    if (typeof question !== "string" || typeof document !== "string") {
      throw new Error(`${file}[${index}] must be { "question": string, "document": string }.`);
    }
    return { question, document };
  });
}
