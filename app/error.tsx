"use client";

import Link from "next/link";
import { databaseUnavailableDigest } from "@/lib/pages/database-unavailable";

/**
 * What a page shows when rendering it failed, e.g. while the database is unreachable: a plain
 * message and a way to try again, never the error's details.
 */
export default function PageError({ error, reset }: { error: Error & { digest?: string }; reset: () => void }) {
  return (
    <main>
      <h1>{error.digest === databaseUnavailableDigest ? "The database is unavailable right now" : "This page could not be shown right now"}</h1>
      <p className="lede">
        The server could not finish it, most often because its database is briefly unavailable. Your saved explorations are
        safe; try again in a few seconds.
      </p>
      <p>
        <button type="button" onClick={reset}>
          Try again
        </button>{" "}
        <Link href="/">Home</Link>
      </p>
    </main>
  );
}
