import type { Reading } from "../display";

const shown = 8;

/**
 * Said on the map, heatmap and neighbours cells when the model could not read some items: which
 * were left out (with a one-click switch to a model that reads them) and which it read in part.
 */
export function ReadingNote({ reading, onSwitchModel }: { reading: Reading; onSwitchModel?: (model: string) => void }) {
  const { model, unreadable, readableBy, warnings } = reading;
  const partlyRead = new Set(warnings.map((warning) => warning.text)).size;
  return (
    <div className="reading-note" role="note">
      {unreadable.length > 0 && (
        <p>
          <strong>
            {model} cannot read {unreadable.length === 1 ? "1 item" : `${unreadable.length} items`}:
          </strong>{" "}
          {listed(unreadable)}. Every piece of {unreadable.length === 1 ? "it" : "them"} is unknown to the model, so{" "}
          {unreadable.length === 1 ? "its vector would mean nothing" : "they would all get the same vector"}; {unreadable.length === 1 ? "it is" : "they are"}{" "}
          left out here.
          {onSwitchModel &&
            readableBy.map((id) => (
              <button key={id} type="button" className="small" onClick={() => onSwitchModel(id)}>
                Use {id}
              </button>
            ))}
        </p>
      )}
      {warnings.length > 0 && (
        <p>
          <strong>
            {model} read {partlyRead === 1 ? "1 item" : `${partlyRead} items`} only in part:
          </strong>{" "}
          {warnings.slice(0, shown).map((warning, i) => (
            <span key={`${warning.code} ${warning.text}`}>
              {i > 0 && "; "}
              {quote(warning.text)}{" "}
              {warning.code === "unknown_pieces"
                ? `without ${warning.unknown.map(quote).join(", ")}`
                : `only its first ~${warning.readCharacters} characters (${warning.maxTokens} of its ${warning.tokens} tokens)`}
            </span>
          ))}
          {warnings.length > shown && `; and ${warnings.length - shown} more`}.
        </p>
      )}
    </div>
  );
}

function listed(texts: string[]): string {
  const head = texts.slice(0, shown).map(quote).join(", ");
  return texts.length > shown ? `${head} and ${texts.length - shown} more` : head;
}

function quote(text: string): string {
  return `“${text.length > 40 ? `${text.slice(0, 37)}…` : text}”`;
}
