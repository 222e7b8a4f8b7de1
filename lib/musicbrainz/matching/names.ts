// Matching by name for one user's year: the scrobbles without a usable album MBID, as distinct (artist, album)
// pairs, answered from the shared album_name_cache or the configured matcher, then written back in bulk.
import type { YearScope } from "@/lib/musicbrainz/album-cache";
import { chunk } from "@/lib/server/concurrency";
import { Prisma } from "@/generated/prisma/client";
import { db } from "@/lib/server/db";
import type { NameMatch } from "./choose";
import type { NameMatcher } from "./matcher";
import { pairKey } from "./normalize";

type RawPair = { artist: string; album: string };
type KeyedPair = RawPair & { artistKey: string; titleKey: string };
type CachedAnswer = { year: number | null; rg: string | null; confidence: number | null; compilation: boolean };

/**
 * Scrobbles whose album only names can date: no album MBID, or one MusicBrainz does not know (no release,
 * release group nor redirect: Last.fm's album MBIDs are often stale or wrong). A known MBID without a date
 * stays undated: MusicBrainz knows the album and has no year for it.
 */
export const NAMES_ONLY = Prisma.sql`(s.album_mbid IS NULL OR EXISTS (
  SELECT 1 FROM album_year_cache u WHERE u.album_mbid = s.album_mbid AND u.matched_as IS NULL))`;

/** Distinct (artist, album) of the window's scrobbles that have an album name but no usable MBID and no year. */
export async function listUnmatchedPairs({ userId, from, to }: YearScope): Promise<RawPair[]> {
  return db().$queryRaw<RawPair[]>`
    SELECT DISTINCT artist, album FROM scrobbles s
     WHERE s.user_id = ${userId} AND s.scrobbled_at >= ${from} AND s.scrobbled_at < ${to}
       AND s.album <> '' AND s.augmentation_status = 'not_found' AND ${NAMES_ONLY}`;
}

const cacheKey = (pair: { artistKey: string; titleKey: string }) => `${pair.artistKey}\u0000${pair.titleKey}`;

/** The cache's answers for `pairs`; a negative answer that is due for a retry counts as no answer. */
async function readCache(pairs: KeyedPair[], now: Date): Promise<Map<string, CachedAnswer>> {
  const answers = new Map<string, CachedAnswer>();
  if (pairs.length === 0) return answers;
  const rows = await db().$queryRaw<
    {
      artist_key: string;
      title_key: string;
      year: number | null;
      rg: string | null;
      confidence: number | null;
      compilation: boolean;
    }[]
  >`
    SELECT c.artist_key, c.title_key, c.original_year AS year, c.release_group_mbid::text AS rg, c.confidence,
           c.is_compilation AS compilation
      FROM unnest(${pairs.map((p) => p.artistKey)}::text[], ${pairs.map((p) => p.titleKey)}::text[]) AS k(a, t)
      JOIN album_name_cache c ON c.artist_key = k.a AND c.title_key = k.t
     WHERE c.retry_after IS NULL OR c.retry_after > ${now}`;
  for (const row of rows)
    answers.set(cacheKey({ artistKey: row.artist_key, titleKey: row.title_key }), {
      year: row.year,
      rg: row.rg,
      confidence: row.confidence,
      compilation: row.compilation,
    });
  return answers;
}

/**
 * Saves the matcher's answers. An unmatched (or undated) pair is asked again after 1 day, then 2, 4, … up
 * to 30 days: MusicBrainz grows slowly, and the nightly job should not ask the same thing every night.
 */
async function saveAnswers(pairs: KeyedPair[], matches: (NameMatch | null)[], now: Date): Promise<void> {
  if (pairs.length === 0) return;
  await db().$executeRaw`
    INSERT INTO album_name_cache AS c (artist_key, title_key, release_group_mbid, release_group_name, original_year,
                                       confidence, is_compilation, looked_up_at, retry_after, attempts)
    SELECT t.a, t.t, t.rg, t.rg_name, t.year, t.confidence, t.compilation, ${now},
           CASE WHEN t.year IS NULL THEN ${now}::timestamptz + interval '1 day' END, 1
      FROM unnest(${pairs.map((p) => p.artistKey)}::text[], ${pairs.map((p) => p.titleKey)}::text[],
                  ${matches.map((m) => m?.releaseGroupMbid ?? null)}::uuid[],
                  ${matches.map((m) => m?.releaseGroupName ?? null)}::text[],
                  ${matches.map((m) => m?.year ?? null)}::smallint[],
                  ${matches.map((m) => m?.confidence ?? null)}::real[],
                  ${matches.map((m) => m?.isCompilation ?? false)}::bool[]) AS t(a, t, rg, rg_name, year, confidence, compilation)
    ON CONFLICT (artist_key, title_key) DO UPDATE SET
      release_group_mbid = EXCLUDED.release_group_mbid, release_group_name = EXCLUDED.release_group_name,
      original_year = EXCLUDED.original_year, confidence = EXCLUDED.confidence, looked_up_at = EXCLUDED.looked_up_at,
      is_compilation = EXCLUDED.is_compilation,
      attempts = c.attempts + 1,
      retry_after = CASE WHEN EXCLUDED.original_year IS NULL
        THEN EXCLUDED.looked_up_at + least(30, power(2, c.attempts)) * interval '1 day' END`;
}

/** Writes the answered pairs' years onto the window's unmatched scrobbles (one statement). */
async function applyAnswers({ userId, from, to }: YearScope, answered: [KeyedPair, CachedAnswer][]): Promise<number> {
  const dated = answered.filter(([, answer]) => answer.year !== null);
  if (dated.length === 0) return 0;
  return db().$executeRaw`
    UPDATE scrobbles s SET
      release_year = x.year, release_group_mbid = x.rg, augmentation_status = 'fuzzy_matched',
      match_method = 'name', match_confidence = x.confidence, is_compilation = x.compilation
      FROM unnest(${dated.map(([p]) => p.artist)}::text[], ${dated.map(([p]) => p.album)}::text[],
                  ${dated.map(([, a]) => a.year)}::smallint[], ${dated.map(([, a]) => a.rg)}::uuid[],
                  ${dated.map(([, a]) => a.confidence)}::real[], ${dated.map(([, a]) => a.compilation)}::bool[])
           AS x(artist, album, year, rg, confidence, compilation)
     WHERE s.user_id = ${userId} AND s.scrobbled_at >= ${from} AND s.scrobbled_at < ${to}
       AND s.augmentation_status = 'not_found' AND s.artist = x.artist AND s.album = x.album AND ${NAMES_ONLY}`;
}

export type NameMatchingProgress = { pairs: number; answered: number; scrobblesDated: number };

/**
 * Dates the window's scrobbles that carry only names. Cached answers apply at once; the rest go to the
 * matcher in batches, each applied as it comes back. Returns how many scrobbles got a year.
 */
export async function matchNamesForYear(
  scope: YearScope,
  matcher: NameMatcher,
  { batchSize = 500, onProgress = async () => {} } = {} as {
    batchSize?: number;
    onProgress?: (progress: NameMatchingProgress) => Promise<void>;
  },
): Promise<NameMatchingProgress> {
  const now = new Date();
  const pairs: KeyedPair[] = (await listUnmatchedPairs(scope)).map((pair) => ({
    ...pair,
    ...pairKey(pair.artist, pair.album),
  }));
  const cached = await readCache(pairs, now);
  const progress: NameMatchingProgress = { pairs: pairs.length, answered: 0, scrobblesDated: 0 };
  const known = pairs.filter((pair) => cached.has(cacheKey(pair)));
  progress.answered = known.length;
  progress.scrobblesDated += await applyAnswers(
    scope,
    known.map((pair) => [pair, cached.get(cacheKey(pair)) as CachedAnswer]),
  );
  await onProgress(progress);

  // Spellings that fold alike are asked once.
  const unknown = new Map<string, KeyedPair[]>();
  for (const pair of pairs) {
    if (cached.has(cacheKey(pair))) continue;
    const same = unknown.get(cacheKey(pair));
    if (same) same.push(pair);
    else unknown.set(cacheKey(pair), [pair]);
  }
  for (const batch of chunk([...unknown.values()], batchSize)) {
    const representatives = batch.map((same) => same[0]);
    const matches = await matcher.matchPairs(representatives);
    await saveAnswers(representatives, matches, now);
    const answered: [KeyedPair, CachedAnswer][] = [];
    for (const [i, same] of batch.entries()) {
      const match = matches[i];
      const answer = {
        year: match?.year ?? null,
        rg: match?.releaseGroupMbid ?? null,
        confidence: match?.confidence ?? null,
        compilation: match?.isCompilation ?? false,
      };
      for (const pair of same) answered.push([pair, answer]);
    }
    progress.answered += answered.length;
    progress.scrobblesDated += await applyAnswers(scope, answered);
    await onProgress(progress);
  }
  return progress;
}

export type NameAnswer = { year: number | null; releaseGroupMbid: string | null };

/**
 * Dates (artist, album) pairs that are not a user's scrobbles (a preview's album chart), through the
 * same shared cache and matcher as matchNamesForYear. `isCacheOnly` asks nothing new (the web service's
 * 1 request/s is too slow for a preview). Keyed by `${artist}\u0000${album}` as given.
 */
export async function answerNamePairs(
  rawPairs: RawPair[],
  matcher: NameMatcher,
  { isCacheOnly = false, now = new Date(), batchSize = 500 } = {},
): Promise<Map<string, NameAnswer>> {
  const pairs: KeyedPair[] = rawPairs.map((pair) => ({ ...pair, ...pairKey(pair.artist, pair.album) }));
  const cached = await readCache(pairs, now);
  const unknown = new Map<string, KeyedPair>();
  for (const pair of pairs) if (!cached.has(cacheKey(pair))) unknown.set(cacheKey(pair), pair);
  if (!isCacheOnly) {
    for (const batch of chunk([...unknown.values()], batchSize)) {
      const matches = await matcher.matchPairs(batch);
      await saveAnswers(batch, matches, now);
      for (const [i, pair] of batch.entries()) {
        const match = matches[i];
        cached.set(cacheKey(pair), {
          year: match?.year ?? null,
          rg: match?.releaseGroupMbid ?? null,
          confidence: match?.confidence ?? null,
          compilation: match?.isCompilation ?? false,
        });
      }
    }
  }
  const answers = new Map<string, NameAnswer>();
  for (const pair of pairs) {
    const answer = cached.get(cacheKey(pair));
    if (answer) answers.set(`${pair.artist}\u0000${pair.album}`, { year: answer.year, releaseGroupMbid: answer.rg });
  }
  return answers;
}
