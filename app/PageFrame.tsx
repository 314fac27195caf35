import Link from "next/link";
import type { ReactNode } from "react";

/** Site chrome shared by every page: the name, a way home and to a new notebook. */
export function PageFrame({ children }: { children: ReactNode }) {
  return (
    <>
      <nav className="site-nav" aria-label="Site">
        <Link href="/" className="site-name">
          Embeddings notebook
        </Link>
        <Link href="/models">Models</Link>
        <Link href="/docs">API</Link>
        <Link href="/collections">Collections</Link>
        <Link href="/new">New exploration</Link>
      </nav>
      <main>{children}</main>
    </>
  );
}
