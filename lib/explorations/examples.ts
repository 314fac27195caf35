import type { Cell } from "./schemas";

/**
 * Starting points offered on the home page. They are templates, not saved rows: opening one fills a
 * new notebook, so a fresh install has them without any data.
 */
export interface ExampleExploration {
  id: string;
  title: string;
  description: string;
  model: string;
  /** Editor text: one item per line, `## group` lines. */
  source: string;
  cells: Cell[];
}

export const examples: ExampleExploration[] = [
  {
    id: "animals-and-vehicles",
    title: "Animals, vehicles and a banana",
    description: "Related concepts cluster: pets with animals, cars with trucks, and the banana on its own.",
    model: "use-lite",
    source: ["## animals", "cat", "dog", "animal", "pet", "kitten", "puppy", "", "## vehicles", "car", "truck", "bus", "bicycle", "", "## food", "banana", "apple", "bread"].join("\n"),
    cells: [
      {
        id: "intro",
        type: "note",
        markdown: "Each word becomes a 512-dimensional vector. **UMAP** squeezes them onto a plane, keeping neighbours together. Hover a point to see its nearest neighbours and their cosine similarity.",
      },
      { id: "map", type: "map", method: "umap", params: {} },
      { id: "heatmap", type: "heatmap" },
      { id: "neighbours", type: "neighbours", item: "cat", k: 5 },
    ],
  },
  {
    id: "royal-analogies",
    title: "King − man + woman",
    description: "Word vectors encode relations as directions: semantic axes and the classic analogy.",
    model: "glove-100d",
    source: ["## royalty", "king", "queen", "prince", "princess", "## people", "man", "woman", "boy", "girl", "## family", "father", "mother", "son", "daughter"].join("\n"),
    cells: [
      {
        id: "intro",
        type: "note",
        markdown: "With GloVe word vectors, *differences* carry meaning: the step from **man** to **woman** is close to the step from **king** to **queen**. The map below places every word on two semantic axes.",
      },
      { id: "axes", type: "map", method: "axes", params: { axes: { x: ["man", "woman"], y: ["boy", "king"] } } },
      { id: "analogy", type: "analogy", a: "king", b: "man", c: "woman", k: 5 },
      { id: "heatmap", type: "heatmap" },
    ],
  },
  {
    id: "sentences",
    title: "Sentences by topic",
    description: "A sentence model places whole sentences: the same topic lands together even with no shared words.",
    model: "use-lite",
    source: [
      "## weather",
      "It is raining heavily this afternoon.",
      "Expect sunshine and clear skies tomorrow.",
      "A storm is moving in from the coast.",
      "## cooking",
      "Simmer the sauce for twenty minutes.",
      "Knead the dough until it is smooth.",
      "Season the soup with salt and pepper.",
      "## sport",
      "The striker scored in the final minute.",
      "She won the marathon in record time.",
      "The team lost the championship game.",
    ].join("\n"),
    cells: [
      { id: "map", type: "map", method: "umap", params: {} },
      { id: "heatmap", type: "heatmap" },
      { id: "neighbours", type: "neighbours", item: "It is raining heavily this afternoon.", k: 3 },
    ],
  },
];

export function findExample(id: string): ExampleExploration | undefined {
  return examples.find((example) => example.id === id);
}
