// Who may start an import: a sliding window of new imports per client IP, and a cap on the waiting
// queue, so no single visitor can spend the deployment's shared Last.fm budget alone.
import { randomUUID } from "node:crypto";
import { db } from "@/lib/server/db";
import { env } from "@/lib/server/env";
import { AppError } from "@/lib/server/http";
import { takeFromWindow } from "@/lib/server/rate-window";
import { redis, redisKey } from "@/lib/server/redis";

/** Seconds a refused caller is told to wait when the queue is full (it drains at the Last.fm pace). */
export const QUEUE_FULL_RETRY_S = 60;

/** Imports waiting for or in their Last.fm fetch, deployment-wide. */
export async function countQueuedImports(): Promise<number> {
  return db().fetchJob.count({ where: { status: { in: ["queued", "fetching"] } } });
}

/** Throws 429 `rate_limited` (with Retry-After) when `clientIp` may not start one more import now. */
export async function assertCanStartImport(clientIp: string): Promise<void> {
  const { IMPORT_QUEUE_CAP, IMPORT_RATE_LIMIT, IMPORT_RATE_WINDOW_S } = env();
  // The queue first: a refusal there must not use up the caller's own allowance.
  if ((await countQueuedImports()) >= IMPORT_QUEUE_CAP) {
    throw new AppError("rate_limited", "Too many imports are waiting right now; please try again in a minute.", {
      "Retry-After": String(QUEUE_FULL_RETRY_S),
    });
  }
  const waitMs = await takeFromWindow(redisKey("import-starts", clientIp), IMPORT_RATE_LIMIT, IMPORT_RATE_WINDOW_S);
  if (waitMs > 0) {
    const seconds = Math.ceil(waitMs / 1000);
    throw new AppError(
      "rate_limited",
      `You have started ${IMPORT_RATE_LIMIT} imports recently; please try again in ${seconds} s.`,
      { "Retry-After": String(seconds) },
    );
  }
}

// Releases the lock only if it is still ours (it may have expired and been taken by another process).
const RELEASE = `if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end return 0`;
const START_LOCK_TTL_MS = 5_000;

/**
 * Runs `start` (check the limits, then create the import) while holding a deployment-wide lock, so
 * concurrent requests cannot all pass the queue cap's count before any of them has created its job.
 */
export async function withImportStartLock<T>(start: () => Promise<T>): Promise<T> {
  const key = redisKey("import-start-lock");
  const token = randomUUID();
  const deadline = Date.now() + 2 * START_LOCK_TTL_MS;
  while ((await redis().set(key, token, "PX", START_LOCK_TTL_MS, "NX")) !== "OK") {
    if (Date.now() > deadline) throw new AppError("service_unavailable", "Imports are busy; please try again.");
    await new Promise((resolve) => setTimeout(resolve, 10 + Math.random() * 20));
  }
  try {
    return await start();
  } finally {
    await redis().eval(RELEASE, 1, key, token);
  }
}
