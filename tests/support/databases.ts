// Throwaway databases and Redis namespaces, so test runs never collide with each other or with dev data.
import { createHash, randomBytes } from "node:crypto";
import { readdirSync, readFileSync } from "node:fs";
import { spawnSync } from "node:child_process";
import { join, relative, resolve } from "node:path";
import { Redis } from "ioredis";
import pg from "pg";

/** The server tests create their databases on (trust auth locally; CI sets the same). */
export const TEST_SERVER_URL = process.env.TEST_DATABASE_SERVER_URL ?? "postgresql://postgres@127.0.0.1:5432/postgres";
export const TEST_REDIS_URL = process.env.TEST_REDIS_URL ?? "redis://127.0.0.1:6379";

export function uniqueName(prefix: string): string {
  return `${prefix}_${process.pid}_${randomBytes(3).toString("hex")}`;
}

export function databaseUrl(database: string): string {
  const url = new URL(TEST_SERVER_URL);
  url.pathname = `/${database}`;
  return url.toString();
}

async function admin<T>(work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: TEST_SERVER_URL });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

export async function createDatabase(name: string): Promise<string> {
  await admin((client) => client.query(`CREATE DATABASE "${name}"`));
  return databaseUrl(name);
}

export async function dropDatabase(name: string): Promise<void> {
  await admin((client) => client.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`));
}

/** Runs a Prisma CLI command against `url`; returns its exit code and output. */
export function runPrisma(args: string[], url: string): { status: number | null; output: string } {
  const result = spawnSync(process.execPath, [resolve("node_modules/prisma/build/index.js"), ...args], {
    env: { ...process.env, DATABASE_URL: url },
    encoding: "utf8",
  });
  return { status: result.status, output: `${result.stdout}\n${result.stderr}` };
}

/**
 * A database with every migration applied, built once per set of migrations and kept: each test file
 * copies it (CREATE DATABASE … TEMPLATE, ~0.1 s) instead of running `prisma migrate deploy` again (4–11 s
 * each, for some 25 files a run). Built under an advisory lock, so parallel runs build it once; older
 * templates beyond the newest few are dropped when the migrations change.
 */
async function migratedTemplate(): Promise<string> {
  const migrations = resolve("prisma/migrations");
  const hash = createHash("sha256");
  for (const entry of readdirSync(migrations, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile())
    .map((e) => join(e.parentPath, e.name))
    .sort()) {
    hash.update(relative(migrations, entry)).update(readFileSync(entry));
  }
  const template = `lyfm_template_${hash.digest("hex").slice(0, 16)}`;
  await admin(async (client) => {
    await client.query("SELECT pg_advisory_lock(hashtext('lyfm test template'))");
    try {
      const { rows } = await client.query<{ datname: string }>(
        "SELECT datname FROM pg_database WHERE datname LIKE 'lyfm\\_template\\_%' ORDER BY oid DESC",
      );
      if (rows.some((row) => row.datname === template)) return;
      // Other branches' runs may still copy theirs: only the oldest go (and any half-built one).
      for (const { datname } of rows.filter((row, i) => i >= 2 || row.datname.startsWith("lyfm_template_build")))
        await client
          .query(`ALTER DATABASE "${datname}" WITH IS_TEMPLATE false`)
          .then(() => client.query(`DROP DATABASE IF EXISTS "${datname}"`))
          .catch(() => undefined); // in use: next time
      // Built under another name and renamed when whole, so a failed build never looks like a template.
      const building = uniqueName("lyfm_template_build");
      await client.query(`CREATE DATABASE "${building}"`);
      const { status, output } = runPrisma(["migrate", "deploy"], databaseUrl(building));
      if (status !== 0) {
        await client.query(`DROP DATABASE IF EXISTS "${building}" WITH (FORCE)`);
        throw new Error(`migrate deploy failed: ${output}`);
      }
      await client.query(`ALTER DATABASE "${building}" RENAME TO "${template}"`);
      // Nobody may be connected to a template while it is copied; autovacuum leaves such a database alone.
      await client.query(`ALTER DATABASE "${template}" WITH IS_TEMPLATE true ALLOW_CONNECTIONS false`);
    } finally {
      await client.query("SELECT pg_advisory_unlock(hashtext('lyfm test template'))");
    }
  });
  return template;
}

/** A new database with every migration applied. */
export async function createMigratedDatabase(prefix = "lyfm_test"): Promise<{ name: string; url: string }> {
  const template = await migratedTemplate();
  const name = uniqueName(prefix);
  for (let attempt = 1; ; attempt++) {
    try {
      await admin((client) => client.query(`CREATE DATABASE "${name}" TEMPLATE "${template}"`));
      break;
    } catch (error) {
      // "source database … is being accessed by other users": a moment's connection (a stats scan).
      if (attempt >= 10 || !/being accessed by other users/.test(String(error))) throw error;
      await new Promise((done) => setTimeout(done, 200 * attempt));
    }
  }
  return { name, url: databaseUrl(name) };
}

export async function deleteRedisPrefix(prefix: string): Promise<void> {
  const client = new Redis(TEST_REDIS_URL);
  try {
    for (const pattern of [`${prefix}:*`, `${prefix}-bull:*`]) {
      let cursor = "0";
      do {
        const [next, keys] = await client.scan(cursor, "MATCH", pattern, "COUNT", 1000);
        cursor = next;
        if (keys.length) await client.del(...keys);
      } while (cursor !== "0");
    }
  } finally {
    client.disconnect();
  }
}
