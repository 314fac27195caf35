import type { ReactNode } from "react";

/** The chrome around a cell: its kind, its controls (move, remove) and its content. */
export function CellFrame({
  kind,
  title,
  readOnly,
  onMove,
  onRemove,
  actions,
  children,
}: {
  kind: string;
  title?: string;
  readOnly: boolean;
  onMove: (offset: -1 | 1) => void;
  onRemove: () => void;
  actions?: ReactNode;
  children: ReactNode;
}) {
  return (
    <section className="cell" aria-label={title ? `${kind}: ${title}` : kind}>
      <header className="cell-header">
        <span className="cell-kind">{kind}</span>
        {title && <span className="cell-title">{title}</span>}
        <span className="cell-actions">
          {actions}
          {!readOnly && (
            <>
              <button type="button" className="icon" onClick={() => onMove(-1)} aria-label={`Move ${kind} cell up`} title="Move up">
                ↑
              </button>
              <button type="button" className="icon" onClick={() => onMove(1)} aria-label={`Move ${kind} cell down`} title="Move down">
                ↓
              </button>
              <button type="button" className="icon" onClick={onRemove} aria-label={`Remove ${kind} cell`} title="Remove">
                ×
              </button>
            </>
          )}
        </span>
      </header>
      <div className="cell-body">{children}</div>
    </section>
  );
}
