// A user's year as the API serves it: status, progress, coverage and the release-year distribution.
import { type FetchJob, type LastfmUser, Prisma } from "@/generated/prisma/client";
import { db } from "@/lib/server/db";
import { publicError } from "./public-errors";
import { env } from "@/lib/server/env";
import { readPreview } from "./preview";
import { getFetchJob } from "./store";
import { bumpYearVersion } from "./year-version";
import { UTC, yearWindow } from "./year-window";

/** What `distribution` and `totals` are computed from right now. */
export type DistributionBasis = "none" | "album_chart" | "scrobbles";

export type YearDistribution = {
  username: string;
  year: number;
  status: FetchJob["status"] | "not_started";
  progress: {
    pagesFetched: number;
    totalPages: number | null;
    scrobblesFetched: number;
    albumsDated: number;
    albumsTotal: number;
  };
  totals: {
    scrobbles: number;
    dated: number;
    coverage: number;
    /** How each play's year was found: its album (by MBID or by name) or its song (`recording`). */
    byMethod: { mbid: number; fuzzy: number; recording: number; none: number };
    /** The coverage of each way of counting: every play by its album, every play by its song. */
    byView: { album: ViewTotals; song: ViewTotals };
  };
  /** Plays by the year their music came out: by song for compilations and album-less plays, else by album. */
  distribution: { releaseYear: number; scrobbles: number; albums: number }[];
  /** The chart's other ways of counting: every play by its album's year, every play by its song's year. */
  views: { album: ViewRow[]; song: ViewRow[] };
  error: { code: string; message: string } | null;
  /** "album_chart" while the full import runs after its preview, "scrobbles" from stored plays, "none" before either. */
  basis: DistributionBasis;
  /** With basis "album_chart": how much of the year Last.fm's album chart holds. */
  albumChart: { chartPlays: number; yearPlays: number; albums: number } | null;
  /** A full import waiting for its turn: imports ahead of it, and a rough wait for the exact chart. */
  queue: { position: number; etaSeconds: number } | null;
};

export type TopAlbum = {
  releaseYear: number;
  album: string;
  artist: string;
  releaseGroupMbid: string | null;
  scrobbles: number;
};

export type ViewRow = { releaseYear: number; scrobbles: number; albums: number };
export type ViewTotals = { dated: number; coverage: number };

type Row = {
  release_year: number | null;
  scrobbles: number;
  albums: number;
  mbid: number;
  fuzzy: number;
  recording?: number;
  /** Per row, the same plays counted by album and by song (their years may differ from release_year). */
  album_year?: number | null;
  song_year?: number | null;
  /** Distinct release groups of the row's album year and of its song year. */
  album_albums?: number;
  song_albums?: number;
};

/** A play counts by its song when it has no album or its album collects older songs, and the song is dated. */
const BY_SONG = Prisma.sql`((album = '' OR is_compilation) AND recording_year IS NOT NULL)`;

/**
 * Per (chart year, album year, song year), with NULL carrying the undated plays: the chart's rows, the
 * by-album and the by-song view all sum from these groups. `albums` is the chart year's distinct release
 * groups, repeated on each of its groups (`album_albums`, `song_albums` the same for the other two years).
 */
export function distributionSql(userId: number, from: Date, to: Date): Prisma.Sql {
  const chartYear = Prisma.sql`CASE WHEN ${BY_SONG} THEN recording_year ELSE release_year END`;
  // Plays are grouped first and the per-year album counts joined to those few groups, never to each play: a
  // table just filled by an import has no statistics yet, and the planner then nested-looped every play
  // against the counts (over 10 minutes for a 30,000-play running year). Keys fold NULL to -1 (no real year)
  // so the joins are plain equality.
  return Prisma.sql`
    WITH plays AS (
      SELECT ${chartYear} AS chart_year, release_year, recording_year, release_group_mbid, augmentation_status,
             ${BY_SONG} AS by_song
        FROM scrobbles
       WHERE user_id = ${userId} AND scrobbled_at >= ${from} AND scrobbled_at < ${to}),
    groups AS (
      SELECT chart_year, release_year, recording_year, count(*)::int AS scrobbles,
             count(*) FILTER (WHERE NOT by_song AND augmentation_status = 'matched')::int AS mbid,
             count(*) FILTER (WHERE NOT by_song AND augmentation_status = 'fuzzy_matched')::int AS fuzzy,
             count(*) FILTER (WHERE by_song)::int AS recording
        FROM plays GROUP BY 1, 2, 3),
    albums AS (SELECT coalesce(chart_year, -1) AS k, count(DISTINCT release_group_mbid)::int AS n FROM plays GROUP BY 1),
    album_albums AS (SELECT coalesce(release_year, -1) AS k, count(DISTINCT release_group_mbid)::int AS n FROM plays GROUP BY 1),
    song_albums AS (SELECT coalesce(recording_year, -1) AS k, count(DISTINCT release_group_mbid)::int AS n FROM plays GROUP BY 1)
    SELECT g.chart_year AS release_year, g.release_year AS album_year, g.recording_year AS song_year, g.scrobbles,
           a.n AS albums, aa.n AS album_albums, sa.n AS song_albums, g.mbid, g.fuzzy, g.recording
      FROM groups g JOIN albums a ON a.k = coalesce(g.chart_year, -1)
      JOIN album_albums aa ON aa.k = coalesce(g.release_year, -1)
      JOIN song_albums sa ON sa.k = coalesce(g.recording_year, -1)
     ORDER BY 1, 2, 3`;
}

/** Sums rows per year of `year(row)`; rows without one are left out. */
function sumBy(rows: Row[], year: (row: Row) => number | null | undefined): Map<number, Row[]> {
  const byYear = new Map<number, Row[]>();
  for (const row of rows) {
    const key = year(row);
    if (key === null || key === undefined) continue;
    byYear.set(key, [...(byYear.get(key) ?? []), row]);
  }
  return new Map([...byYear].sort((a, b) => a[0] - b[0]));
}

function view(
  rows: Row[],
  year: (row: Row) => number | null | undefined,
  albums: (row: Row) => number | undefined,
): ViewRow[] {
  return [...sumBy(rows, year)].map(([releaseYear, group]) => ({
    releaseYear,
    scrobbles: group.reduce((sum, row) => sum + row.scrobbles, 0),
    albums: Math.max(0, ...group.map((row) => albums(row) ?? 0)),
  }));
}

function viewTotals(rows: ViewRow[], scrobbles: number): ViewTotals {
  const dated = rows.reduce((sum, row) => sum + row.scrobbles, 0);
  return { dated, coverage: coverageOf(dated, scrobbles) };
}

const coverageOf = (dated: number, scrobbles: number) =>
  scrobbles === 0 ? 0 : Math.round((dated / scrobbles) * 10_000) / 10_000;

/**
 * The zone's year, a slice of the plays the import stored in UTC (its window spans every zone's year).
 * A finished year is served from a snapshot (UTC's on the job, other zones' saved on their first visit);
 * a running one is counted live. `known`: the job row the caller has just read, so a page reads it once.
 */
export async function getYearDistribution(
  user: LastfmUser,
  year: number,
  timeZone = UTC,
  known?: FetchJob | null,
): Promise<YearDistribution> {
  const job = known === undefined ? await getFetchJob(user.id, year) : known;
  // A finished year is served from its snapshot; a running one from its preview until the import is
  // exact (the preview is of the UTC year, whatever the zone), or counted live without one.
  const isFinished = job?.status === "complete" || job?.status === "partial" || job?.status === "failed";
  const preview = isFinished ? null : readPreview(job);
  const rows =
    (preview?.rows as Row[] | undefined) ??
    (job?.status === "complete" ? await readSnapshot(job, timeZone) : await countDistribution(user.id, year, timeZone));
  const scrobbles = rows.reduce((sum, row) => sum + row.scrobbles, 0);
  const mbid = rows.reduce((sum, row) => sum + row.mbid, 0);
  const fuzzy = rows.reduce((sum, row) => sum + row.fuzzy, 0);
  const recording = rows.reduce((sum, row) => sum + (row.recording ?? 0), 0);
  const dated = mbid + fuzzy + recording;
  // Snapshots saved before song-level dating have one row per album year and no song years.
  const albumView = view(
    rows,
    (row) => (row.album_year === undefined ? row.release_year : row.album_year),
    (row) => row.album_albums ?? row.albums,
  );
  const songView = view(
    rows,
    (row) => row.song_year,
    (row) => row.song_albums,
  );
  return {
    username: user.name,
    year,
    status: job?.status ?? "not_started",
    progress: {
      pagesFetched: job?.pagesFetched ?? 0,
      totalPages: job?.totalPages ?? null,
      scrobblesFetched: job?.scrobblesFetched ?? 0,
      albumsDated: job?.albumsDated ?? 0,
      albumsTotal: job?.albumsTotal ?? 0,
    },
    totals: {
      scrobbles,
      dated,
      coverage: coverageOf(dated, scrobbles),
      byMethod: { mbid, fuzzy, recording, none: scrobbles - dated },
      byView: { album: viewTotals(albumView, scrobbles), song: viewTotals(songView, scrobbles) },
    },
    distribution: [...sumBy(rows, (row) => row.release_year)].map(([releaseYear, group]) => ({
      releaseYear,
      scrobbles: group.reduce((sum, row) => sum + row.scrobbles, 0),
      albums: Math.max(...group.map((row) => row.albums)),
    })),
    views: { album: albumView, song: songView },
    error: job?.errorCode ? publicError(job.errorCode) : null,
    basis: preview ? "album_chart" : isFinished || scrobbles > 0 ? "scrobbles" : "none",
    albumChart: preview
      ? { chartPlays: preview.chartPlays, yearPlays: preview.yearPlays, albums: preview.albums }
      : null,
    queue: job?.status === "queued" ? await estimateQueue(job) : null,
  };
}

/** Plays a page holds, for estimates of imports whose page size is not chosen yet. */
const ESTIMATE_PAGE_SIZE = 1000;

/**
 * A queued import's place in line (imports created before it and still queued) and a rough wait for its
 * exact chart: the requests left of every import running or ahead of it, and its own, at the budget's rate.
 */
async function estimateQueue(job: FetchJob): Promise<{ position: number; etaSeconds: number }> {
  const [row] = await db().$queryRaw<{ ahead: number; requests: number }[]>`
    SELECT count(*) FILTER (WHERE status = 'queued' AND id <> ${job.id})::int AS ahead,
           coalesce(sum(CASE
             WHEN total_pages IS NOT NULL THEN greatest(total_pages - pages_fetched, 0)
             WHEN album_chart ? 'yearPlays' THEN ceil((album_chart->>'yearPlays')::numeric / ${ESTIMATE_PAGE_SIZE})
             ELSE 1 END), 0)::int AS requests
      FROM fetch_jobs
     WHERE status IN ('queued', 'fetching') AND (status = 'fetching' OR created_at <= ${job.createdAt})`;
  return { position: row.ahead + 1, etaSeconds: Math.ceil(row.requests / env().LASTFM_RATE_LIMIT) };
}

function countDistribution(userId: number, year: number, timeZone: string): Promise<Row[]> {
  const { from, to } = yearWindow(year, timeZone);
  return db().$queryRaw<Row[]>(distributionSql(userId, from, to));
}

async function readSnapshot(job: FetchJob, timeZone: string): Promise<Row[]> {
  if (timeZone === UTC) return (job.distribution as Row[] | null) ?? countDistribution(job.userId, job.year, UTC);
  const saved = await db().zoneSnapshot.findUnique({ where: { jobId_timeZone: { jobId: job.id, timeZone } } });
  if (saved) return saved.distribution as Row[];
  const rows = await countDistribution(job.userId, job.year, timeZone);
  // Saved only if the year has not changed since it was read: a refresh that started meanwhile would
  // otherwise find a snapshot of the plays before it (its own snapshot drops those saved earlier).
  await db().$executeRaw`
    INSERT INTO zone_snapshots (job_id, time_zone, distribution)
    SELECT ${job.id}, ${timeZone}, ${JSON.stringify(rows)}::jsonb
     WHERE EXISTS (SELECT 1 FROM fetch_jobs WHERE id = ${job.id} AND status = 'complete' AND updated_at = ${job.updatedAt})
    ON CONFLICT (job_id, time_zone) DO NOTHING`;
  return rows;
}

/**
 * Saves the year's UTC distribution rows and top albums on its job, so the finished year is read from one
 * row, and forgets the other zones' snapshots: they are computed again from the new plays on their next
 * visit. Then the year's cached pages and share images are rendered afresh (a late match shows at once).
 */
export async function saveDistributionSnapshot(job: FetchJob): Promise<void> {
  const rows = await countDistribution(job.userId, job.year, UTC);
  const { from, to } = yearWindow(job.year, UTC);
  const topAlbums = await queryTopAlbums(job.userId, from, to);
  await db().$transaction([
    db().fetchJob.update({ where: { id: job.id }, data: { distribution: rows, topAlbums } }),
    db().zoneSnapshot.deleteMany({ where: { jobId: job.id } }),
  ]);
  await bumpYearVersion(job.userId, job.year);
}

/**
 * The most played albums of each year of the chart (counted the Auto way, like `distribution`) in the zone's
 * year, for the chart's drill-down; plays without an album are one entry per year.
 */
export async function listTopAlbums(user: LastfmUser, year: number, timeZone = UTC, perYear = 10): Promise<TopAlbum[]> {
  const { from, to } = yearWindow(year, timeZone);
  return queryTopAlbums(user.id, from, to, perYear);
}

/** A finished year's UTC top albums from its snapshot (saved with it), else counted live. */
export async function listTopAlbumsOf(job: FetchJob | null): Promise<TopAlbum[]> {
  if (!job) return [];
  if (job.status === "complete" && Array.isArray(job.topAlbums)) return job.topAlbums as TopAlbum[];
  const { from, to } = yearWindow(job.year, UTC);
  return queryTopAlbums(job.userId, from, to);
}

async function queryTopAlbums(userId: number, from: Date, to: Date, perYear = 10): Promise<TopAlbum[]> {
  const rows = await db().$queryRaw<
    { release_year: number; album: string; artist: string; rg: string | null; scrobbles: number }[]
  >`
    SELECT release_year, album, artist, rg, scrobbles FROM (
      SELECT chart_year AS release_year, min(album) AS album, min(artist) AS artist, release_group_mbid::text AS rg,
             count(*)::int AS scrobbles,
             row_number() OVER (PARTITION BY chart_year ORDER BY count(*) DESC, min(album)) AS rank
        FROM (SELECT CASE WHEN ${BY_SONG} THEN recording_year ELSE release_year END AS chart_year, album, artist,
                     release_group_mbid
                FROM scrobbles
               WHERE user_id = ${userId} AND scrobbled_at >= ${from} AND scrobbled_at < ${to}) plays
       WHERE chart_year IS NOT NULL
       GROUP BY chart_year, release_group_mbid) ranked
     WHERE rank <= ${perYear} ORDER BY release_year, scrobbles DESC`;
  return rows.map((row) => ({
    releaseYear: row.release_year,
    album: row.album,
    artist: row.artist,
    releaseGroupMbid: row.rg,
    scrobbles: row.scrobbles,
  }));
}
