// Redis connections: one for commands per process, and factories for BullMQ and pub/sub.
import { Redis, type RedisOptions } from "ioredis";
import { env } from "./env";

const globalForRedis = globalThis as unknown as { redis?: Redis };

function options(name: string): RedisOptions {
  // BullMQ needs maxRetriesPerRequest null on blocking connections; it is harmless elsewhere.
  return { maxRetriesPerRequest: null, connectionName: `${env().REDIS_PREFIX}-${name}`, lazyConnect: false };
}

/** The process-wide command connection. */
export function redis(): Redis {
  globalForRedis.redis ??= new Redis(env().REDIS_URL, options("cmd"));
  return globalForRedis.redis;
}

/** A dedicated connection (subscribers, BullMQ workers): the caller closes it. */
export function createRedisConnection(name: string): Redis {
  return new Redis(env().REDIS_URL, options(name));
}

/** A Redis key in this deployment's namespace. */
export function redisKey(...parts: (string | number)[]): string {
  return [env().REDIS_PREFIX, ...parts].join(":");
}

export async function disconnectRedis(): Promise<void> {
  await globalForRedis.redis?.quit().catch(() => undefined);
  globalForRedis.redis = undefined;
}
