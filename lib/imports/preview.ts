// The preview: a year's chart within seconds, from two Last.fm calls instead of one per 1,000 plays.
// The year's album chart (user.getWeeklyAlbumChart over the pinned window) is dated through the same
// path as imported scrobbles (shared caches, mirror or web service, matching by name), and the year's
// total (getRecentTracks limit=1) says how much of it the chart covers: plays without an album name and
// the albums beyond the chart's 1,000 rows are counted as undated until the exact import replaces it.
import { z } from "zod";
import type { FetchJob } from "@/generated/prisma/client";
import { type ChartAlbum, countScrobbles, getAlbumChart } from "@/lib/lastfm/client";
import { listUncachedMbids, readCachedYears, saveLookups } from "@/lib/musicbrainz/album-cache";
import { nameMatcher } from "@/lib/musicbrainz/matching/matcher";
import { answerNamePairs } from "@/lib/musicbrainz/matching/names";
import { MIRROR_BATCH_SIZE, musicbrainz } from "@/lib/musicbrainz/sources";
import { chunk } from "@/lib/server/concurrency";
import { db } from "@/lib/server/db";
import { toUnixSeconds, yearWindow } from "./year-window";

/** One release year of the preview, in the shape of the distribution query's rows. */
const PreviewRowSchema = z.object({
  release_year: z.number().int().nullable(),
  scrobbles: z.number().int(),
  albums: z.number().int(),
  mbid: z.number().int(),
  fuzzy: z.number().int(),
});

export const AlbumChartPreviewSchema = z.object({
  /** Last.fm's count of the window's plays. */
  yearPlays: z.number().int(),
  /** Plays the album chart holds (album-less plays and the chart's cut-off tail are not in it). */
  chartPlays: z.number().int(),
  albums: z.number().int(),
  rows: z.array(PreviewRowSchema),
});
export type AlbumChartPreview = z.infer<typeof AlbumChartPreviewSchema>;

const PREVIEW_MATCH_BATCH = 50;

type DatedAlbum = ChartAlbum & { year: number | null; releaseGroup: string | null; method: "mbid" | "fuzzy" | null };

/** Albums with an MBID through album_year_cache (looking up what it lacks); the rest by name, like scrobbles. */
async function dateAlbums(albums: ChartAlbum[]): Promise<DatedAlbum[]> {
  const mbids = [...new Set(albums.flatMap((album) => (album.albumMbid ? [album.albumMbid] : [])))];
  for (const batch of chunk(await listUncachedMbids(mbids), MIRROR_BATCH_SIZE)) {
    await saveLookups(await musicbrainz().lookupAlbums(batch));
  }
  const byMbid = await readCachedYears(mbids);
  const named = albums.filter((album) => !album.albumMbid);
  const matcher = nameMatcher();
  const byName = await answerNamePairs(
    named.map((album) => ({ artist: album.artist, album: album.album })),
    matcher,
    // Small batches: the worker that dates them also sends other imports' requests on schedule, and a
    // long synchronous stretch would make those leave late and crowd one upstream second.
    { isCacheOnly: matcher.kind === "webservice", batchSize: PREVIEW_MATCH_BATCH },
  );
  return albums.map((album) => {
    const answer = album.albumMbid ? byMbid.get(album.albumMbid) : byName.get(`${album.artist}\u0000${album.album}`);
    const year = answer?.year ?? null;
    return {
      ...album,
      year,
      releaseGroup: answer?.releaseGroupMbid ?? null,
      method: year === null ? null : album.albumMbid ? "mbid" : "fuzzy",
    };
  });
}

/** Per release year; the null row holds every play of the year the chart could not date. */
export function summarizePreview(yearPlays: number, albums: DatedAlbum[]): AlbumChartPreview {
  const rows = new Map<number, { scrobbles: number; groups: Set<string>; mbid: number; fuzzy: number }>();
  let dated = 0;
  for (const album of albums) {
    if (album.year === null || album.method === null) continue;
    const row = rows.get(album.year) ?? { scrobbles: 0, groups: new Set(), mbid: 0, fuzzy: 0 };
    row.scrobbles += album.plays;
    row.groups.add(album.releaseGroup ?? `${album.artist}\u0000${album.album}`);
    row[album.method] += album.plays;
    rows.set(album.year, row);
    dated += album.plays;
  }
  const chartPlays = albums.reduce((sum, album) => sum + album.plays, 0);
  // The chart may count a play the total does not (a range edge, a play added meanwhile): never below zero.
  const total = Math.max(yearPlays, dated);
  return {
    yearPlays: total,
    chartPlays: Math.min(chartPlays, total),
    albums: albums.length,
    rows: [
      ...[...rows.entries()]
        .sort((a, b) => a[0] - b[0])
        .map(([year, row]) => ({
          release_year: year,
          scrobbles: row.scrobbles,
          albums: row.groups.size,
          mbid: row.mbid,
          fuzzy: row.fuzzy,
        })),
      ...(total > dated ? [{ release_year: null, scrobbles: total - dated, albums: 0, mbid: 0, fuzzy: 0 }] : []),
    ],
  };
}

/**
 * Two interactive Last.fm calls for the year (UTC's; the import's own window is wider, for every zone,
 * and a preview is one picture for all of them), then the dating; nothing is stored.
 */
export async function buildPreview(job: FetchJob, username: string, signal?: AbortSignal): Promise<AlbumChartPreview> {
  const window = yearWindow(job.year);
  const from = toUnixSeconds(window.from);
  const to = Math.min(toUnixSeconds(window.to), toUnixSeconds(job.windowTo));
  const [yearPlays, chart] = await Promise.all([
    countScrobbles(username, from, to, signal, { lane: "interactive" }),
    getAlbumChart({ user: username, from, to }, signal),
  ]);
  return summarizePreview(yearPlays, await dateAlbums(chart));
}

/** Saves the preview unless the exact import has already finished (it must never replace the real chart). */
export async function savePreview(job: FetchJob, preview: AlbumChartPreview): Promise<FetchJob | null> {
  const saved = await db().$executeRaw`
    UPDATE fetch_jobs SET album_chart = ${JSON.stringify(preview)}::jsonb, updated_at = now()
     WHERE id = ${job.id} AND status IN ('queued', 'fetching', 'enriching')`;
  return saved === 0 ? null : db().fetchJob.findUnique({ where: { id: job.id } });
}

export function readPreview(job: FetchJob | null): AlbumChartPreview | null {
  const parsed = AlbumChartPreviewSchema.safeParse(job?.albumChart);
  return parsed.success ? parsed.data : null;
}
