// Throwaway databases and Redis namespaces, so test runs never collide with each other or with dev data.
import { randomBytes } from "node:crypto";
import { spawnSync } from "node:child_process";
import { resolve } from "node:path";
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

/** A new database with every migration applied. */
export async function createMigratedDatabase(prefix = "lyfm_test"): Promise<{ name: string; url: string }> {
  const name = uniqueName(prefix);
  const url = await createDatabase(name);
  const { status, output } = runPrisma(["migrate", "deploy"], url);
  if (status !== 0) throw new Error(`migrate deploy failed: ${output}`);
  return { name, url };
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
