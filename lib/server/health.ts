// Liveness of the two stores the app cannot work without.
import { db } from "./db";
import { redis } from "./redis";

export type Health = { db: "ok" | "down"; redis: "ok" | "down" };

const TIMEOUT_MS = 2_000;

function withTimeout<T>(promise: Promise<T>): Promise<T> {
  return Promise.race([
    promise,
    new Promise<T>((_, reject) => setTimeout(() => reject(new Error("timed out")), TIMEOUT_MS).unref()),
  ]);
}

async function probe(check: () => Promise<unknown>): Promise<"ok" | "down"> {
  try {
    await withTimeout(check());
    return "ok";
  } catch {
    return "down";
  }
}

export async function checkHealth(): Promise<Health> {
  const [dbState, redisState] = await Promise.all([probe(() => db().$queryRaw`SELECT 1`), probe(() => redis().ping())]);
  return { db: dbState, redis: redisState };
}
