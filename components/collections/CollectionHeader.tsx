import Link from "next/link";
import type { CollectionInfo } from "./collectionsApi";

const number = (value: number) => value.toLocaleString("en");

/** Name, model, visibility, counts and chunking of a collection. */
export function CollectionHeader({ info }: { info: CollectionInfo }) {
  return (
    <header className="collection-header">
      <p className="breadcrumb">
        <Link href="/collections">← Collections</Link>
      </p>
      <div className="collection-title">
        <h1>{info.name}</h1>
        <span className="model-badge" title="Embedding model">
          {info.model}
        </span>
        <span className={`visibility ${info.public ? "public" : "private"}`}>{info.public ? "Public" : "Private"}</span>
      </div>
      <dl className="collection-facts">
        <div>
          <dt>Documents</dt>
          <dd data-testid="document-count">{number(info.documents)}</dd>
        </div>
        <div>
          <dt>Chunks</dt>
          <dd data-testid="chunk-count">{number(info.chunks)}</dd>
        </div>
        <div>
          <dt>Chunking</dt>
          {/* An own-vectors collection only imports rows, each one chunk, never cut. */}
          <dd>{info.model.startsWith("own:") ? "one chunk per row" : `${number(info.chunking.size)} chars, ${number(info.chunking.overlap)} overlap`}</dd>
        </div>
        <div>
          <dt>Id</dt>
          <dd className="mono">{info.id}</dd>
        </div>
        <div>
          <dt>Created</dt>
          <dd>{new Date(info.createdAt).toLocaleDateString()}</dd>
        </div>
      </dl>
    </header>
  );
}
