// Song-level dating for one user's year: each play's recording and the year it first came out. Last.fm's
// track MBID first; else the (artist, track) names within the album's release group, else by name alone.
// Answers are shared by every user (recording_year_cache, recording_name_cache), like the album caches.
import { Prisma } from "@/generated/prisma/client";
import type { YearScope } from "@/lib/musicbrainz/album-cache";
import { foldName, titleKeys } from "@/lib/musicbrainz/matching/normalize";
import { chunk } from "@/lib/server/concurrency";
import { db } from "@/lib/server/db";
import type { RecordingLookup, SongPair } from "./choose";

/** Negative answers are asked again after this: MusicBrainz grows. */
const NEGATIVE_RETRY_MS = 7 * 24 * 3600 * 1000;
const BATCH = 1000;

export interface RecordingSource {
  /**
   * false (the web service, one search per song at 1 request/s): songs are matched by name only where the
   * chart needs them, for album-less and compilation plays; track MBIDs are dated for every play.
   */
  readonly matchesEverySong: boolean;
  /** Answers every input MBID. Throws MusicbrainzUnavailableError when down. */
  lookupRecordings(mbids: string[]): Promise<RecordingLookup[]>;
  /** One recording MBID per pair, or null. */
  matchRecordings(pairs: SongPair[]): Promise<(string | null)[]>;
}

export type SongProgress = { byMbid: number; byName: number; dated: number };

/** Cached years of `mbids`; a negative answer due for a retry counts as none. */
async function readYears(mbids: string[], now: Date): Promise<Map<string, RecordingLookup>> {
  const rows = await db().$queryRaw<{ mbid: string; known: boolean; year: number | null }[]>`
    SELECT c.recording_mbid::text AS mbid, c.is_known AS known, c.first_release_year AS year
      FROM recording_year_cache c
     WHERE c.recording_mbid = ANY(${mbids}::uuid[]) AND (c.retry_after IS NULL OR c.retry_after > ${now})`;
  return new Map(rows.map((row) => [row.mbid, { recordingMbid: row.mbid, isKnown: row.known, year: row.year }]));
}

async function saveYears(lookups: RecordingLookup[], now: Date): Promise<void> {
  if (lookups.length === 0) return;
  const retryAt = new Date(now.getTime() + NEGATIVE_RETRY_MS);
  await db().$executeRaw`
    INSERT INTO recording_year_cache (recording_mbid, is_known, first_release_year, looked_up_at, retry_after)
    SELECT t.mbid, t.known, t.year, ${now}, CASE WHEN t.year IS NULL THEN ${retryAt}::timestamptz END
      FROM unnest(${lookups.map((l) => l.recordingMbid)}::uuid[], ${lookups.map((l) => l.isKnown)}::bool[],
                  ${lookups.map((l) => l.year)}::smallint[]) AS t(mbid, known, year)
    ON CONFLICT (recording_mbid) DO UPDATE SET is_known = EXCLUDED.is_known,
      first_release_year = EXCLUDED.first_release_year, looked_up_at = EXCLUDED.looked_up_at,
      retry_after = EXCLUDED.retry_after`;
}

/** The years of `mbids`, from the cache or the source (then cached). */
async function findYears(source: RecordingSource, mbids: string[], now: Date): Promise<Map<string, RecordingLookup>> {
  const years = await readYears(mbids, now);
  const missing = mbids.filter((mbid) => !years.has(mbid));
  for (const batch of chunk(missing, BATCH)) {
    const lookups = await source.lookupRecordings(batch);
    await saveYears(lookups, now);
    for (const lookup of lookups) years.set(lookup.recordingMbid, lookup);
  }
  return years;
}

/** Plays whose track MBID MusicBrainz knows: their recording and its year, in one statement. */
async function dateByTrackMbid(scope: YearScope, source: RecordingSource, now: Date): Promise<number> {
  const { userId, from, to } = scope;
  const rows = await db().$queryRaw<{ mbid: string }[]>`
    SELECT DISTINCT track_mbid::text AS mbid FROM scrobbles
     WHERE user_id = ${userId} AND scrobbled_at >= ${from} AND scrobbled_at < ${to}
       AND recording_status = 'pending' AND track_mbid IS NOT NULL`;
  const years = await findYears(
    source,
    rows.map((row) => row.mbid),
    now,
  );
  const known = [...years.values()].filter((lookup) => lookup.isKnown);
  if (known.length === 0) return 0;
  return db().$executeRaw`
    UPDATE scrobbles s SET recording_mbid = s.track_mbid, recording_year = x.year,
      recording_status = (CASE WHEN x.year IS NULL THEN 'not_found' ELSE 'matched' END)::augmentation_status
      FROM unnest(${known.map((l) => l.recordingMbid)}::uuid[], ${known.map((l) => l.year)}::smallint[]) AS x(mbid, year)
     WHERE s.user_id = ${userId} AND s.scrobbled_at >= ${from} AND s.scrobbled_at < ${to}
       AND s.recording_status = 'pending' AND s.track_mbid = x.mbid`;
}

type NamedSong = SongPair & { artistKey: string; trackKey: string; rgKey: string };
type SongAnswer = { recordingMbid: string | null; year: number | null };

const songKey = (song: { artistKey: string; trackKey: string; rgKey: string }) =>
  `${song.artistKey}\u0000${song.trackKey}\u0000${song.rgKey}`;

async function readNames(songs: NamedSong[], now: Date): Promise<Map<string, SongAnswer>> {
  const rows = await db().$queryRaw<
    { artist_key: string; track_key: string; rg: string; mbid: string | null; year: number | null }[]
  >`
    SELECT c.artist_key, c.track_key, c.release_group_mbid AS rg, c.recording_mbid::text AS mbid,
           c.first_release_year AS year
      FROM unnest(${songs.map((s) => s.artistKey)}::text[], ${songs.map((s) => s.trackKey)}::text[],
                  ${songs.map((s) => s.rgKey)}::text[]) AS k(a, t, rg)
      JOIN recording_name_cache c ON c.artist_key = k.a AND c.track_key = k.t AND c.release_group_mbid = k.rg
     WHERE c.retry_after IS NULL OR c.retry_after > ${now}`;
  return new Map(
    rows.map((row) => [
      songKey({ artistKey: row.artist_key, trackKey: row.track_key, rgKey: row.rg }),
      { recordingMbid: row.mbid, year: row.year },
    ]),
  );
}

async function saveNames(songs: NamedSong[], answers: SongAnswer[], now: Date): Promise<void> {
  if (songs.length === 0) return;
  const retryAt = new Date(now.getTime() + NEGATIVE_RETRY_MS);
  await db().$executeRaw`
    INSERT INTO recording_name_cache (artist_key, track_key, release_group_mbid, recording_mbid, first_release_year,
                                      looked_up_at, retry_after)
    SELECT t.a, t.t, t.rg, t.mbid, t.year, ${now}, CASE WHEN t.year IS NULL THEN ${retryAt}::timestamptz END
      FROM unnest(${songs.map((s) => s.artistKey)}::text[], ${songs.map((s) => s.trackKey)}::text[],
                  ${songs.map((s) => s.rgKey)}::text[], ${answers.map((a) => a.recordingMbid)}::uuid[],
                  ${answers.map((a) => a.year)}::smallint[]) AS t(a, t, rg, mbid, year)
    ON CONFLICT (artist_key, track_key, release_group_mbid) DO UPDATE SET recording_mbid = EXCLUDED.recording_mbid,
      first_release_year = EXCLUDED.first_release_year, looked_up_at = EXCLUDED.looked_up_at,
      retry_after = EXCLUDED.retry_after`;
}

async function applyNames(scope: YearScope, songs: NamedSong[], answers: Map<string, SongAnswer>): Promise<number> {
  const { userId, from, to } = scope;
  const found = songs.filter((song) => answers.get(songKey(song))?.recordingMbid);
  if (found.length === 0) return 0;
  const answer = (song: NamedSong) => answers.get(songKey(song)) as SongAnswer;
  return db().$executeRaw`
    UPDATE scrobbles s SET recording_mbid = x.mbid, recording_year = x.year,
      recording_status = (CASE WHEN x.year IS NULL THEN 'not_found' ELSE 'fuzzy_matched' END)::augmentation_status
      FROM unnest(${found.map((s) => s.artist)}::text[], ${found.map((s) => s.track)}::text[],
                  ${found.map((s) => s.releaseGroupMbid ?? "")}::text[], ${found.map((s) => answer(s).recordingMbid)}::uuid[],
                  ${found.map((s) => answer(s).year)}::smallint[]) AS x(artist, track, rg, mbid, year)
     WHERE s.user_id = ${userId} AND s.scrobbled_at >= ${from} AND s.scrobbled_at < ${to}
       AND s.recording_status = 'pending' AND s.artist = x.artist AND s.track = x.track
       AND coalesce(s.release_group_mbid::text, '') = x.rg`;
}

/** The rest: by (artist, track) within the album's release group, else by name alone. */
async function dateByNames(scope: YearScope, source: RecordingSource, now: Date): Promise<number> {
  const { userId, from, to } = scope;
  const needed = source.matchesEverySong ? Prisma.sql`true` : Prisma.sql`(album = '' OR is_compilation)`;
  const rows = await db().$queryRaw<{ artist: string; track: string; rg: string | null }[]>`
    SELECT DISTINCT artist, track, release_group_mbid::text AS rg FROM scrobbles
     WHERE user_id = ${userId} AND scrobbled_at >= ${from} AND scrobbled_at < ${to} AND recording_status = 'pending'
       AND ${needed}`;
  const songs: NamedSong[] = rows.map((row) => ({
    artist: row.artist,
    track: row.track,
    releaseGroupMbid: row.rg,
    artistKey: foldName(row.artist),
    trackKey: titleKeys(row.track).full,
    rgKey: row.rg ?? "",
  }));
  let dated = 0;
  for (const batch of chunk(songs, BATCH)) {
    const answers = await readNames(batch, now);
    const unknown = batch.filter((song) => !answers.has(songKey(song)));
    if (unknown.length > 0) {
      const matches = await source.matchRecordings(unknown);
      const years = await findYears(source, [...new Set(matches.filter((m): m is string => m !== null))], now);
      const fresh = matches.map((mbid) => ({
        recordingMbid: mbid,
        year: mbid ? (years.get(mbid)?.year ?? null) : null,
      }));
      await saveNames(unknown, fresh, now);
      for (const [i, song] of unknown.entries()) answers.set(songKey(song), fresh[i]);
    }
    dated += await applyNames(scope, batch, answers);
  }
  // What nothing could name stays undated by song; a later import asks again once the cache allows.
  await db().$executeRaw`
    UPDATE scrobbles SET recording_status = 'not_found'
     WHERE user_id = ${userId} AND scrobbled_at >= ${from} AND scrobbled_at < ${to} AND recording_status = 'pending'`;
  return dated;
}

/** Dates every play of the window by its song. Returns how many plays found their recording each way. */
export async function dateSongsForYear(scope: YearScope, source: RecordingSource): Promise<SongProgress> {
  const now = new Date();
  const byMbid = await dateByTrackMbid(scope, source, now);
  const byName = await dateByNames(scope, source, now);
  const [{ dated }] = await db().$queryRaw<{ dated: number }[]>`
    SELECT count(*)::int AS dated FROM scrobbles
     WHERE user_id = ${scope.userId} AND scrobbled_at >= ${scope.from} AND scrobbled_at < ${scope.to}
       AND recording_year IS NOT NULL`;
  return { byMbid, byName, dated };
}
