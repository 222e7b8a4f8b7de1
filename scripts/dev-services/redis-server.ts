// Redis for `npm start` without REDIS_URL: a local one on the default port, or one we start if installed.
import { spawn, spawnSync } from "node:child_process";
import { Redis } from "ioredis";
import { StartError } from "./embedded-postgres";

export type LocalRedis = { url: string; description: string; stop?: () => Promise<void> };

export async function canPing(url: string): Promise<boolean> {
  const client = new Redis(url, {
    lazyConnect: true,
    maxRetriesPerRequest: 0,
    retryStrategy: () => null,
    connectTimeout: 1_000,
  });
  client.on("error", () => undefined);
  try {
    await client.connect();
    return (await client.ping()) === "PONG";
  } catch {
    return false;
  } finally {
    client.disconnect();
  }
}

export async function ensureRedis(port = 6379): Promise<LocalRedis> {
  const url = `redis://127.0.0.1:${port}`;
  if (await canPing(url)) return { url, description: `the Redis already running on port ${port}` };
  if (spawnSync("redis-server", ["--version"]).status !== 0) {
    throw new StartError(
      "No Redis found: set REDIS_URL, or install Redis (Debian/Ubuntu: apt-get install redis-server; macOS: brew install redis) and run npm start again.",
    );
  }
  const child = spawn(
    "redis-server",
    ["--port", String(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"],
    {
      stdio: "ignore",
    },
  );
  for (let tries = 0; tries < 50 && !(await canPing(url)); tries++) await new Promise((r) => setTimeout(r, 100));
  if (!(await canPing(url)))
    throw new StartError(`redis-server did not answer on port ${port}: set REDIS_URL to a Redis you run.`);
  return {
    url,
    description: `a redis-server started on port ${port} (stopped with the app)`,
    stop: async () => {
      child.kill("SIGTERM");
    },
  };
}
