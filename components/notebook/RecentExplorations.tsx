"use client";

import Link from "next/link";
import { useEffect, useState } from "react";
import { readRecentExplorations, type RecentExploration } from "./recent";

/** Explorations saved from this browser (localStorage), newest first. */
export function RecentExplorations() {
  const [recent, setRecent] = useState<RecentExploration[]>([]);
  useEffect(() => setRecent(readRecentExplorations()), []);
  if (recent.length === 0) return null;
  return (
    <section aria-labelledby="recent-title">
      <h2 id="recent-title">Your explorations</h2>
      <ul className="recent">
        {recent.map((entry) => (
          <li key={entry.slug}>
            <Link href={entry.editKey ? `/s/${entry.slug}/edit#key=${encodeURIComponent(entry.editKey)}` : `/s/${entry.slug}`}>{entry.title}</Link>
            <span className="hint"> · {new Date(entry.savedAt).toLocaleDateString()}</span>
          </li>
        ))}
      </ul>
    </section>
  );
}
