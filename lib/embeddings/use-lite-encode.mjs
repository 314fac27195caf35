// use-lite's SentencePiece encoder, shared by the model (use-lite-model.mjs, in its worker
// threads) and by the reading check on the server's thread (use-lite-tokens.ts). Plain JavaScript,
// like the worker that loads it by path.

/**
 * The package's SentencePiece `Tokenizer.encode`, step for step (same pieces, same ties, same
 * quirks), except that it walks the trie from each position in place, where the package copies the
 * rest of the text at every position (`symbols.slice(i)`), and keeps the lattice in arrays, where
 * the package allocates an object per piece and walks objects with `for…in`: ~4 ms for an
 * 800-character chunk before.
 * Tested against the package on real texts (tests/embeddings/use-lite-model.test.ts).
 */
export function encodeWithoutCopies(tokenizer) {
  const { trie, vocabulary } = tokenizer;
  return (text) => {
    const normalized = text.normalize("NFKC");
    const symbols = [...(normalized.length > 0 ? "\u2581" + normalized.replace(/ /g, "\u2581") : normalized)];
    // ending[end]: the pieces that end at `end`, by where they start, in the order they were
    // found: the order the package's `for (start in nodes[end])` visits them.
    const ending = [];
    const words = [];
    const best = [];
    for (let i = 0; i <= symbols.length; i++) {
      ending.push([]);
      words.push(0);
      best.push(0);
    }
    for (let i = 0; i < symbols.length; i++) {
      let matched = false;
      let node = trie.root.children[symbols[i]];
      for (let j = i; j < symbols.length && node; j++) {
        if (node.end) {
          ending[i + node.word[0].length].push(node.word);
          matched = true;
        }
        node = node.children[symbols[j + 1]];
      }
      if (!matched) ending[i + 1].push([[symbols[i]], 0, 0]);
    }
    for (let end = 0; end <= symbols.length; end++) {
      for (const [key, pieceScore, index] of ending[end]) {
        const score = pieceScore + best[end - key.length];
        if (best[end] === 0 || score >= best[end]) {
          best[end] = score;
          words[end] = index;
        }
      }
    }
    const results = [];
    for (let at = words.length - 1; at > 0; at -= vocabulary[words[at]][0].length) results.push(words[at]);
    const merged = [];
    let previousUnknown = false;
    for (const id of results) {
      if (!(previousUnknown && id === 0)) merged.push(id);
      previousUnknown = id === 0;
    }
    return merged.reverse();
  };
}
