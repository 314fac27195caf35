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
    id: "text-to-retrieval",
    title: "From text to retrieval",
    description: "The whole path in one notebook: tokens, vectors where meaning is distance, analogies, and retrieval for a prompt.",
    model: "use-lite",
    source: ["## animals", "cat", "dog", "animal", "pet", "", "## vehicles", "car", "truck", "", "## food", "banana"].join("\n"),
    cells: [
      {
        id: "step-tokens",
        type: "note",
        markdown:
          "## 1 · Text becomes tokens\n\nA model never sees letters. A **tokenizer** first cuts text into pieces from a fixed vocabulary and replaces each piece by its number. The Universal Sentence Encoder uses SentencePiece: `▁` marks a piece that starts a word, and rare words are spelled out of smaller pieces. Edit the sentence to see how it is cut.",
      },
      { id: "tokens", type: "tokens", text: "Retrieval-augmented generation grounds answers in documents." },
      {
        id: "step-next-token",
        type: "note",
        markdown:
          "## 1½ · An LLM predicts the next token\n\nA language model reads the tokens and answers a **probability distribution over the next token**; generating text is picking one, appending it and asking again. Click a bar to append that token, or press Generate: *greedy* always takes the likeliest, *sample* draws at a temperature (seeded, so it repeats). The offline model here is a Chinese word bigram table (an n-gram model, not a neural LLM: it looks at the last word only), so the sentence is the essay's 人工智能的未来将. There is no offline English model; with `HF_GENERATION_URL` or `HF_TOKEN` set, the remote LLM in the menu shows a real model's distribution for English text.",
      },
      { id: "next-token", type: "next-token", text: "人工智能的未来将", model: "libime-zh", k: 8, steps: 5, strategy: "greedy", temperature: 1, seed: 42 },
      {
        id: "step-vectors",
        type: "note",
        markdown:
          "## 2 · Tokens become vectors\n\nThe model turns each text into a vector of 512 numbers. Texts with related meanings get vectors that point in similar directions, so **meaning becomes distance**. The map squeezes the 512 dimensions onto a plane with UMAP: *cat, dog, animal* and *pet* land together, *car* and *truck* together, the *banana* on its own. Add a word to the list above and press Run: it is placed on the map without moving the others.",
      },
      { id: "map", type: "map", method: "umap", params: {} },
      {
        id: "step-similarity",
        type: "note",
        markdown: "The heatmap shows the **cosine similarity** behind the map: 1 for the same direction, lower for unrelated meanings.",
      },
      { id: "heatmap", type: "heatmap" },
      {
        id: "step-analogy",
        type: "note",
        markdown:
          "## 3 · Directions carry meaning\n\nIn word vectors (here GloVe), *differences* are meaningful too: the step from **man** to **woman** is close to the step from **king** to **queen**. So *king − man + woman* lands near *queen*.",
      },
      { id: "analogy", type: "analogy", a: "king", b: "man", c: "woman", k: 5 },
      {
        id: "step-retrieval",
        type: "note",
        markdown:
          "## 4 · Retrieval-augmented generation\n\nTo answer from documents, split them into **chunks**, embed every chunk into a vector database (here PostgreSQL with pgvector), embed the **question**, and retrieve the chunks nearest to it. Those chunks go into the prompt as context, so an LLM answers from them instead of from memory. Ask the example collection a question: the map shows its chunks, the question among them, and the chunks it retrieved.",
      },
      { id: "retrieve", type: "retrieve", collection: "example", question: "Why do cyclists shift to a bigger rear sprocket when climbing?", k: 4 },
    ],
  },
  {
    id: "essay-zh",
    title: "从文字到向量：猫、动物、宠物",
    description: "文章自己的例子（中文）：大模型把文字切成词元，词元变成向量，相关的概念在空间里靠在一起。",
    model: "cedict-glove-100d",
    source: ["## 动物", "猫", "动物", "宠物", "", "## 交通工具", "汽车", "卡车", "", "## 食物", "香蕉", "", "## English", "cat"].join("\n"),
    cells: [
      {
        id: "step-tokens",
        type: "note",
        markdown:
          "## 1 · 大模型是一个词元生成器\n\n模型看不到字，只看到**词元**（token）。“人工智能的未来将”先被切成 [人工, 智能, 的, 未来, 将]，每个词元换成一个编号；模型再从一个概率分布里挑出下一个词元（会 0.5，变得 0.3 ……），接上去，一直重复。下面第一个单元格显示这个模型怎样切分一句话，第二个单元格显示下一个词元的概率。",
      },
      { id: "tokens", type: "tokens", text: "人工智能的未来将" },
      {
        id: "step-next-token",
        type: "note",
        markdown:
          "## 下一个词元\n\n同一句话“人工智能的未来将”，下一个词是什么？下面的柱子是每个候选词的概率：排第一的是**会**。点一根柱子就把那个词接上去；按“Generate”连续生成：*greedy* 每次取最可能的词，*sample* 按温度抽样（有种子，可以重复）。这里用的是 libime 的中文词二元模型（**n-gram 模型，不是神经网络大模型**），只看最后一个词，所以它先把句子切成自己的词：人工 / 智能 / 的 / 未来 / 将。",
      },
      { id: "next-token", type: "next-token", text: "人工智能的未来将", model: "libime-zh", k: 8, steps: 5, strategy: "greedy", temperature: 1, seed: 42 },
      {
        id: "step-vectors",
        type: "note",
        markdown:
          "## 2 · 词元变成向量\n\n每个词变成一串数字（一个向量）。意思相近的词，向量的方向也相近：**猫**、**动物**、**宠物**靠在一起，**汽车**和**卡车**靠在一起，**香蕉**自己在一边。英文的 *cat* 落在 猫 旁边。\n\n地图用 PCA 把 100 维压到平面上。这里的模型 `cedict-glove-100d` 是一座**翻译桥**，不是多语言模型：它用 CC-CEDICT 词典把中文词翻成英文释义，再用英文 GloVe 词向量表示。装了多语言模型（例如 `local:Xenova/multilingual-e5-small`）时，可以在上面的模型菜单里换过去比较。",
      },
      // Seven words are too few for UMAP's neighbourhoods; PCA keeps the clusters the heatmap shows.
      { id: "map", type: "map", method: "pca", params: {} },
      {
        id: "step-similarity",
        type: "note",
        markdown: "热图是地图背后的**余弦相似度**：方向相同是 1，意思越远越低。",
      },
      { id: "heatmap", type: "heatmap" },
      { id: "neighbours", type: "neighbours", item: "猫", k: 3 },
      {
        id: "step-analogy",
        type: "note",
        markdown: "## 3 · 方向也有意思\n\n向量的**差**也有意义：从“男人”到“女人”的一步，和从“国王”到“女王”的一步很接近。所以 *国王 − 男人 + 女人* 落在 *女王* 附近。",
      },
      { id: "analogy", type: "analogy", a: "国王", b: "男人", c: "女人", k: 5 },
      {
        id: "step-retrieval",
        type: "note",
        markdown:
          "## 4 · 检索增强生成（RAG）\n\n要让模型根据文档回答：把文档切成小块，每块变成向量存进向量数据库（这里是 PostgreSQL + pgvector），把问题也变成向量，找出离它最近的几块，和问题一起放进提示词。英文示例“From text to retrieval”里可以亲手走一遍。",
      },
    ],
  },
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
