"use client";

import Link from "next/link";
import { databaseUnavailableDigest } from "@/lib/pages/database-unavailable";

/**
 * What a page shows when rendering it failed, e.g. while the database is unreachable: a plain
 * message and a way to try again, never the error's details.
 */
export default function PageError({ error, reset }: { error: Error & { digest?: string }; reset: () => void }) {
  if (error.digest === unopenableDatabaseDigest) return <UnopenableDatabase />;
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

/** `unopenableDatabaseDigest` of lib/db/connection.ts, which a client component cannot import. */
const unopenableDatabaseDigest = "unavailable:database-files";

/** The embedded database's files are damaged: trying again will not help until someone restores them. */
function UnopenableDatabase() {
  return (
    <main>
      <h1>The notebook&apos;s database cannot be opened</h1>
      <p className="lede">
        Its files on the server are damaged or incomplete, so nothing saved can be shown or stored until whoever runs this
        server restores them. Trying again will not help before then; the server&apos;s log and its readiness check
        (/api/ready) say how to recover.
      </p>
      <p>
        <Link href="/">Home</Link>
      </p>
    </main>
  );
}
