import { notFound } from "next/navigation";
import { isAppError } from "@/lib/api/errors";
import { getDatabase } from "@/lib/db/client";
import type { Exploration } from "@/lib/explorations/schemas";
import { readExploration } from "@/lib/explorations/service";

/** The exploration for a share or edit page, or Next.js's 404 page for a slug that doesn't exist. */
export async function loadExploration(slug: string): Promise<Exploration> {
  try {
    return await readExploration(await getDatabase(), { slug });
  } catch (error) {
    if (isAppError(error) && error.status === 404) notFound();
    throw error;
  }
}
