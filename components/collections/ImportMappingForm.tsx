"use client";

import { useId, useState, type FormEvent } from "react";
import type { FilePreview } from "@/lib/imports/browser-preview";
import type { ColumnInfo } from "@/lib/imports/types";
import type { ImportMappingInput } from "./collectionsApi";
import { defaultMapping, mappingProblems, metadataTypeOf, metadataTypes, previewCell, toMappingInput, type MappingChoice, type MetadataType } from "./importMapping";

const number = (value: number) => value.toLocaleString("en");

function kindLabel(column: ColumnInfo): string {
  return column.kind === "vector" && column.dims !== undefined ? `vector · ${column.dims}` : column.kind;
}

/** The file's first rows, then which column becomes what: text, id, vector, map position, metadata with types. */
export function ImportMappingForm({
  preview,
  fileName,
  ownVectors,
  maxMetadataKeys,
  disabled,
  onImport,
  onOtherFile,
}: {
  preview: FilePreview;
  fileName: string;
  ownVectors: boolean;
  maxMetadataKeys: number;
  disabled: boolean;
  onImport: (mapping: ImportMappingInput) => void;
  onOtherFile: () => void;
}) {
  const [choice, setChoice] = useState<MappingChoice>(() => defaultMapping(preview.columns, preview.rows, { maxMetadataKeys }));
  const problems = mappingProblems(choice, { ownVectors, maxMetadataKeys, columns: preview.columns, rowsRead: preview.rowsRead });
  const problemsId = useId();
  const { columns } = preview;
  const numbers = columns.filter((column) => column.kind === "number" || column.kind === "empty");
  const vectors = columns.filter((column) => column.kind === "vector" || column.kind === "empty");
  const roleTaken = new Set([choice.text, choice.id, choice.vector, choice.x, choice.y].filter(Boolean));

  function submit(event: FormEvent) {
    event.preventDefault();
    if (problems.length === 0) onImport(toMappingInput(choice));
  }

  function setRole(role: "text" | "id" | "vector" | "x" | "y", column: string) {
    setChoice((previous) => {
      const metadata = { ...previous.metadata };
      delete metadata[column]; // a column that takes a role is not kept twice
      return { ...previous, [role]: column, metadata };
    });
  }

  function setMetadata(column: string, type: MetadataType | null) {
    setChoice((previous) => {
      const metadata = { ...previous.metadata };
      if (type === null) delete metadata[column];
      else metadata[column] = type;
      return { ...previous, metadata };
    });
  }

  const roleSelect = (role: "text" | "id" | "vector" | "x" | "y", label: string, options: ColumnInfo[], hint: string) => (
    <div className="field">
      <label htmlFor={`import-${role}`}>{label}</label>
      <select id={`import-${role}`} value={choice[role]} disabled={disabled} onChange={(event) => setRole(role, event.target.value)}>
        <option value="">(none)</option>
        {options.map((column) => (
          <option key={column.name} value={column.name}>
            {column.name} ({kindLabel(column)})
          </option>
        ))}
      </select>
      <p className="hint">{hint}</p>
    </div>
  );

  return (
    <form className="import-mapping" onSubmit={submit} aria-label="Import mapping">
      <div className="import-preview-scroll">
        <table className="import-preview" aria-label={`First rows of ${fileName}`}>
          <caption>
            {preview.rows.length === 0
              ? "No rows shown"
              : `The first ${number(preview.rows.length)} rows${preview.totalRows !== undefined ? ` of ${number(preview.totalRows)}` : ""}`}{" "}
            of {fileName} ({preview.format.toUpperCase()}
            {preview.totalRows === undefined ? `; the kinds are read from the first ${number(preview.rowsRead)} rows` : ""})
          </caption>
          <thead>
            <tr>
              <th scope="col" className="row-number">
                row
              </th>
              {columns.map((column) => (
                <th scope="col" key={column.name}>
                  <span className="column-name">{column.name}</span>
                  <span className={`tag column-kind kind-${column.kind}`}>{kindLabel(column)}</span>
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {preview.rows.map((row) => (
              <tr key={row.row}>
                <td className="row-number">{row.row}</td>
                {columns.map((column) => (
                  <td key={column.name} className={`kind-${column.kind}`}>
                    {previewCell(row.values[column.name])}
                  </td>
                ))}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {preview.note && (
        <p className="hint" role="note">
          {preview.note}
        </p>
      )}

      <div className="form-grid import-roles">
        {roleSelect("text", "Text column", columns, ownVectors ? "Kept with each row and searched by keyword." : "Embedded and searched; pre-selected: the column with the longest texts.")}
        {roleSelect("id", "Id column", columns, "Optional: each row's own id, kept as metadata id.")}
        {roleSelect("vector", ownVectors ? "Vector column (required)" : "Vector column", vectors, ownVectors ? "Each row's own vector: one dimension for all rows, finite, not all zeros." : "Optional: the row's own vector instead of embedding its text.")}
        <div className="field import-position">
          <span className="field-title">Map position</span>
          <div className="inline-row">
            {(["x", "y"] as const).map((role) => (
              <label key={role} className="inline" htmlFor={`import-${role}`}>
                {role}
                <select id={`import-${role}`} value={choice[role]} disabled={disabled} onChange={(event) => setRole(role, event.target.value)}>
                  <option value="">(none)</option>
                  {numbers.map((column) => (
                    <option key={column.name} value={column.name}>
                      {column.name}
                    </option>
                  ))}
                </select>
              </label>
            ))}
          </div>
          <p className="hint">Optional: columns with each row&apos;s own place on the map.</p>
        </div>
      </div>

      <fieldset className="import-metadata" disabled={disabled}>
        <legend>
          Metadata kept with each row ({Object.keys(choice.metadata).length} of at most {maxMetadataKeys})
        </legend>
        <ul>
          {columns
            .filter((column) => !roleTaken.has(column.name))
            .map((column) => {
              const type = choice.metadata[column.name];
              const suggested = metadataTypeOf(column.kind);
              return (
                <li key={column.name}>
                  <label className="checkbox">
                    <input type="checkbox" checked={type !== undefined} disabled={!suggested} onChange={(event) => setMetadata(column.name, event.target.checked ? suggested! : null)} />
                    {column.name}
                  </label>
                  {type !== undefined ? (
                    <select aria-label={`Type of ${column.name}`} value={type} onChange={(event) => setMetadata(column.name, event.target.value as MetadataType)}>
                      {metadataTypes.map((each) => (
                        <option key={each} value={each}>
                          {each}
                        </option>
                      ))}
                    </select>
                  ) : (
                    !suggested && <span className="hint">{column.kind} values are not kept as metadata</span>
                  )}
                </li>
              );
            })}
        </ul>
      </fieldset>

      {problems.length > 0 && (
        <ul className="status error import-problems" id={problemsId}>
          {problems.map((problem) => (
            <li key={problem}>{problem}</li>
          ))}
        </ul>
      )}
      <div className="form-actions">
        <button type="submit" disabled={disabled || problems.length > 0} aria-describedby={problems.length > 0 ? problemsId : undefined}>
          Import {preview.totalRows !== undefined ? `${number(preview.totalRows)} rows` : "the file"}
        </button>
        <button type="button" className="secondary" disabled={disabled} onClick={onOtherFile}>
          Choose another file
        </button>
      </div>
    </form>
  );
}
