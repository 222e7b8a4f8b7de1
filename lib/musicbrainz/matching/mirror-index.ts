// The indexes matching by name needs on a MusicBrainz mirror. The official schema has none on lower(name)
// or trigrams; these are ours, prefixed lyfm_, built CONCURRENTLY (readers and replication go on) and
// IF NOT EXISTS (safe to run again). Replication writes the tables, never drops indexes it does not know.
import pg from "pg";

const FOLDED = "lower(musicbrainz.musicbrainz_unaccent(name))";

// Artists and aliases already have the official artist_idx_lower_unaccent_name_comment and
// artist_alias_idx_lower_unaccent_name; these add what the official schema lacks.
export const NAME_INDEXES: { name: string; sql: string }[] = [
  { name: "lyfm_artist_credit_unaccent_name", sql: `ON musicbrainz.artist_credit (${FOLDED})` },
  { name: "lyfm_artist_unaccent_name_trgm", sql: `ON musicbrainz.artist USING gin (${FOLDED} public.gin_trgm_ops)` },
  {
    name: "lyfm_artist_alias_unaccent_name_trgm",
    sql: `ON musicbrainz.artist_alias USING gin (${FOLDED} public.gin_trgm_ops)`,
  },
  // Various Artists compilations are found by title (lib/musicbrainz/matching/mirror-matcher.ts).
  { name: "lyfm_release_group_unaccent_name", sql: `ON musicbrainz.release_group (${FOLDED})` },
  { name: "lyfm_release_unaccent_name", sql: `ON musicbrainz.release (${FOLDED})` },
  // A play with no album finds its song by name (lib/musicbrainz/recordings/mirror.ts).
  { name: "lyfm_recording_unaccent_name", sql: `ON musicbrainz.recording (${FOLDED})` },
];

/** Earlier versions' indexes on lower(name): queries fold accents now, so these only cost writes. */
const OBSOLETE_INDEXES = [
  "lyfm_artist_lower_name",
  "lyfm_artist_alias_lower_name",
  "lyfm_artist_credit_lower_name",
  "lyfm_artist_name_trgm",
  "lyfm_artist_alias_name_trgm",
];

export type IndexProgress = { name: string; done: number; total: number; ms: number };

/** Creates pg_trgm and the name indexes; `concurrently: false` inside a fresh seed (faster, no readers yet). */
export async function createNameIndexes(
  client: pg.ClientBase,
  {
    concurrently = true,
    onProgress = () => {},
  }: { concurrently?: boolean; onProgress?: (p: IndexProgress) => void } = {},
): Promise<void> {
  await client.query("CREATE EXTENSION IF NOT EXISTS pg_trgm WITH SCHEMA public");
  for (const name of OBSOLETE_INDEXES)
    await client.query(`DROP INDEX ${concurrently ? "CONCURRENTLY " : ""}IF EXISTS musicbrainz.${name}`);
  for (const [i, index] of NAME_INDEXES.entries()) {
    const started = performance.now();
    // A failed CONCURRENTLY build leaves an INVALID index behind that IF NOT EXISTS would keep: drop it first.
    const { rows } = await client.query<{ valid: boolean }>(
      `SELECT i.indisvalid AS valid FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid
         JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = 'musicbrainz' AND c.relname = $1`,
      [index.name],
    );
    if (rows[0] && !rows[0].valid) await client.query(`DROP INDEX musicbrainz.${index.name}`);
    await client.query(`CREATE INDEX ${concurrently ? "CONCURRENTLY " : ""}IF NOT EXISTS ${index.name} ${index.sql}`);
    onProgress({ name: index.name, done: i + 1, total: NAME_INDEXES.length, ms: performance.now() - started });
  }
  // Statistics on the indexed expressions: without them the planner guesses that lower(name) = $1 matches
  // thousands of rows and scans whole tables instead of probing the index.
  await client.query(
    "ANALYZE musicbrainz.artist, musicbrainz.artist_alias, musicbrainz.artist_credit, musicbrainz.release_group, musicbrainz.release, musicbrainz.recording",
  );
}

/** Removes them again (the benchmark measures matching without them). */
export async function dropNameIndexes(client: pg.ClientBase): Promise<void> {
  for (const index of NAME_INDEXES) await client.query(`DROP INDEX IF EXISTS musicbrainz.${index.name}`);
}

export async function withMirrorClient<T>(databaseUrl: string, work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}
