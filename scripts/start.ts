// `npm start`: the whole app (web + worker) from one command, on embedded defaults where nothing is configured.
// No DATABASE_URL → embedded PostgreSQL under .data/; no REDIS_URL → local Redis (started if installed);
// no LASTFM_API_KEY → demo mode against the bundled simulators. One Ctrl-C stops everything.
import { type ChildProcess, spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { ensureBuild } from "@/scripts/dev-services/build";
import { startEmbeddedPostgres } from "@/scripts/dev-services/embedded-postgres";
import { ensureRedis } from "@/scripts/dev-services/redis-server";
import { migrateDatabase } from "@/scripts/dev-services/migrate";
import { startDemoServices } from "@/scripts/dev-services/demo";

const stops: (() => Promise<void>)[] = [];
const children: ChildProcess[] = [];
let isStopping = false;

function say(message: string): void {
  console.log(`[lastyear.fm] ${message}`);
}

async function stopAll(code: number): Promise<never> {
  if (!isStopping) {
    isStopping = true;
    for (const child of children) if (child.exitCode === null) child.kill("SIGTERM");
    await Promise.all(
      children.map((child) => new Promise((done) => (child.exitCode !== null ? done(null) : child.once("exit", done)))),
    );
    for (const stop of stops.reverse()) await stop().catch(() => undefined);
  }
  process.exit(code);
}

function run(name: string, command: string, args: string[], env: Record<string, string | undefined>): ChildProcess {
  const child = spawn(command, args, { env: env as NodeJS.ProcessEnv, stdio: "inherit" });
  child.on("exit", (code, signal) => {
    if (isStopping) return;
    say(`${name} stopped (${signal ?? `exit ${code}`}); stopping everything`);
    void stopAll(code ?? 1);
  });
  children.push(child);
  return child;
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

  if (!env.DATABASE_URL) {
    const pg = await startEmbeddedPostgres();
    stops.push(pg.stop);
    env.DATABASE_URL = pg.url("lastyear");
    say(`no DATABASE_URL: using embedded PostgreSQL (data in .data/postgres, port ${pg.port})`);
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

  await migrateDatabase(env);
  await ensureBuild();

  const port = env.PORT ?? "3000";
  run("web", process.execPath, [".next/standalone/server.js"], {
    ...env,
    PORT: port,
    HOSTNAME: env.HOSTNAME ?? "0.0.0.0",
  });
  run("worker", process.execPath, ["--import", "tsx", "worker/index.ts"], { ...env, SERVICE_NAME: "worker" });
  say(`open http://localhost:${port}`);
}

main().catch(async (error: unknown) => {
  say(error instanceof Error ? error.message : String(error));
  await stopAll(1);
});
