// A finished year: complete, and final (its window covers every zone's year and was read after late
// scrobbles stopped arriving), of a user we know as active. Its data changes only through a re-import or a
// late match (both bump its version), so its page can be served from a cache.
import type { FetchJob } from "@/generated/prisma/client";
import { db } from "@/lib/server/db";
import { isYearFinal } from "./year-window";

export function isYearFinished(job: FetchJob | null): job is FetchJob {
  return job?.status === "complete" && isYearFinal(job);
}

/**
 * The user id of a finished (nameKey, year), or null when that year can still change on its own or its
 * listener opted out (their pages are never cached; opting out bumps every version of theirs).
 */
export async function findFinishedYear(nameKey: string, year: number): Promise<number | null> {
  const [job, choice] = await Promise.all([
    db().fetchJob.findFirst({ where: { year, status: "complete", user: { nameKey, state: "active" } } }),
    db().listenerChoice.findUnique({ where: { nameKey } }),
  ]);
  return isYearFinished(job) && !choice?.isOptedOut ? job.userId : null;
}
