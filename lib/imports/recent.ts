// Recently finished public results, for the home page.
import { db } from "@/lib/server/db";
import { listUnlistedNameKeys } from "@/lib/account/choices";

export type RecentResult = { username: string; year: number; scrobbles: number; finishedAt: Date };

export async function listRecentResults(limit = 6): Promise<RecentResult[]> {
  // Listeners who chose to be hidden (or opted out) are never listed.
  const unlisted = await listUnlistedNameKeys();
  const jobs = await db().fetchJob.findMany({
    where: {
      status: { in: ["complete", "partial"] },
      scrobblesFetched: { gt: 0 },
      ...(unlisted.length > 0 && { user: { nameKey: { notIn: unlisted } } }),
    },
    orderBy: { updatedAt: "desc" },
    take: limit,
    include: { user: { select: { name: true } } },
  });
  return jobs.map((job) => ({
    username: job.user.name,
    year: job.year,
    scrobbles: job.scrobblesFetched,
    finishedAt: job.updatedAt,
  }));
}
