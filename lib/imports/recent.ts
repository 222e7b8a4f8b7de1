// Recently finished public results, for the home page.
import { db } from "@/lib/server/db";

export type RecentResult = { username: string; year: number; scrobbles: number; finishedAt: Date };

export async function listRecentResults(limit = 6): Promise<RecentResult[]> {
  const jobs = await db().fetchJob.findMany({
    where: { status: { in: ["complete", "partial"] }, scrobblesFetched: { gt: 0 } },
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
