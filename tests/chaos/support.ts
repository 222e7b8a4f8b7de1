// The chaos suite's own services: the app as `npm start` runs it (through tests/support/serve-app.ts),
// and a redis-server and an embedded PostgreSQL that tests may kill and restart, on ports 4300–4399,
// never the machine's shared 5432/6379.
import { type ChildProcess, execSync, spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import pg from "pg";
import { type EmbeddedPg, startEmbeddedPostgres } from "@/scripts/dev-services/embedded-postgres";
import { canPing } from "@/scripts/dev-services/redis-server";

export { percentile, rssMiB } from "@/scripts/bench/web";
/** mulberry32: the same seed gives the same fuzz run. */
export { createRng as seededRandom } from "@/scripts/simulators/catalog";

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Polls `check` until it returns a value. (Not tests/support/stack's: see below.) */
async function waitFor<T>(
  check: () => Promise<T | undefined | null | false>,
  ms: number,
  explain = () => "",
): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = await check();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${ms} ms: ${explain()}`);
    await sleep(200);
  }
}

// tests/support/databases.ts reads TEST_DATABASE_SERVER_URL and TEST_REDIS_URL when first imported, so
// this module imports tests/support only lazily: a chaos test can point them at its own servers first.

export type App = {
  base: string;
  simUrl: string;
  databaseUrl: string;
  /** The standalone Next server's pid (found by its socket: Next renames its process title). */
  serverPid: number;
  /** Everything the app's processes printed. */
  output: () => string;
  stop: () => Promise<void>;
};

/** The app exactly as the API and browser specs get it, on `port`, with its simulator on `port + 1`. */
export async function startApp(port: number, env: Record<string, string> = {}): Promise<App> {
  const { databaseUrl, uniqueName } = await import("@/tests/support/databases");
  const database = uniqueName("lyfm_chaos");
  const child: ChildProcess = spawn(process.execPath, ["--import", "tsx", "tests/support/serve-app.ts"], {
    env: {
      ...process.env,
      ...env,
      E2E_PORT: String(port),
      E2E_LASTFM_SIM_PORT: String(port + 1),
      E2E_DATABASE: database,
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  child.stdout?.on("data", (chunk) => (output += chunk));
  child.stderr?.on("data", (chunk) => (output += chunk));
  const base = `http://127.0.0.1:${port}`;
  await waitFor(
    async () => child.exitCode === null && (await fetch(`${base}/api/health`).catch(() => null))?.ok,
    240_000,
    () => output,
  );
  const listening = execSync(`ss -ltnpH "sport = :${port}"`).toString();
  return {
    base,
    simUrl: `http://127.0.0.1:${port + 1}`,
    databaseUrl: databaseUrl(database),
    serverPid: Number(/pid=(\d+)/.exec(listening)?.[1]),
    output: () => output,
    stop: async () => {
      if (child.exitCode !== null) return;
      const exited = new Promise((resolve) => child.once("exit", resolve));
      child.kill("SIGTERM");
      await exited;
    },
  };
}

/** Row counts of the tables rejected input must never touch. */
export async function countRows(url: string): Promise<Record<string, number>> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const counts: Record<string, number> = {};
    for (const table of ["lastfm_users", "fetch_jobs", "scrobbles", "fetch_job_pages"]) {
      const exists = await client.query("SELECT to_regclass($1) AS t", [table]);
      if (!exists.rows[0].t) continue;
      counts[table] = Number((await client.query(`SELECT count(*)::int AS n FROM ${table}`)).rows[0].n);
    }
    return counts;
  } finally {
    await client.end();
  }
}

export type OwnRedis = {
  url: string;
  port: number;
  restart: (downMs?: number) => Promise<void>;
  stop: () => Promise<void>;
};

/** A redis-server of our own (no persistence: a restart loses every key, as a crashed cache does). */
export async function startOwnRedis(port: number): Promise<OwnRedis> {
  const url = `redis://127.0.0.1:${port}`;
  let child: ChildProcess;
  const launch = async () => {
    child = spawn("redis-server", ["--port", String(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"], {
      stdio: "ignore",
    });
    await waitFor(() => canPing(url), 10_000);
  };
  const kill = async () => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise((resolve) => child.once("exit", resolve));
    child.kill("SIGKILL");
    await exited;
  };
  await launch();
  return {
    url,
    port,
    restart: async (downMs = 1_000) => {
      await kill();
      await sleep(downMs);
      await launch();
    },
    stop: kill,
  };
}

export type OwnPostgres = { serverUrl: string; restart: (downMs?: number) => Promise<void>; stop: () => Promise<void> };

/** An embedded PostgreSQL of our own in a temporary directory (npm start's own code), restartable. */
export async function startOwnPostgres(port: number): Promise<OwnPostgres> {
  const dataDir = mkdtempSync(join(tmpdir(), "lyfm-chaos-pg-"));
  let server: EmbeddedPg = await startEmbeddedPostgres(dataDir, port);
  return {
    serverUrl: server.url("postgres"),
    restart: async (downMs = 1_000) => {
      await server.stop();
      await sleep(downMs);
      server = await startEmbeddedPostgres(dataDir, port);
    },
    stop: async () => {
      await server.stop().catch(() => undefined);
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/**
 * A heap snapshot of a process started with `--heapsnapshot-signal=SIGUSR2 --diagnostic-dir=<dir>`. V8
 * collects garbage before it writes one, so its size and node count are what the process really holds.
 */
export async function heapSnapshot(pid: number, dir: string): Promise<{ mib: number; nodes: number }> {
  const { readdirSync, readFileSync, rmSync, statSync } = await import("node:fs");
  const before = new Set(readdirSync(dir));
  process.kill(pid, "SIGUSR2");
  const file = await waitFor(async () => readdirSync(dir).find((name) => !before.has(name)), 60_000);
  const path = join(dir, file);
  // Written in one go after the collection: done when the JSON document is closed.
  await waitFor(async () => /\]\s*\}\s*$/.test(readFileSync(path, "latin1").slice(-64)), 120_000);
  const size = statSync(path).size;
  const nodes = Number(/"node_count":(\d+)/.exec(readFileSync(path, "utf8").slice(0, 4_096))?.[1]);
  rmSync(path);
  return { mib: Math.round(size / 1024 / 102.4) / 10, nodes };
}
