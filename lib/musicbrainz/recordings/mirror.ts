// Songs on a MusicBrainz mirror: a recording's first release year by MBID, and a play's recording found by
// its (artist, track) names within the album's release group, or among all recordings of that name.
import type pg from "pg";
import { chunk, mapPool } from "@/lib/server/concurrency";
import { log } from "@/lib/server/log";
import { artistVariants } from "@/lib/musicbrainz/matching/mirror-matcher";
import { createMirrorPool, MIRROR_PARALLEL_BATCHES, MusicbrainzUnavailableError } from "@/lib/musicbrainz/sources";
import { chooseRecording, type RecordingCandidate, type RecordingLookup, type SongPair } from "./choose";

export const RECORDING_BATCH_SIZE = 1000;

const folded = (expression: string) => `lower(musicbrainz.musicbrainz_unaccent(${expression}))`;

/**
 * Release events of releases that count (Cancelled ones do not), as the official release_event view
 * unions them; a mirror without release_country (the test mirror) has the unknown-country ones only.
 */
function eventsSql(hasCountries: boolean): string {
  const unknown = "SELECT release, date_year FROM musicbrainz.release_unknown_country";
  return hasCountries
    ? `(${unknown} UNION ALL SELECT release, date_year FROM musicbrainz.release_country)`
    : `(${unknown})`;
}

/**
 * By recording MBID: the materialized recording_first_release_date when the mirror has built it, else
 * the earliest dated release holding the recording (track → medium → release → release events).
 */
function lookupSql(materialized: boolean, hasCountries: boolean): string {
  const year = materialized
    ? "(SELECT d.year FROM musicbrainz.recording_first_release_date d WHERE d.recording = r.id)"
    : `(SELECT min(e.date_year) FROM musicbrainz.track t JOIN musicbrainz.medium m ON m.id = t.medium
          JOIN musicbrainz.release rl ON rl.id = m.release JOIN ${eventsSql(hasCountries)} e ON e.release = rl.id
         WHERE t.recording = r.id AND rl.status IS DISTINCT FROM 6)`;
  return `
WITH input(mbid) AS (SELECT DISTINCT unnest($1::uuid[]))
SELECT i.mbid::text AS mbid, r.gid IS NOT NULL AS found, ${year} AS year
  FROM input i LEFT JOIN musicbrainz.recording r ON r.gid = i.mbid`;
}

/** The recordings on every release of the pairs' release groups (a tracklist is tens of rows). */
const IN_GROUP_SQL = `
WITH input AS (SELECT * FROM unnest($1::int[], $2::uuid[]) AS t(i, rg))
SELECT DISTINCT input.i, rec.gid::text AS mbid, rec.name, ac.name AS artist
  FROM input JOIN musicbrainz.release_group g ON g.gid = input.rg
  JOIN musicbrainz.release rl ON rl.release_group = g.id
  JOIN musicbrainz.medium m ON m.release = rl.id
  JOIN musicbrainz.track t ON t.medium = m.id
  JOIN musicbrainz.recording rec ON rec.id = t.recording
  JOIN musicbrainz.artist_credit ac ON ac.id = rec.artist_credit`;

/**
 * Recordings named like the track (accent- and case-folded; with and without a "- 2011 Remaster" suffix) by
 * the pair's artist: through the artist (or the whole credit) first, so a common title such as "Intro"
 * never lists every recording of that name. Each variant of the artist ("A feat. B" → A, B) is a row. An artist
 * found by an alias ("Lilas Ikuta" for 幾田りら) answers under the name the play gave, so the artist check agrees.
 */
const BY_NAME_SQL = `
WITH input AS (SELECT * FROM unnest($1::int[], $2::text[], $3::text[], $4::text[]) AS t(i, artist, track, base)),
credits AS (
  SELECT input.i, acn.artist_credit AS credit, NULL::text AS alias FROM input
    JOIN musicbrainz.artist a ON ${folded("a.name")} = ${folded("input.artist")}
    JOIN musicbrainz.artist_credit_name acn ON acn.artist = a.id
  UNION SELECT input.i, ac.id, NULL FROM input
    JOIN musicbrainz.artist_credit ac ON ${folded("ac.name")} = ${folded("input.artist")}
  UNION SELECT input.i, acn.artist_credit, input.artist FROM input
    JOIN musicbrainz.artist_alias al ON ${folded("al.name")} = ${folded("input.artist")}
    JOIN musicbrainz.artist_credit_name acn ON acn.artist = al.artist)
SELECT DISTINCT c.i, rec.gid::text AS mbid, rec.name, coalesce(c.alias, ac.name) AS artist
  FROM credits c JOIN input ON input.i = c.i
  JOIN musicbrainz.recording rec ON rec.artist_credit = c.credit
   AND ${folded("rec.name")} IN (${folded("input.track")}, ${folded("input.base")})
  JOIN musicbrainz.artist_credit ac ON ac.id = rec.artist_credit`;

type CandidateRow = { i: number; mbid: string; name: string; artist: string };

export class MirrorRecordingSource {
  readonly matchesEverySong = true;
  private readonly pool: pg.Pool;
  private shape: { materialized: boolean; hasCountries: boolean } | undefined;

  constructor(databaseUrl: string) {
    this.pool = createMirrorPool(databaseUrl, 2);
  }

  private async query<T extends pg.QueryResultRow>(sql: string, values: unknown[]): Promise<T[]> {
    try {
      return (await this.pool.query<T>(sql, values)).rows;
    } catch (error) {
      throw new MusicbrainzUnavailableError(`MusicBrainz mirror recording query failed: ${(error as Error).message}`);
    }
  }

  /** recording_first_release_date is derived: a replicated mirror may never have built it. */
  private async mirrorShape() {
    if (this.shape) return this.shape;
    const [row] = await this.query<{ materialized: boolean; countries: boolean }>(
      `SELECT to_regclass('musicbrainz.recording_first_release_date') IS NOT NULL
              AND EXISTS (SELECT 1 FROM musicbrainz.recording_first_release_date) AS materialized,
              to_regclass('musicbrainz.release_country') IS NOT NULL AS countries`,
      [],
    );
    this.shape = { materialized: row.materialized, hasCountries: row.countries };
    if (!row.materialized)
      log.warn("recording_first_release_date is empty on the MusicBrainz mirror: dating songs from release events");
    return this.shape;
  }

  async lookupRecordings(mbids: string[]): Promise<RecordingLookup[]> {
    const { materialized, hasCountries } = await this.mirrorShape();
    const batches = await mapPool(chunk(mbids, RECORDING_BATCH_SIZE), MIRROR_PARALLEL_BATCHES, (batch) =>
      this.query<{ mbid: string; found: boolean; year: number | null }>(lookupSql(materialized, hasCountries), [batch]),
    );
    return batches.flat().map((row) => ({ recordingMbid: row.mbid, isKnown: row.found, year: row.year }));
  }

  /** One recording MBID per pair, or null: within the pair's release group first, then by name alone. */
  async matchRecordings(pairs: SongPair[]): Promise<(string | null)[]> {
    const answers: (string | null)[] = pairs.map(() => null);
    const inGroup = [...pairs.keys()].filter((i) => pairs[i].releaseGroupMbid);
    await mapPool(chunk(inGroup, RECORDING_BATCH_SIZE), MIRROR_PARALLEL_BATCHES, async (batch) => {
      const rows = await this.query<CandidateRow>(IN_GROUP_SQL, [batch, batch.map((i) => pairs[i].releaseGroupMbid)]);
      for (const [i, candidates] of groupByPair(rows)) answers[i] = chooseRecording(pairs[i], candidates, true);
    });
    const rest = [...pairs.keys()].filter((i) => answers[i] === null);
    await mapPool(chunk(rest, RECORDING_BATCH_SIZE), MIRROR_PARALLEL_BATCHES, async (batch) => {
      const rows: number[] = [];
      const artists: string[] = [];
      for (const i of batch) for (const artist of artistVariants(pairs[i].artist)) rows.push(i), artists.push(artist);
      const candidates = await this.query<CandidateRow>(BY_NAME_SQL, [
        rows,
        artists,
        rows.map((i) => pairs[i].track),
        rows.map((i) => baseTrackName(pairs[i].track)),
      ]);
      for (const [i, found] of groupByPair(candidates)) answers[i] = chooseRecording(pairs[i], found, false);
    });
    return answers;
  }

  async close(): Promise<void> {
    await this.pool.end();
  }
}

/** "Song - 2011 Remaster" → "Song": store and remaster suffixes are not part of a song's name. */
export function baseTrackName(track: string): string {
  return track.replace(/\s+[-–—]\s+[^-–—]*\b(remaster(ed)?|mono|stereo|version|edit|mix)\b[^-–—]*$/i, "").trim();
}

function groupByPair(rows: CandidateRow[]): Map<number, RecordingCandidate[]> {
  const byPair = new Map<number, RecordingCandidate[]>();
  for (const row of rows) {
    const list = byPair.get(row.i) ?? [];
    list.push({ recordingMbid: row.mbid, name: row.name, artistName: row.artist });
    byPair.set(row.i, list);
  }
  return byPair;
}
