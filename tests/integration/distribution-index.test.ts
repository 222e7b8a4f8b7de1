// At 1M rows the distribution query reads one user's year through the (user, time, year…) index,
// never by scanning the table.
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import pg from "pg";
import { createMigratedDatabase, dropDatabase } from "@/tests/support/databases";

const USERS = 20;
const PER_USER = 50_000;
let database: { name: string; url: string };
let client: pg.Client;

before(async () => {
  database = await createMigratedDatabase("lyfm_explain");
  client = new pg.Client({ connectionString: database.url });
  await client.connect();
  await client.query("SET synchronous_commit = off");
  await client.query(
    `INSERT INTO lastfm_users (name, name_key) SELECT 'u' || u, 'u' || u FROM generate_series(1, ${USERS}) u`,
  );
  await client.query(
    `INSERT INTO scrobbles (user_id, scrobbled_at, track, artist, album, release_group_mbid, release_year, augmentation_status)
     SELECT u, timestamptz '2023-01-01' + (n * interval '1260 seconds'), 't' || (n % 3000), 'a' || (n % 400), 'b' || (n % 600),
            md5('g' || (n % 600))::uuid, 1950 + (n % 75), 'matched'
       FROM generate_series(1, ${USERS}) u, generate_series(1, ${PER_USER}) n`,
  );
  await client.query("VACUUM ANALYZE scrobbles");
});
after(async () => {
  await client.end();
  await dropDatabase(database.name);
});

test("the distribution query of one user's year reads it through a (user, time) index at 1M rows, never a table scan", async () => {
  const { rows } = await client.query("SELECT count(*)::int AS n FROM scrobbles");
  assert.equal(rows[0].n, USERS * PER_USER);
  // The very statement getYearDistribution runs.
  process.env.DATABASE_URL = database.url;
  const { Prisma } = await import("@/generated/prisma/client");
  const { distributionSql } = await import("@/lib/imports/distribution");
  const { db, disconnectDb } = await import("@/lib/server/db");
  const query = distributionSql(7, new Date("2024-01-01T00:00:00Z"), new Date("2025-01-01T00:00:00Z"));
  const plan = await db().$queryRaw<{ "QUERY PLAN": unknown }[]>(Prisma.sql`EXPLAIN (FORMAT JSON) ${query}`);
  await disconnectDb();
  const text = JSON.stringify(plan[0]["QUERY PLAN"]);
  // Both indexes lead with (user_id, scrobbled_at); the planner picks by cost (index-only on the
  // narrow one once the visibility map is set, a bitmap scan on the natural key otherwise).
  assert.match(text, /"Index Name":"(scrobbles_user_time_year_idx|scrobbles_natural_key)"/, text);
  assert.match(text, /"Index Cond":"\(\(user_id = 7\) AND \(scrobbled_at >= /, text);
  assert.doesNotMatch(text, /"Node Type":"Seq Scan"/, text);
});
