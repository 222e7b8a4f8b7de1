// Album years: the shared album_year_cache and writing its answers onto a user's scrobbles.
import { db } from "@/lib/server/db";
import type { AlbumLookup } from "./sources";

/** Negative answers (unknown id, no date) are asked again after this: MusicBrainz grows and gets corrected. */
export const NEGATIVE_RETRY_MS = 7 * 24 * 3600 * 1000;

export type YearScope = { userId: number; from: Date; to: Date };

/** Distinct album MBIDs of the user's window that still wait for a year. */
export async function listPendingAlbumMbids({ userId, from, to }: YearScope): Promise<string[]> {
  const rows = await db().$queryRaw<{ mbid: string }[]>`
    SELECT DISTINCT album_mbid::text AS mbid FROM scrobbles
     WHERE user_id = ${userId} AND scrobbled_at >= ${from} AND scrobbled_at < ${to}
       AND augmentation_status = 'pending' AND album_mbid IS NOT NULL`;
  return rows.map((row) => row.mbid);
}

/** Of `mbids`, those the cache cannot answer: never looked up, or a negative answer due for a retry. */
export async function listUncachedMbids(mbids: string[], now = new Date()): Promise<string[]> {
  if (mbids.length === 0) return [];
  const rows = await db().$queryRaw<{ mbid: string }[]>`
    SELECT i.mbid::text AS mbid FROM unnest(${mbids}::uuid[]) AS i(mbid)
      LEFT JOIN album_year_cache c ON c.album_mbid = i.mbid
     WHERE c.album_mbid IS NULL OR (c.retry_after IS NOT NULL AND c.retry_after <= ${now})`;
  return rows.map((row) => row.mbid);
}

/** Writes MusicBrainz's answers to the shared cache (one statement). A null year is an answer too. */
export async function saveLookups(lookups: AlbumLookup[], now = new Date()): Promise<void> {
  if (lookups.length === 0) return;
  const retryAt = new Date(now.getTime() + NEGATIVE_RETRY_MS);
  await db().$executeRaw`
    INSERT INTO album_year_cache (album_mbid, matched_as, release_group_mbid, release_group_name, original_year,
                                  is_compilation, looked_up_at, retry_after)
    SELECT t.mbid, t.matched_as, t.rg, t.rg_name, t.year, t.compilation, ${now},
           CASE WHEN t.year IS NULL THEN ${retryAt}::timestamptz END
      FROM unnest(${lookups.map((l) => l.albumMbid)}::uuid[], ${lookups.map((l) => l.matchedAs)}::text[],
                  ${lookups.map((l) => l.releaseGroupMbid)}::uuid[], ${lookups.map((l) => l.releaseGroupName)}::text[],
                  ${lookups.map((l) => l.year)}::smallint[], ${lookups.map((l) => l.isCompilation ?? false)}::bool[])
           AS t(mbid, matched_as, rg, rg_name, year, compilation)
    ON CONFLICT (album_mbid) DO UPDATE SET
      matched_as = EXCLUDED.matched_as, release_group_mbid = EXCLUDED.release_group_mbid,
      is_compilation = EXCLUDED.is_compilation,
      release_group_name = EXCLUDED.release_group_name, original_year = EXCLUDED.original_year,
      looked_up_at = EXCLUDED.looked_up_at, retry_after = EXCLUDED.retry_after`;
}

/**
 * Copies cached years onto the window's pending scrobbles in one statement: `matched` with a year,
 * `not_found` when MusicBrainz has no date or no such album. Returns the rows updated.
 */
export async function applyCachedYears({ userId, from, to }: YearScope): Promise<number> {
  return db().$executeRaw`
    UPDATE scrobbles s SET
      release_year = c.original_year,
      release_group_mbid = c.release_group_mbid,
      is_compilation = c.is_compilation,
      augmentation_status = (CASE WHEN c.original_year IS NULL THEN 'not_found' ELSE 'matched' END)::augmentation_status,
      match_method = CASE WHEN c.original_year IS NULL THEN NULL ELSE 'mbid' END,
      match_confidence = CASE WHEN c.original_year IS NULL THEN NULL ELSE 1 END
      FROM album_year_cache c
     WHERE s.user_id = ${userId} AND s.scrobbled_at >= ${from} AND s.scrobbled_at < ${to}
       AND s.augmentation_status = 'pending' AND s.album_mbid = c.album_mbid`;
}

/** Scrobbles without an album MBID cannot be dated by MBID; matching by name picks them up later. */
export async function markUndatableByMbid({ userId, from, to }: YearScope): Promise<number> {
  return db().$executeRaw`
    UPDATE scrobbles SET augmentation_status = 'not_found'
     WHERE user_id = ${userId} AND scrobbled_at >= ${from} AND scrobbled_at < ${to}
       AND augmentation_status = 'pending' AND album_mbid IS NULL`;
}

/** Distinct album MBIDs in the window, and how many of them the cache has answered. */
export async function countAlbumProgress({ userId, from, to }: YearScope): Promise<{ total: number; dated: number }> {
  const [row] = await db().$queryRaw<{ total: number; dated: number }[]>`
    SELECT count(*)::int AS total, count(c.album_mbid)::int AS dated
      FROM (SELECT DISTINCT album_mbid FROM scrobbles
             WHERE user_id = ${userId} AND scrobbled_at >= ${from} AND scrobbled_at < ${to} AND album_mbid IS NOT NULL) a
      LEFT JOIN album_year_cache c ON c.album_mbid = a.album_mbid`;
  return row;
}

export type CachedAlbumYear = { year: number | null; releaseGroupMbid: string | null };

/** The cache's answers for `mbids` (a preview reads them without any scrobble to write them onto). */
export async function readCachedYears(mbids: string[]): Promise<Map<string, CachedAlbumYear>> {
  if (mbids.length === 0) return new Map();
  const rows = await db().$queryRaw<{ mbid: string; year: number | null; rg: string | null }[]>`
    SELECT album_mbid::text AS mbid, original_year AS year, release_group_mbid::text AS rg
      FROM album_year_cache WHERE album_mbid = ANY(${mbids}::uuid[])`;
  return new Map(rows.map((row) => [row.mbid, { year: row.year, releaseGroupMbid: row.rg }]));
}
