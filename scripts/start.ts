// `npm start`: the whole app (web + worker) from one command, on embedded defaults where nothing is configured.
// No DATABASE_URL → embedded PostgreSQL under .data/; no REDIS_URL → local Redis (started if installed);
// no LASTFM_API_KEY → demo mode against the bundled simulators. One Ctrl-C stops everything.
// A start that cannot work ends with one line saying what to do, never a stack trace.
import { type ChildProcess, spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { parseEnv } from "@/lib/server/env";
import { ensureBuild } from "@/scripts/dev-services/build";
import { StartError, startEmbeddedPostgres } from "@/scripts/dev-services/embedded-postgres";
import { ensureRedis } from "@/scripts/dev-services/redis-server";
import { migrateDatabase } from "@/scripts/dev-services/migrate";
import { startDemoServices } from "@/scripts/dev-services/demo";
import { assertPortFree } from "@/scripts/dev-services/ports";
import { createRestartPolicy } from "@/scripts/dev-services/restart-policy";

const stops: (() => Promise<void>)[] = [];
const children = new Set<ChildProcess>();
let isStopping = false;
let stopping: Promise<never> | undefined;

function say(message: string): void {
  console.log(`[lastyear.fm] ${message}`);
}

/** Stops children, then the services they use. A second signal waits for the first stop instead of cutting it short. */
function stopAll(code: number): Promise<never> {
  stopping ??= (async () => {
    isStopping = true;
    for (const child of children) if (child.exitCode === null) child.kill("SIGTERM");
    await Promise.all(
      [...children].map(
        (child) => new Promise((done) => (child.exitCode !== null ? done(null) : child.once("exit", done))),
      ),
    );
    for (const stop of stops.reverse()) await stop().catch(() => undefined);
    process.exit(code);
  })();
  return stopping;
}

function spawnChild(command: string, args: string[], env: Record<string, string | undefined>): ChildProcess {
  const child = spawn(command, args, { env: env as NodeJS.ProcessEnv, stdio: "inherit" });
  children.add(child);
  child.once("exit", () => children.delete(child));
  return child;
}

/** The web server is the app: when it stops, everything stops. */
function runWeb(args: string[], env: Record<string, string | undefined>): void {
  spawnChild(process.execPath, args, env).once("exit", (code, signal) => {
    if (isStopping) return;
    say(`web stopped (${signal ?? `exit ${code}`}); stopping everything`);
    void stopAll(code ?? 1);
  });
}

/** A crashed worker is restarted with growing pauses; the web server keeps serving what is stored meanwhile. */
function runWorker(args: string[], env: Record<string, string | undefined>): void {
  const policy = createRestartPolicy();
  const start = () => {
    const startedAt = Date.now();
    spawnChild(process.execPath, args, env).once("exit", (code, signal) => {
      if (isStopping) return;
      const delayMs = policy.nextDelay(Date.now() - startedAt);
      say(`worker stopped (${signal ?? `exit ${code}`}); restarting it in ${Math.round(delayMs / 1000)} s`);
      setTimeout(() => !isStopping && start(), delayMs);
    });
  };
  start();
}

async function main(): Promise<void> {
  if (existsSync(".env")) process.loadEnvFile(".env");
  const env: Record<string, string | undefined> = { ...process.env, NODE_ENV: "production" };
  // embedded-postgres registers its own exit hook that stops Postgres at once on a signal, under a
  // worker still finishing its jobs; shutdown order is ours: web and worker first, then the database.
  process.removeAllListeners("SIGINT");
  process.removeAllListeners("SIGTERM");
  process.on("SIGINT", () => void stopAll(0));
  process.on("SIGTERM", () => void stopAll(0));

  const port = env.PORT ?? "3000";
  const hostname = env.HOSTNAME ?? "0.0.0.0";
  await assertPortFree(Number(port), hostname, "PORT");

  if (!env.DATABASE_URL) {
    const pg = await startEmbeddedPostgres();
    stops.push(pg.stop);
    env.DATABASE_URL = pg.url("lastyear");
    say(`no DATABASE_URL: using embedded PostgreSQL (data in ${pg.dataDir}, port ${pg.port})`);
  }
  if (!env.REDIS_URL) {
    const local = await ensureRedis();
    if (local.stop) stops.push(local.stop);
    env.REDIS_URL = local.url;
    say(`no REDIS_URL: using ${local.description}`);
  }
  if (!env.LASTFM_API_KEY) {
    const demo = await startDemoServices(env);
    stops.push(demo.stop);
    Object.assign(env, demo.env);
    say(`no LASTFM_API_KEY: demo mode against the bundled simulators (demo users: ${demo.users.join(", ")})`);
  }
  try {
    parseEnv(env);
  } catch (error) {
    throw new StartError(`${(error as Error).message}: fix it in .env or the environment and run npm start again.`);
  }

  await migrateDatabase(env);
  await ensureBuild();

  // The preload tells route handlers the TCP peer's address (lib/server/client-ip.ts).
  runWeb(["--import", "./scripts/peer-address.mjs", ".next/standalone/server.js"], {
    ...env,
    PORT: port,
    HOSTNAME: hostname,
  });
  runWorker(["--import", "tsx", "worker/index.ts"], { ...env, SERVICE_NAME: "worker" });
  say(`open http://localhost:${port}`);
}

function fail(error: unknown): void {
  const message = error instanceof Error ? error.message : String(error);
  say(error instanceof StartError ? message : `could not start: ${message.split("\n")[0]}`);
  void stopAll(1);
}

// A library's unhandled 'error' event (a child process that cannot be spawned) ends here too, as one line.
process.on("uncaughtException", fail);
main().catch(fail);
