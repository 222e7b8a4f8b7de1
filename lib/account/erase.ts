// "Delete everything stored about me": the listener's plays, imports, checkpoints, snapshots and cached
// profile (the lastfm_users row and all that cascades from it), and their waiting jobs.
import { db } from "@/lib/server/db";
import { AppError } from "@/lib/server/http";
import { jobId, QUEUE, queue } from "@/lib/jobs";
import { listFetchJobs } from "@/lib/imports/store";
import { bumpListenerVersions } from "@/lib/imports/year-version";
import { findUser, nameKey } from "@/lib/lastfm/users";

export type Erased = { years: number; scrobbles: number };

async function removeQueuedJobs(username: string, years: number[]): Promise<void> {
  for (const name of [QUEUE.fetchScrobbles, QUEUE.enrichAlbums] as const) {
    for (const year of years) {
      const job = await queue(name).getJob(jobId(name, { username: nameKey(username), year }));
      await job?.remove().catch(() => undefined);
    }
  }
}

/** Refuses (409) while one of the listener's years is being fetched or dated: that job would write again. */
export async function eraseListener(username: string): Promise<Erased> {
  const user = await findUser(username);
  if (!user) return { years: 0, scrobbles: 0 };
  const jobs = await listFetchJobs(user.id);
  const running = jobs.find((job) => job.status === "fetching" || job.status === "enriching");
  if (running) {
    throw new AppError(
      "conflict",
      `Your ${running.year} is being imported right now; delete again in a minute, or opt out first to stop new imports.`,
    );
  }
  await removeQueuedJobs(
    user.name,
    jobs.map((job) => job.year),
  );
  const scrobbles = await db().scrobble.count({ where: { userId: user.id } });
  await db().lastfmUser.delete({ where: { id: user.id } });
  await bumpListenerVersions(jobs);
  return { years: jobs.length, scrobbles };
}
