// Imports of a user's year: the fetch_jobs row, page checkpoints and the scrobbles they store.
import { type FetchJob, Prisma } from "@/generated/prisma/client";
import { db } from "@/lib/server/db";
import type { LastfmScrobble } from "@/lib/lastfm/client";
import { cleanScrobble } from "./clean-scrobble";
import type { PageRequest } from "./page-plan";
import { publishProgress } from "./progress";
import { publicError } from "./public-errors";
import { pinnedYearWindow, toUnixSeconds, type YearWindow } from "./year-window";
import { bumpYearVersion } from "./year-version";

type FetchJobRow = { pages_fetched: number; scrobbles_fetched: number; updated_at: Date };

/** The job row for (user, year), created as `queued` with its window pinned now. Safe under concurrent calls. */
export async function getOrCreateFetchJob(
  { userId, year }: { userId: number; year: number },
  now = new Date(),
): Promise<FetchJob> {
  const window = pinnedYearWindow(year, now);
  // One INSERT … ON CONFLICT: Prisma's upsert on a compound key is a read then a write, which races.
  await db().$executeRaw`
    INSERT INTO fetch_jobs (user_id, year, window_from, window_to, synced_at)
    VALUES (${userId}, ${year}, ${window.from}, ${window.to}, ${now})
    ON CONFLICT (user_id, year) DO NOTHING`;
  return db().fetchJob.findUniqueOrThrow({ where: { userId_year: { userId, year } } });
}

export async function getFetchJob(userId: number, year: number): Promise<FetchJob | null> {
  return db().fetchJob.findUnique({ where: { userId_year: { userId, year } } });
}

/** The year's row while Last.fm still has to be read for it (queued, fetching or partial), else null. */
export async function findUnfinishedJob(userId: number, year: number): Promise<FetchJob | null> {
  return db().fetchJob.findFirst({ where: { userId, year, status: { in: ["queued", "fetching", "partial"] } } });
}

export async function listFetchJobs(userId: number): Promise<FetchJob[]> {
  return db().fetchJob.findMany({ where: { userId }, orderBy: { year: "desc" } });
}

/** The job's checkpoints: each page with its size. */
export async function listFetchedPages(jobId: number): Promise<PageRequest[]> {
  return db().fetchJobPage.findMany({ where: { jobId }, select: { page: true, pageSize: true } });
}

/** A page read again in smaller ones adds that many pages to the plan (atomic: pages fall back concurrently). */
export async function addPlannedPages(job: FetchJob, count: number): Promise<void> {
  if (count === 0) return;
  await db().$executeRaw`UPDATE fetch_jobs SET total_pages = coalesce(total_pages, 0) + ${count} WHERE id = ${job.id}`;
}

/** Saves the status (and counts) first, then tells listeners: a missed message is repaired by the next snapshot. */
export async function updateFetchJob(
  job: FetchJob,
  username: string,
  data: Partial<
    Pick<
      FetchJob,
      | "status"
      | "totalPages"
      | "pageSize"
      | "expectedTotal"
      | "error"
      | "errorCode"
      | "albumsDated"
      | "albumsTotal"
      | "startedAt"
      | "finishedAt"
      | "attempts"
    >
  >,
): Promise<FetchJob> {
  const updated = await db().fetchJob.update({ where: { id: job.id }, data });
  const isNewStatus = data.status !== undefined && data.status !== job.status;
  if (isNewStatus) await bumpYearVersion(job.userId, job.year);
  await announce(updated, username, isNewStatus ? "status" : "progress");
  return updated;
}

export async function announce(
  job: FetchJob,
  username: string,
  type: "status" | "progress" | "preview",
): Promise<void> {
  await publishProgress(username, job.year, {
    type,
    status: job.status,
    pagesFetched: job.pagesFetched,
    totalPages: job.totalPages,
    scrobblesFetched: job.scrobblesFetched,
    albumsDated: job.albumsDated,
    albumsTotal: job.albumsTotal,
    error: job.errorCode ? publicError(job.errorCode).message : null,
  });
}

/**
 * Stores one page in ONE statement: the scrobbles (INSERT … ON CONFLICT DO NOTHING, the page passed
 * as one JSON document rather than seven parallel arrays), the page's
 * checkpoint and the job's counters, incremented by what was really inserted (the row lock on the job
 * orders concurrent pages; a recount would miss a concurrent page's uncommitted rows). A page stored
 * twice, or a crash between fetch and checkpoint, never creates duplicates. Plays outside the pinned
 * window (1970 dates, late arrivals) are ignored. `page` null stores without a checkpoint (a refresh of
 * the current year's tail, a slice read again after verification).
 */
export async function storePage(
  job: FetchJob,
  page: PageRequest | null,
  scrobbles: LastfmScrobble[],
): Promise<FetchJob> {
  const from = toUnixSeconds(job.windowFrom);
  const to = toUnixSeconds(job.windowTo);
  const inWindow = scrobbles.filter((s) => s.uts >= from && s.uts < to && s.uts > 0).map(cleanScrobble);
  let updated: FetchJobRow;
  try {
    updated = await storePageStatement(job, page, inWindow, false);
  } catch (error) {
    // A row that is already stored (a page fetched twice, two workers on one page) aborts the plain
    // insert as a whole; the same statement with ON CONFLICT DO NOTHING then stores the rest.
    if (!isUniqueViolation(error)) throw error;
    updated = await storePageStatement(job, page, inWindow, true);
  }
  // One round trip per page: the counters come back with the statement.
  return {
    ...job,
    pagesFetched: updated.pages_fetched,
    scrobblesFetched: updated.scrobbles_fetched,
    updatedAt: updated.updated_at,
  };
}

// The plain insert is the common case: Postgres checks the unique key as it inserts anyway, while
// ON CONFLICT costs a speculative insertion per row (storage bench: median 0.46 → 0.47–0.53 of COPY).
async function storePageStatement(
  job: FetchJob,
  page: PageRequest | null,
  rows: LastfmScrobble[],
  skipStored: boolean,
): Promise<FetchJobRow> {
  const onConflict = skipStored
    ? Prisma.sql`ON CONFLICT (user_id, scrobbled_at, track, artist) DO NOTHING`
    : Prisma.empty;
  const [updated] = await db().$queryRaw<FetchJobRow[]>`
    WITH inserted AS (
      INSERT INTO scrobbles (user_id, scrobbled_at, track, artist, album, track_mbid, album_mbid, artist_mbid)
      SELECT ${job.userId}, to_timestamp(t.uts), t.track, t.artist, t.album, t."trackMbid", t."albumMbid", t."artistMbid"
        FROM jsonb_to_recordset(${JSON.stringify(rows)}::jsonb)
             AS t(uts bigint, track text, artist text, album text, "trackMbid" uuid, "albumMbid" uuid, "artistMbid" uuid)
      ${onConflict}
      RETURNING 1),
    checkpoint AS (
      INSERT INTO fetch_job_pages (job_id, page_size, page, scrobbles)
      SELECT ${job.id}, ${page?.pageSize ?? null}::int, ${page?.page ?? null}::int, ${rows.length}
       WHERE ${page?.page ?? null}::int IS NOT NULL
      ON CONFLICT (job_id, page_size, page) DO NOTHING
      RETURNING 1)
    UPDATE fetch_jobs SET
      pages_fetched = pages_fetched + (SELECT count(*) FROM checkpoint),
      scrobbles_fetched = scrobbles_fetched + (SELECT count(*) FROM inserted),
      updated_at = now()
    WHERE id = ${job.id}
    RETURNING pages_fetched, scrobbles_fetched, updated_at`;
  return updated;
}

function isUniqueViolation(error: unknown): boolean {
  const text = `${(error as { code?: string })?.code ?? ""} ${(error as Error)?.message ?? ""} ${JSON.stringify((error as { meta?: unknown })?.meta ?? {})}`;
  return /23505|unique constraint|duplicate key/i.test(text);
}

/** Sets the counters from the rows themselves, once the pages are in (repairs any drift). */
export async function reconcileCounts(job: FetchJob): Promise<FetchJob> {
  await db().$executeRaw`
    UPDATE fetch_jobs SET
      pages_fetched = (SELECT count(*) FROM fetch_job_pages WHERE job_id = ${job.id}),
      scrobbles_fetched = (SELECT count(*) FROM scrobbles
                            WHERE user_id = ${job.userId} AND scrobbled_at >= fetch_jobs.window_from
                              AND scrobbled_at < fetch_jobs.window_to)
    WHERE id = ${job.id}`;
  return db().fetchJob.findUniqueOrThrow({ where: { id: job.id } });
}

/** Stored plays per slice of the job's window: [start, end) pairs in Unix seconds. */
export async function countStoredBySlice(job: FetchJob, bounds: number[]): Promise<number[]> {
  const rows = await db().$queryRaw<{ slice: number; n: number }[]>`
    SELECT width_bucket(extract(epoch FROM scrobbled_at)::float8, ${bounds}::float8[]) AS slice, count(*)::int AS n
      FROM scrobbles
     WHERE user_id = ${job.userId} AND scrobbled_at >= ${job.windowFrom} AND scrobbled_at < ${job.windowTo}
     GROUP BY 1`;
  const counts = new Array(Math.max(0, bounds.length - 1)).fill(0);
  for (const row of rows) if (row.slice >= 1 && row.slice < bounds.length) counts[row.slice - 1] = row.n;
  return counts;
}

/** A refreshed year now spans `window` too, read from Last.fm at `syncedAt`. Only after every page is in. */
export async function extendWindow(job: FetchJob, window: YearWindow, syncedAt: Date): Promise<FetchJob> {
  return db().fetchJob.update({
    where: { id: job.id },
    data: {
      windowFrom: window.from < job.windowFrom ? window.from : job.windowFrom,
      windowTo: window.to > job.windowTo ? window.to : job.windowTo,
      syncedAt,
    },
  });
}

/** Re-import: forget the year (scrobbles, checkpoints, counts) and start it again with a fresh window. */
export async function resetYear(job: FetchJob, now = new Date()): Promise<FetchJob> {
  const window = pinnedYearWindow(job.year, now);
  const [, , , reset] = await db().$transaction([
    db().scrobble.deleteMany({ where: { userId: job.userId, scrobbledAt: { gte: job.windowFrom, lt: window.to } } }),
    db().fetchJobPage.deleteMany({ where: { jobId: job.id } }),
    db().zoneSnapshot.deleteMany({ where: { jobId: job.id } }),
    db().fetchJob.update({
      where: { id: job.id },
      data: {
        status: "queued",
        windowFrom: window.from,
        windowTo: window.to,
        syncedAt: now,
        totalPages: null,
        expectedTotal: null,
        pagesFetched: 0,
        scrobblesFetched: 0,
        albumsDated: 0,
        albumsTotal: 0,
        error: null,
        errorCode: null,
        distribution: Prisma.DbNull,
        albumChart: Prisma.DbNull,
        startedAt: null,
        finishedAt: null,
      },
    }),
  ]);
  await bumpYearVersion(job.userId, job.year);
  return reset;
}

/** Imports not finished and not touched for `idleMs`: each should have a job in a queue. */
export async function listIdleUnfinishedImports(idleMs: number, now = new Date()) {
  return listIdleImports(["queued", "fetching", "enriching"], idleMs, now);
}

/** Imports left partial by an outage and not touched for `idleMs`: the worker tries them again. */
export async function listIdlePartialImports(idleMs: number, now = new Date()) {
  return listIdleImports(["partial"], idleMs, now);
}

function listIdleImports(statuses: FetchJob["status"][], idleMs: number, now: Date) {
  return db().fetchJob.findMany({
    where: { status: { in: statuses }, updatedAt: { lt: new Date(now.getTime() - idleMs) } },
    include: { user: true },
  });
}

/** The worker's sweep re-queued this import once more; a successful fetch resets the count. */
export async function countSweepRequeue(job: FetchJob): Promise<FetchJob> {
  return db().fetchJob.update({ where: { id: job.id }, data: { attempts: { increment: 1 } } });
}
