import Link from "next/link";
import { RecentExplorations } from "@/components/notebook/RecentExplorations";
import { examples } from "@/lib/explorations/examples";
import { PageFrame } from "./PageFrame";

export default function HomePage() {
  return (
    <PageFrame>
      <section className="hero">
        <h1>See what a model means by a word</h1>
        <p className="lede">
          A language model turns text into vectors: lists of numbers where related meanings point in similar
          directions. Type words or sentences, and this notebook embeds them with a real model, stores the vectors
          in PostgreSQL with pgvector, and draws the space: <em>cat</em> lands near <em>dog</em>, <em>car</em> near{" "}
          <em>truck</em>.
        </p>
        <Link href="/new" className="button primary">
          New exploration
        </Link>
      </section>

      <section aria-labelledby="examples-title">
        <h2 id="examples-title">Start from an example</h2>
        <ul className="cards">
          {examples.map((example) => (
            <li key={example.id}>
              <Link href={`/new?example=${example.id}`} className="card">
                <span className="card-title">{example.title}</span>
                <span className="card-text">{example.description}</span>
                <span className="card-meta">{example.model}</span>
              </Link>
            </li>
          ))}
        </ul>
      </section>

      <RecentExplorations />
    </PageFrame>
  );
}
