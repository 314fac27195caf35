import { interpolateRgb, scaleLinear } from "d3";

/** Cosine matrix as a heatmap table (readable without colour: every cell shows its value) plus the closest pairs. */
export function SimilarityMatrix({ texts, matrix, model }: { texts: string[]; matrix: number[][]; model: string }) {
  // Stretch the colours over the off-diagonal range: real models rarely go below 0.2, and a 0..1
  // scale would paint every pair the same pale blue.
  const offDiagonal = matrix.flatMap((row, i) => row.filter((_, j) => j !== i));
  const low = offDiagonal.length > 0 ? Math.min(...offDiagonal) : 0;
  const color = scaleLinear<string>()
    .domain([low, 1])
    .range(["rgba(116,143,252,0.06)", "rgba(59,91,219,0.95)"])
    .interpolate(interpolateRgb)
    .clamp(true);
  const strong = (value: number) => (value - low) / (1 - low || 1) > 0.55;
  const pairs = texts
    .flatMap((a, i) => texts.slice(i + 1).map((b, offset) => ({ a, b, score: matrix[i][i + 1 + offset] })))
    .sort((x, y) => y.score - x.score)
    .slice(0, 5);

  return (
    <div>
      <h2>Cosine similarity · {model}</h2>
      <div className="matrix-scroll">
        <table className="matrix">
          <thead>
            <tr>
              <th scope="col" />
              {texts.map((text, j) => (
                <th key={j} scope="col" title={text}>
                  <span>{text}</span>
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {texts.map((text, i) => (
              <tr key={i}>
                <th scope="row" title={text}>
                  {text}
                </th>
                {matrix[i].map((value, j) => (
                  <td key={j} style={{ background: color(value), color: strong(value) ? "#fff" : undefined }} title={`${text} · ${texts[j]}: ${value.toFixed(3)}`}>
                    {value.toFixed(2)}
                  </td>
                ))}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {pairs.length > 0 && (
        <>
          <h2 className="pairs-title">Most similar pairs</h2>
          <ol className="pairs">
            {pairs.map((pair) => (
              <li key={`${pair.a}\u0000${pair.b}`}>
                <span>
                  {pair.a} ↔ {pair.b}
                </span>
                <span className="score">{pair.score.toFixed(3)}</span>
              </li>
            ))}
          </ol>
        </>
      )}
      <style>{`
        .matrix-scroll { overflow-x: auto; }
        .matrix { border-collapse: separate; border-spacing: 2px; font-size: 13px; font-variant-numeric: tabular-nums; }
        .matrix td { width: 52px; height: 36px; text-align: center; border-radius: 4px; }
        .matrix th { font-weight: 500; color: var(--muted); max-width: 140px; overflow: hidden; text-overflow: ellipsis; white-space: nowrap; }
        .matrix thead th { vertical-align: bottom; height: 90px; }
        .matrix thead th span { display: inline-block; transform: rotate(-45deg); transform-origin: left bottom; translate: 50% -6px; max-width: 110px; overflow: hidden; text-overflow: ellipsis; }
        .matrix tbody th { text-align: right; padding-right: 8px; }
        .pairs-title { margin-top: 24px; }
        .pairs { margin: 0; padding-left: 20px; }
        .pairs li { display: flex; justify-content: space-between; max-width: 360px; padding: 3px 0; }
        .pairs .score { font-variant-numeric: tabular-nums; color: var(--muted); }
      `}</style>
    </div>
  );
}
