// One seeded MusicBrainz test mirror per content version, shared read-only by every test file and run.
import { createHash } from "node:crypto";
import { readdirSync, readFileSync } from "node:fs";
import pg from "pg";
import { seedMirror } from "@/scripts/simulators/musicbrainz/seed";
import { databaseUrl, TEST_SERVER_URL } from "./databases";

const MIRROR_DIR = "scripts/simulators/musicbrainz";
const SOURCES = [
  "scripts/simulators/catalog.ts",
  "scripts/simulators/data/albums.csv",
  "scripts/simulators/data/real-world.csv",
  "lib/musicbrainz/matching/mirror-index.ts",
  ...readdirSync(MIRROR_DIR)
    .filter((file) => /\.(ts|sql)$/.test(file) && !file.endsWith(".test.ts"))
    .sort()
    .map((file) => `${MIRROR_DIR}/${file}`),
];

/** The mirror's database name changes with its sources, so a stale one is never reused. */
export function testMirrorName(): string {
  const hash = createHash("sha256");
  for (const source of SOURCES) hash.update(readFileSync(source));
  return `lyfm_mb_test_${hash.digest("hex").slice(0, 12)}`;
}

export async function ensureTestMirror(): Promise<string> {
  const name = testMirrorName();
  const url = databaseUrl(name);
  const lock = new pg.Client({ connectionString: TEST_SERVER_URL });
  await lock.connect();
  try {
    // Test files run in parallel processes: one seeds, the others wait and reuse.
    await lock.query("SELECT pg_advisory_lock(hashtext('lyfm-test-mirror'))");
    const { rowCount } = await lock.query("SELECT 1 FROM pg_database WHERE datname = $1", [name]);
    const marker = `${name}_ready`;
    const ready = rowCount ? await isMarked(url, marker) : false;
    if (!ready) {
      await seedMirror({ databaseUrl: url });
      await mark(url, marker);
    }
  } finally {
    await lock.query("SELECT pg_advisory_unlock(hashtext('lyfm-test-mirror'))").catch(() => undefined);
    await lock.end();
  }
  return url;
}

async function isMarked(url: string, marker: string): Promise<boolean> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const { rows } = await client.query("SELECT obj_description('musicbrainz'::regnamespace) = $1 AS ok", [marker]);
    return rows[0]?.ok === true;
  } catch {
    return false;
  } finally {
    await client.end();
  }
}

async function mark(url: string, marker: string): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(`COMMENT ON SCHEMA musicbrainz IS '${marker}'`);
  } finally {
    await client.end();
  }
}
