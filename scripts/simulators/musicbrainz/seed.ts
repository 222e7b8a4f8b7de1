// npm run mb:seed – (re)load the MusicBrainz test mirror: schema `musicbrainz` holding the
// catalog's real albums plus `--scale` generated releases. Like a real mirror, derived data
// (release_group_meta) is loaded as rows, and some release groups have no meta row at all.
import { createNameIndexes } from "@/lib/musicbrainz/matching/mirror-index";
import { readFileSync } from "node:fs";
import { pathToFileURL } from "node:url";
import { parseArgs } from "node:util";
import pg from "pg";
import { parse as parseConnectionString } from "pg-connection-string";
import {
  buildCatalog,
  DEFAULT_SEED,
  generatedRelease,
  type ReleaseGroup,
  recordingsOf,
  SCROBBLED_GENERATED_RELEASES,
} from "@/scripts/simulators/catalog";
import { MirrorWriter } from "./mirror-writer";

export const MAX_SCALE = 1_000_000;
const CHUNK = 10_000;
const SCHEMA_SQL = new URL("./schema.sql", import.meta.url);
const INDEXES_SQL = new URL("./indexes.sql", import.meta.url);

export type SeedProgress = { phase: "load" | "index" | "analyze"; done: number; total: number };

export type SeedOptions = {
  databaseUrl: string;
  /** Generated releases on top of the real albums (default SCROBBLED_GENERATED_RELEASES). */
  scale?: number;
  seed?: number;
  /** Leave a mirror that already holds releases as it is (demo start-up). */
  ifEmpty?: boolean;
  /** Leave a mirror seeded with this version of the catalog and schema as it is (demo start-up). */
  ifCurrent?: boolean;
  onProgress?: (progress: SeedProgress) => void;
};

export type SeedResult = { rows: Record<string, number>; ms: number; skipped: boolean };

/** Creates the database if needed, replaces schema musicbrainz, loads, indexes and analyzes. */
export async function seedMirror({
  databaseUrl,
  scale = SCROBBLED_GENERATED_RELEASES,
  seed = DEFAULT_SEED,
  ifEmpty = false,
  ifCurrent = false,
  onProgress = () => {},
}: SeedOptions): Promise<SeedResult> {
  if (!Number.isInteger(scale) || scale < 0 || scale > MAX_SCALE)
    throw new RangeError(`scale must be an integer in 0..${MAX_SCALE}`);
  const started = performance.now();
  await createDatabaseIfMissing(databaseUrl);

  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    if ((ifEmpty && (await hasReleases(client))) || (ifCurrent && (await isCurrent(client))))
      return { rows: {}, ms: Math.round(performance.now() - started), skipped: true };
    // One transaction: readers see the old mirror or the whole new one, and a failed load leaves nothing behind.
    await client.query("BEGIN");
    await client.query("SET LOCAL maintenance_work_mem = '256MB'");
    await client.query("DROP SCHEMA IF EXISTS musicbrainz CASCADE");
    await client.query(readFileSync(SCHEMA_SQL, "utf8"));
    await client.query(`DO $$ BEGIN
      EXECUTE format('ALTER DATABASE %I SET search_path = musicbrainz, public', current_database());
    END $$`);

    const writer = new MirrorWriter(client);
    await writer.writeTypeRows();

    const real = buildCatalog(seed, 0);
    for (const group of real.releaseGroups.values()) {
      writer.addGroup(group);
      writer.addRecordings(group, recordingsOf(seed, group));
    }
    for (const release of real.releases.values()) {
      const group = real.releaseGroups.get(release.releaseGroupGid) as ReleaseGroup;
      writer.addRelease(release, recordingsOf(seed, group));
    }
    for (const redirect of real.redirects) writer.addRedirect(redirect);

    let pending = writer.flush();
    for (let start = 0; start < scale; start += CHUNK) {
      for (let i = start; i < Math.min(start + CHUNK, scale); i++) {
        const { release, group, redirects, origin } = generatedRelease(seed, i);
        // A reissue belongs to the previous release's group, whose recordings it holds.
        const owner = group ?? (generatedRelease(seed, i - 1).group as ReleaseGroup);
        if (group) {
          writer.addGroup(group);
          writer.addRecordings(group, recordingsOf(seed, group));
        }
        const recordings = recordingsOf(seed, owner);
        writer.addRelease(release, recordings);
        if (origin) {
          writer.addGroup(origin.group);
          writer.addRelease(origin.release, recordings);
        }
        for (const redirect of redirects) writer.addRedirect(redirect);
      }
      // Generate the next chunk while Postgres copies this one: the two use separate cores.
      await pending;
      pending = writer.flush();
      onProgress({ phase: "load", done: Math.min(start + CHUNK, scale), total: scale });
    }
    await pending;
    await writer.dropReplacedRows();
    await writer.writeMeta();

    const statements = sqlStatements(readFileSync(INDEXES_SQL, "utf8"));
    for (const [i, statement] of statements.entries()) {
      await client.query(statement);
      onProgress({ phase: "index", done: i + 1, total: statements.length });
    }
    await writer.writeRedirects();
    await createNameIndexes(client, { concurrently: false });
    await resetSequences(client);
    await client.query(`COMMENT ON TABLE musicbrainz.release_group IS '${SEED_VERSION}'`);
    onProgress({ phase: "analyze", done: 0, total: 1 });
    const { rows } = await client.query(
      "SELECT string_agg(format('%I.%I', schemaname, tablename), ', ') AS tables FROM pg_tables WHERE schemaname = 'musicbrainz'",
    );
    await client.query(`ANALYZE ${rows[0].tables}`);
    await client.query("COMMIT");
    onProgress({ phase: "analyze", done: 1, total: 1 });
    return { rows: writer.rows(), ms: Math.round(performance.now() - started), skipped: false };
  } catch (error) {
    await client.query("ROLLBACK").catch(() => {});
    throw error;
  } finally {
    await client.end();
  }
}

async function createDatabaseIfMissing(databaseUrl: string) {
  const { database, ...config } = parseConnectionString(databaseUrl);
  if (!database) throw new Error("the database URL names no database");
  const admin = new pg.Client({ ...config, database: "postgres" } as pg.ClientConfig);
  await admin.connect();
  try {
    const { rowCount } = await admin.query("SELECT 1 FROM pg_database WHERE datname = $1", [database]);
    if (!rowCount) await admin.query(`CREATE DATABASE ${pg.escapeIdentifier(database)}`);
  } finally {
    await admin.end();
  }
}

/** Bumped when the catalog or the mirror's tables change, so an older demo mirror is seeded again. */
export const SEED_VERSION = "lyfm-seed-2026-11-29-recordings";

async function isCurrent(client: pg.Client): Promise<boolean> {
  const { rows } = await client.query(
    // to_regclass, not a ::regclass cast: the cast is resolved while planning and fails on a mirror never seeded.
    "SELECT coalesce(obj_description(to_regclass('musicbrainz.release_group'), 'pg_class') = $1, false) AS current",
    [SEED_VERSION],
  );
  return rows[0].current === true;
}

async function hasReleases(client: pg.Client): Promise<boolean> {
  const { rows } = await client.query("SELECT to_regclass('musicbrainz.release') IS NOT NULL AS present");
  if (!rows[0].present) return false;
  return (await client.query("SELECT 1 FROM musicbrainz.release LIMIT 1")).rowCount !== 0;
}

function sqlStatements(sql: string): string[] {
  return sql
    .split(/;\s*\n/)
    .map((statement) => statement.replace(/^\s*--.*$/gm, "").trim())
    .filter(Boolean);
}

// Ids are assigned here, so the serial sequences must be moved past them for later inserts.
async function resetSequences(client: pg.Client) {
  for (const table of ["artist", "artist_alias", "artist_credit", "release", "release_group"]) {
    await client.query(
      `SELECT setval(pg_get_serial_sequence('musicbrainz.${table}', 'id'), coalesce(max(id), 0) + 1, false) FROM musicbrainz.${table}`,
    );
  }
}

function renderProgress(stream: NodeJS.WriteStream): (progress: SeedProgress) => void {
  const started = performance.now();
  let lastLogged = -1;
  return ({ phase, done, total }) => {
    const fraction = total ? done / total : 1;
    const seconds = ((performance.now() - started) / 1000).toFixed(1);
    const label =
      phase === "load"
        ? `${done.toLocaleString("en")}/${total.toLocaleString("en")} generated releases`
        : phase === "index"
          ? `${done}/${total} keys and indexes`
          : "tables";
    if (stream.isTTY) {
      const width = 30;
      const bar = "#".repeat(Math.round(fraction * width)).padEnd(width, ".");
      stream.write(`\r\x1b[2K[${bar}] ${phase.padEnd(7)} ${label} ${seconds}s`);
      if (phase === "analyze" && done === total) stream.write("\n");
      return;
    }
    // Logs and CI: a line per tenth of each phase, not one per chunk.
    const step = Math.floor(fraction * 10) + (phase === "load" ? 0 : phase === "index" ? 100 : 200);
    if (step !== lastLogged) {
      lastLogged = step;
      stream.write(`mb:seed ${phase} ${label} (${seconds}s)\n`);
    }
  };
}

async function main() {
  const { values } = parseArgs({
    options: {
      "database-url": { type: "string" },
      scale: { type: "string" },
      seed: { type: "string" },
      help: { type: "boolean", short: "h" },
    },
  });
  if (values.help) {
    process.stdout.write(
      "Usage: npm run mb:seed -- [--database-url URL] [--scale N] [--seed N]\n" +
        `  --database-url  default $MUSICBRAINZ_DATABASE_URL; the database is created if missing\n` +
        `  --scale         generated releases, 0..${MAX_SCALE} (default ${SCROBBLED_GENERATED_RELEASES})\n` +
        `  --seed          catalog seed (default ${DEFAULT_SEED})\n`,
    );
    return;
  }
  const databaseUrl = values["database-url"] ?? process.env.MUSICBRAINZ_DATABASE_URL;
  if (!databaseUrl) throw new Error("set MUSICBRAINZ_DATABASE_URL or pass --database-url");
  const scale = values.scale === undefined ? SCROBBLED_GENERATED_RELEASES : Number(values.scale);
  const seed = values.seed === undefined ? DEFAULT_SEED : Number(values.seed);
  if (scale < SCROBBLED_GENERATED_RELEASES) {
    process.stderr.write(
      `mb:seed: warning: the Last.fm simulator scrobbles from the first ${SCROBBLED_GENERATED_RELEASES} generated releases; --scale ${scale} leaves some unknown\n`,
    );
  }
  const { rows, ms } = await seedMirror({ databaseUrl, scale, seed, onProgress: renderProgress(process.stderr) });
  const summary = Object.entries(rows)
    .map(([table, count]) => `${table} ${count.toLocaleString("en")}`)
    .join(", ");
  process.stdout.write(`Seeded ${new URL(databaseUrl).pathname.slice(1)} in ${(ms / 1000).toFixed(1)}s: ${summary}\n`);
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  main().catch((error: unknown) => {
    process.stderr.write(`\nmb:seed: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exitCode = 1;
  });
}
