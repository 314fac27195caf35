import { notFound } from "next/navigation";
import { isAppError } from "@/lib/api/errors";
import { isDatabaseUnavailable } from "@/lib/db/unavailable";
import { getDatabase } from "@/lib/db/client";
import type { Exploration } from "@/lib/explorations/schemas";
import { readExploration } from "@/lib/explorations/service";
import { databaseUnavailableDigest } from "@/lib/pages/database-unavailable";

/**
 * The exploration for a share or edit page, or Next.js's 404 page for a slug that doesn't exist.
 * A database that is unreachable (proxy.ts answers 503 before the page when it already knows)
 * becomes an error with the digest app/error.tsx recognises, so the page says to try again.
 */
export async function loadExploration(slug: string): Promise<Exploration> {
  try {
    return await readExploration(await getDatabase(), { slug });
  } catch (error) {
    if (isAppError(error) && error.status === 404) notFound();
    // An error with a digest of its own (the embedded database's damaged files) keeps it.
    if (isDatabaseUnavailable(error) && !(error as { digest?: unknown }).digest) {
      console.error("[pages] database unavailable while loading a share page:", error);
      throw Object.assign(new Error("The database is unavailable; try again shortly."), { digest: databaseUnavailableDigest });
    }
    throw error;
  }
}
