// match-names (nightly): MusicBrainz grows, so the pairs matching by name could not date are asked again
// once their retry time has come (1, 2, 4 … 30 days per pair). Each finished year that still has such
// scrobbles is matched again from the shared cache; a year that gained dates gets a fresh snapshot.
import type { Job } from "bullmq";
import { db } from "@/lib/server/db";
import { saveDistributionSnapshot } from "@/lib/imports/distribution";
import { log } from "@/lib/server/log";
import { nameMatcher } from "@/lib/musicbrainz/matching/matcher";
import { matchNamesForYear, NAMES_ONLY } from "@/lib/musicbrainz/matching/names";

export async function matchNamesNightly(bullJob: Job): Promise<{ years: number; scrobblesDated: number }> {
  const candidates = await db().$queryRaw<{ id: number }[]>`
    SELECT j.id FROM fetch_jobs j
     WHERE j.status = 'complete' AND EXISTS (
       SELECT 1 FROM scrobbles s
        WHERE s.user_id = j.user_id AND s.scrobbled_at >= j.window_from AND s.scrobbled_at < j.window_to
          AND s.album <> '' AND s.augmentation_status = 'not_found' AND ${NAMES_ONLY})
     ORDER BY j.id`;
  let scrobblesDated = 0;
  for (const [index, { id }] of candidates.entries()) {
    const job = await db().fetchJob.findUnique({ where: { id } });
    // A re-import may have replaced it meanwhile; it matches its own names when it completes.
    if (job?.status !== "complete") continue;
    const result = await matchNamesForYear(
      { userId: job.userId, from: job.windowFrom, to: job.windowTo },
      nameMatcher(),
    );
    if (result.scrobblesDated > 0) await saveDistributionSnapshot(job);
    scrobblesDated += result.scrobblesDated;
    await bullJob.updateProgress({ years: candidates.length, done: index + 1 });
  }
  log.info({ jobId: bullJob.id, years: candidates.length, scrobblesDated }, "nightly name matching done");
  return { years: candidates.length, scrobblesDated };
}
