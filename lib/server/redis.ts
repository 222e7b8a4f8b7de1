// Redis connections: one for commands per process, and factories for BullMQ and pub/sub.
import { Redis, type RedisOptions } from "ioredis";
import { env } from "./env";

const globalForRedis = globalThis as unknown as { redis?: Redis };

/** Next inlines NEXT_RUNTIME into the bundles it builds: set in the web server, unset in the worker. */
const isWebProcess = process.env.NEXT_RUNTIME === "nodejs";
/** A web-side command not answered within this fails, and its request answers 503 (lib/server/http.ts). */
export const WEB_COMMAND_TIMEOUT_MS = 10_000;

export function redisOptions(name: string, isFailFast = isWebProcess): RedisOptions {
  const common = { connectionName: `${env().REDIS_PREFIX}-${name}`, lazyConnect: false };
  // A visitor must not wait forever while Redis is down: web commands fail after one reconnection attempt
  // or the timeout. The worker waits for Redis instead (BullMQ needs maxRetriesPerRequest null on its
  // blocking connections; it has nothing better to do meanwhile).
  if (isFailFast) return { ...common, maxRetriesPerRequest: 1, commandTimeout: WEB_COMMAND_TIMEOUT_MS };
  return { ...common, maxRetriesPerRequest: null };
}

/** The process-wide command connection. */
export function redis(): Redis {
  globalForRedis.redis ??= new Redis(env().REDIS_URL, redisOptions("cmd"));
  return globalForRedis.redis;
}

/** A dedicated connection (subscribers, BullMQ workers): the caller closes it. */
export function createRedisConnection(name: string): Redis {
  return new Redis(env().REDIS_URL, redisOptions(name));
}

/** A Redis key in this deployment's namespace. */
export function redisKey(...parts: (string | number)[]): string {
  return [env().REDIS_PREFIX, ...parts].join(":");
}

export async function disconnectRedis(): Promise<void> {
  await globalForRedis.redis?.quit().catch(() => undefined);
  globalForRedis.redis = undefined;
}
