// Matching by name against a MusicBrainz mirror: two SQL round trips per batch of pairs. Artists are found
// by lower(musicbrainz_unaccent(name)) on artists, aliases and credits (btree), then by trigram similarity (GIN) for pairs with
// no exact artist; their release groups and releases come back as candidates, pre-filtered by title
// similarity, and chooseMatch decides. Indexes: lib/musicbrainz/matching/mirror-index.ts (`npm run mb:index`).
import type pg from "pg";
import { log } from "@/lib/server/log";
import { createMirrorPool, MIRROR_PARALLEL_BATCHES, MusicbrainzUnavailableError } from "@/lib/musicbrainz/sources";
import { chunk, mapPool } from "@/lib/server/concurrency";
import { type Candidate, chooseMatch, type NameMatch, type NamePair } from "./choose";
import type { NameMatcher } from "./matcher";
import { splitCollaborators, titleKeys } from "./normalize";

export const NAME_BATCH_SIZE = 500;
/** pg_trgm's `%` threshold for artist names with no exact match. */
const ARTIST_TRGM_THRESHOLD = 0.6;
/** Candidate titles below this similarity to the pair's title never reach chooseMatch. */
const TITLE_PREFILTER = 0.3;

/** Artist and title keys as the official index artist_idx_lower_unaccent_name_comment reads them. */
const folded = (expression: string) => `lower(musicbrainz.musicbrainz_unaccent(${expression}))`;

/**
 * MusicBrainz's special-purpose artists: "Various Artists" alone holds hundreds of thousands of release
 * groups on a real mirror, so their credits are searched by title, never by listing all they hold.
 */
export const SPECIAL_PURPOSE_ARTISTS = [
  "89ad4ac3-39f7-470e-963a-56509c546377", // Various Artists
  "125ec42a-7229-4250-afc5-e057484327fe", // [unknown]
  "f731ccc4-e22a-43af-a747-64213329e088", // [anonymous]
  "9be7f096-97ec-4615-8957-8d40b5dcbc41", // [traditional]
];

// Two round trips per batch: the artists first, then their names. One statement chaining both lets the
// planner multiply its guesses into millions of rows and hash whole tables; apart, each side is probed
// through its index with real row counts. Names compare accent-folded ("Sigur Ros" is "Sigur Rós"),
// through MusicBrainz's own musicbrainz_unaccent(), so the official indexes serve artists and aliases.
const EXACT_CREDITS = `
exact AS (
  SELECT input.i, acn.artist_credit AS credit, a.name AS artist_name
    FROM input JOIN musicbrainz.artist a ON ${folded("a.name")} = ${folded("input.artist")}
    JOIN musicbrainz.artist_credit_name acn ON acn.artist = a.id
  UNION SELECT input.i, acn.artist_credit, al.name
    FROM input JOIN musicbrainz.artist_alias al ON ${folded("al.name")} = ${folded("input.artist")}
    JOIN musicbrainz.artist_credit_name acn ON acn.artist = al.artist
  UNION SELECT input.i, ac.id, ac.name
    FROM input JOIN musicbrainz.artist_credit ac ON ${folded("ac.name")} = ${folded("input.artist")})`;

const FUZZY_CREDITS = `
fuzzy AS (
  SELECT input.i, acn.artist_credit AS credit, a.name AS artist_name
    FROM input JOIN musicbrainz.artist a ON ${folded("a.name")} OPERATOR(public.%) ${folded("input.artist")}
    JOIN musicbrainz.artist_credit_name acn ON acn.artist = a.id
   WHERE NOT EXISTS (SELECT 1 FROM exact e WHERE e.i = input.i)
  UNION SELECT input.i, acn.artist_credit, al.name
    FROM input JOIN musicbrainz.artist_alias al ON ${folded("al.name")} OPERATOR(public.%) ${folded("input.artist")}
    JOIN musicbrainz.artist_credit_name acn ON acn.artist = al.artist
   WHERE NOT EXISTS (SELECT 1 FROM exact e WHERE e.i = input.i))`;

/** The artists' credits: exact names first, trigram-similar ones for pairs with none (needs pg_trgm). */
function creditsSql(trigrams: boolean): string {
  return `WITH input AS (SELECT * FROM unnest($1::int[], $2::text[]) AS t(i, artist)),${EXACT_CREDITS}${
    trigrams ? `,${FUZZY_CREDITS}` : ""
  }
SELECT c.i, c.credit, c.artist_name, EXISTS (
         SELECT 1 FROM musicbrainz.artist_credit_name x JOIN musicbrainz.artist sa ON sa.id = x.artist
          WHERE x.artist_credit = c.credit AND sa.gid = ANY($3::uuid[])) AS large
  FROM (SELECT i, credit, artist_name FROM exact${
    trigrams ? " UNION SELECT i, credit, artist_name FROM fuzzy" : ""
  }) c`;
}

function candidatesSql(trigrams: boolean): string {
  // Without pg_trgm every name of the artist comes back; chooseMatch scores them all the same way.
  const filter = trigrams
    ? `WHERE lower(n.title) = lower(t.raw)
    OR public.similarity(${folded("n.title")}, t.base_key) >= ${TITLE_PREFILTER}
    OR public.similarity(${folded("n.title")}, t.full_key) >= ${TITLE_PREFILTER}`
    : "";
  // A large credit (Various Artists) is searched by the title as written, with and without its edition
  // suffix, through the lyfm_ title indexes; every other credit lists its own release groups and releases.
  // "artist_credit + 0" keeps the planner off the credit index, whose average of a few rows per credit
  // hides that this one credit holds tens of thousands.
  const sameTitle = (column: string) => `${folded(column)} IN (${folded("t.raw")}, ${folded("t.base_raw")})`;
  return `
WITH credits AS (SELECT * FROM unnest($1::int[], $2::int[], $3::text[], $4::bool[]) AS c(i, credit, artist_name, large)),
titles AS (SELECT * FROM unnest($5::int[], $6::text[], $7::text[], $8::text[], $9::text[]) AS t(i, raw, full_key, base_key, base_raw)),
names AS (
  SELECT c.i, c.artist_name, g.id AS rg, g.name AS title
    FROM credits c JOIN musicbrainz.release_group g ON g.artist_credit = c.credit WHERE NOT c.large
  UNION SELECT c.i, c.artist_name, r.release_group, r.name
    FROM credits c JOIN musicbrainz.release r ON r.artist_credit = c.credit WHERE NOT c.large
  UNION SELECT c.i, c.artist_name, g.id, g.name
    FROM credits c JOIN titles t ON t.i = c.i JOIN musicbrainz.release_group g ON ${sameTitle("g.name")}
   WHERE c.large AND g.artist_credit + 0 = c.credit
  UNION SELECT c.i, c.artist_name, r.release_group, r.name
    FROM credits c JOIN titles t ON t.i = c.i JOIN musicbrainz.release r ON ${sameTitle("r.name")}
   WHERE c.large AND r.artist_credit + 0 = c.credit)
SELECT n.i, n.artist_name, n.title, g.gid::text AS rg_mbid, g.name AS rg_name,
       m.first_release_date_year AS year, pt.name AS primary_type,
       ARRAY(SELECT st.name FROM musicbrainz.release_group_secondary_type_join j
               JOIN musicbrainz.release_group_secondary_type st ON st.id = j.secondary_type
              WHERE j.release_group = g.id) AS secondary_types
  FROM names n JOIN titles t ON t.i = n.i
  JOIN musicbrainz.release_group g ON g.id = n.rg
  LEFT JOIN musicbrainz.release_group_meta m ON m.id = g.id
  LEFT JOIN musicbrainz.release_group_primary_type pt ON pt.id = g.type
 ${filter}`;
}

type Row = {
  i: number;
  artist_name: string;
  title: string;
  rg_mbid: string;
  rg_name: string;
  year: number | null;
  primary_type: string | null;
  secondary_types: string[];
};

/** Each collaborator of "A feat. B" is looked up too, as written (lower() does the rest in SQL). */
export function artistVariants(artist: string): string[] {
  const parts = splitCollaborators(artist);
  const variants = [artist.trim()];
  if (parts.length > 1) for (const part of parts) if (!variants.includes(part)) variants.push(part);
  // "The Chemical Brothers" written without "The", or with one too many.
  const head = variants[0];
  variants.push(/^the\s/i.test(head) ? head.replace(/^the\s+/i, "") : `The ${head}`);
  return variants;
}

export class MirrorNameMatcher implements NameMatcher {
  readonly kind = "mirror";
  private readonly pool: pg.Pool;
  private trigrams: boolean | undefined;

  constructor(databaseUrl: string) {
    this.pool = createMirrorPool(databaseUrl, 2);
  }

  async matchPairs(pairs: NamePair[]): Promise<(NameMatch | null)[]> {
    const batches = await mapPool(chunk(pairs, NAME_BATCH_SIZE), MIRROR_PARALLEL_BATCHES, async (batch) => {
      const byPair = new Map<number, Candidate[]>();
      for (const row of await this.query(batch)) {
        let list = byPair.get(row.i);
        if (!list) byPair.set(row.i, (list = []));
        list.push({
          releaseGroupMbid: row.rg_mbid,
          releaseGroupName: row.rg_name,
          title: row.title,
          artistName: row.artist_name,
          year: row.year,
          primaryType: row.primary_type,
          secondaryTypes: row.secondary_types,
        });
      }
      return batch.map((pair, i) => chooseMatch(pair, byPair.get(i) ?? []));
    });
    return batches.flat();
  }

  private async query(batch: NamePair[]): Promise<Row[]> {
    const artistIndex: number[] = [];
    const artists: string[] = [];
    const titleIndex: number[] = [];
    const raw: string[] = [];
    const fullKeys: string[] = [];
    const baseKeys: string[] = [];
    const baseRaw: string[] = [];
    for (const [i, pair] of batch.entries()) {
      for (const variant of artistVariants(pair.artist)) artistIndex.push(i), artists.push(variant);
      const keys = titleKeys(pair.album);
      titleIndex.push(i), raw.push(pair.album), fullKeys.push(keys.full), baseKeys.push(keys.base);
      baseRaw.push(keys.baseTitle);
    }
    let client: pg.PoolClient | undefined;
    try {
      client = await this.pool.connect();
      if (this.trigrams === undefined) {
        const { rows } = await client.query<{ ok: boolean }>(
          "SELECT to_regproc('public.similarity') IS NOT NULL AS ok",
        );
        this.trigrams = rows[0].ok;
        if (!this.trigrams)
          log.warn(
            "the MusicBrainz mirror has no pg_trgm: matching by name finds exact artist names only; run npm run mb:index",
          );
      }
      await client.query("BEGIN READ ONLY");
      if (this.trigrams) await client.query(`SET LOCAL pg_trgm.similarity_threshold = ${ARTIST_TRGM_THRESHOLD}`);
      const credits = await client.query<{ i: number; credit: number; artist_name: string; large: boolean }>(
        creditsSql(this.trigrams),
        [artistIndex, artists, SPECIAL_PURPOSE_ARTISTS],
      );
      const { rows } = await client.query<Row>(candidatesSql(this.trigrams), [
        credits.rows.map((row) => row.i),
        credits.rows.map((row) => row.credit),
        credits.rows.map((row) => row.artist_name),
        credits.rows.map((row) => row.large),
        titleIndex,
        raw,
        fullKeys,
        baseKeys,
        baseRaw,
      ]);
      await client.query("COMMIT");
      return rows;
    } catch (error) {
      await client?.query("ROLLBACK").catch(() => undefined);
      throw new MusicbrainzUnavailableError(`MusicBrainz mirror name query failed: ${(error as Error).message}`);
    } finally {
      client?.release();
    }
  }

  async close(): Promise<void> {
    await this.pool.end();
  }
}
