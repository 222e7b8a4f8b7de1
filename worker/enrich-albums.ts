// enrich-albums: dates a user's year per distinct album, not per scrobble. The shared cache answers what
// any import already looked up; the rest goes to MusicBrainz in batches; the scrobbles are updated in bulk.
import { type Job, UnrecoverableError } from "bullmq";
import {
  applyCachedYears,
  countAlbumProgress,
  listPendingAlbumMbids,
  listUncachedMbids,
  markUndatableByMbid,
  saveLookups,
  type YearScope,
} from "@/lib/musicbrainz/album-cache";
import { chunk } from "@/lib/server/concurrency";
import { saveDistributionSnapshot } from "@/lib/imports/distribution";
import { getFetchJob, updateFetchJob } from "@/lib/imports/store";
import { EnrichAlbumsSchema } from "@/lib/jobs";
import { log } from "@/lib/server/log";
import { nameMatcher } from "@/lib/musicbrainz/matching/matcher";
import { matchNamesForYear, type NameMatchingProgress } from "@/lib/musicbrainz/matching/names";
import { MIRROR_BATCH_SIZE, MusicbrainzUnavailableError, musicbrainz } from "@/lib/musicbrainz/sources";
import { findUser } from "@/lib/lastfm/users";
import { dateSongsForYear } from "@/lib/musicbrainz/recordings/songs";
import { recordingSource } from "@/lib/musicbrainz/recordings/source";

export async function enrichAlbums(bullJob: Job): Promise<void> {
  const { username, year } = EnrichAlbumsSchema.parse(bullJob.data);
  const user = await findUser(username);
  let job = user && (await getFetchJob(user.id, year));
  if (!user || !job) throw new UnrecoverableError(`no import of ${username} ${year} to enrich`);
  // Only a fetched year is dated; a repeated job for a finished year does nothing.
  if (job.status !== "enriching" && job.status !== "partial") return;
  if (job.status === "partial" && job.errorCode !== "musicbrainz_unavailable") return;

  const scope: YearScope = { userId: user.id, from: job.windowFrom, to: job.windowTo };
  const context = { username, year, jobId: bullJob.id };
  if (job.status === "partial")
    job = await updateFetchJob(job, user.name, { status: "enriching", error: null, errorCode: null });

  const pending = await listPendingAlbumMbids(scope);
  const uncached = await listUncachedMbids(pending);
  let progress = await countAlbumProgress(scope);
  job = await updateFetchJob(job, user.name, { albumsTotal: progress.total, albumsDated: progress.dated });

  let names: NameMatchingProgress;
  try {
    // Cached years are applied first, and after every batch, so the chart fills in as albums are dated.
    await applyCachedYears(scope);
    for (const batch of chunk(uncached, MIRROR_BATCH_SIZE)) {
      await saveLookups(await musicbrainz().lookupAlbums(batch));
      await applyCachedYears(scope);
      progress = await countAlbumProgress(scope);
      job = await updateFetchJob(job, user.name, { albumsDated: progress.dated, albumsTotal: progress.total });
    }
    await applyCachedYears(scope);
    await markUndatableByMbid(scope);
    // Then the scrobbles that name their album but carry no MBID.
    // Albums known only by name count in the progress like the others: looked up of all.
    const byMbid = progress;
    let current = job;
    names = await matchNamesForYear(scope, nameMatcher(), {
      onProgress: async (step) => {
        current = await updateFetchJob(current, user.name, {
          albumsTotal: byMbid.total + step.pairs,
          albumsDated: byMbid.dated + step.answered,
        });
        log.debug({ ...context, ...step }, "matching by name");
      },
    });
    job = current;
    // Then every play by its song: compilations and album-less plays count by when their music came out.
    const songs = await dateSongsForYear(scope, recordingSource());
    log.debug({ ...context, ...songs }, "dating by song");
  } catch (error) {
    if (!(error instanceof MusicbrainzUnavailableError)) throw error;
    // What the cache already knows is applied now: the year shows its coverage while the source is down.
    await applyCachedYears(scope);
    await updateFetchJob(job, user.name, {
      status: "partial",
      errorCode: "musicbrainz_unavailable",
      error: error.message,
    });
    log.warn({ ...context, status: "partial", err: error.message }, "enrichment partial: MusicBrainz unavailable");
    throw error; // BullMQ retries with backoff; the retry looks up only what is still missing
  }

  await saveDistributionSnapshot(job);
  await updateFetchJob(job, user.name, { status: "complete", finishedAt: new Date(), error: null, errorCode: null });
  log.info(
    {
      ...context,
      status: "complete",
      albums: progress.total,
      namePairs: names.pairs,
      scrobblesMatchedByName: names.scrobblesDated,
      source: musicbrainz().kind,
    },
    "import complete",
  );
}
