"use client";

import { useEffect, useState } from "react";
import { callApi } from "../client";

type Cell = { id: string; type: "tokens"; text: string };
type Token = { text: string; id: number | null; known: boolean; glosses?: string[] };
type Reply = { supported: boolean; count: number; tokens: Token[]; note?: string };

/**
 * Step one of the story: before a model sees text, a tokenizer cuts it into pieces with ids.
 * USE-lite shows SentencePiece pieces (▁ marks the start of a word); GloVe shows whole words,
 * with the ones it has no vector for struck through; cedict-glove-100d shows Chinese dictionary
 * words with the English glosses their vectors are made of.
 */
export function TokensCell({ cell, model, readOnly, onChange }: { cell: Cell; model: string; readOnly: boolean; onChange: (cell: Cell) => void }) {
  const [reply, setReply] = useState<Reply | null>(null);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    if (cell.text.trim() === "") return setReply(null);
    let cancelled = false;
    const timer = setTimeout(() => {
      callApi<Reply>("/api/tokens", { body: { model, text: cell.text } })
        .then((next) => !cancelled && (setReply(next), setError(null)))
        .catch((caught: Error) => !cancelled && setError(caught.message));
    }, 250);
    return () => {
      cancelled = true;
      clearTimeout(timer);
    };
  }, [cell.text, model]);

  return (
    <div className="tokens-cell">
      <textarea
        aria-label="Text to tokenize"
        rows={2}
        value={cell.text}
        readOnly={readOnly}
        placeholder="Type a sentence to see its tokens"
        onChange={(event) => onChange({ ...cell, text: event.target.value })}
      />
      {error && <p className="status error">{error}</p>}
      {reply && !reply.supported && <p className="hint">{reply.note}</p>}
      {reply?.supported && (
        <>
          <p className="hint">
            {reply.count} {reply.count === 1 ? "token" : "tokens"} with {model}
            {reply.note ? ` · ${reply.note}` : ""}
          </p>
          <ol className="token-list" aria-label="Tokens">
            {reply.tokens.map((token, i) => (
              <li key={i} className={token.known ? "token" : "token unknown"} title={tokenTitle(token)}>
                <span className="token-text">{token.text}</span>
                <span className="token-id">{token.glosses?.length ? token.glosses[0] : (token.id ?? "?")}</span>
              </li>
            ))}
          </ol>
        </>
      )}
    </div>
  );
}

function tokenTitle(token: Token): string {
  if (!token.known) return "not in the vocabulary";
  if (token.glosses?.length) return `glosses: ${token.glosses.join("; ")}`;
  return `id ${token.id}`;
}
