// The worker process: one BullMQ Worker per queue, error logging in one place, graceful shutdown.
import { type Job, type Processor, Worker } from "bullmq";
import type { Redis } from "ioredis";
import { disconnectDb } from "@/lib/server/db";
import { env } from "@/lib/server/env";
import { requeueLostImports } from "@/lib/imports/requests";
import { closeQueues, QUEUE, type QueueName, scheduleNightlyMatching, WORKER_SETTINGS } from "@/lib/jobs";
import { warmUpLastfm } from "@/lib/lastfm/client";
import { log } from "@/lib/server/log";
import { closeNameMatcher } from "@/lib/musicbrainz/matching/matcher";
import { closeRecordingSource } from "@/lib/musicbrainz/recordings/source";
import { closeMusicbrainz } from "@/lib/musicbrainz/sources";
import { closeProgress } from "@/lib/imports/progress";
import { createRedisConnection, disconnectRedis } from "@/lib/server/redis";
import { enrichAlbums } from "./enrich-albums";
import { fetchScrobbles } from "./fetch-scrobbles";
import { matchNamesNightly } from "./match-names";
import { previewYear } from "./preview-year";

const processors: Record<QueueName, { processor: Processor; concurrency: number }> = {
  // Many imports at once: they share one Last.fm budget through Redis, not a per-worker limit, and its
  // line orders their pages (least served first), so a light import is not stuck behind heavy ones.
  [QUEUE.fetchScrobbles]: { processor: (job) => fetchScrobbles(job), concurrency: 12 },
  // Previews are two interactive calls each and wait on MusicBrainz more than on Last.fm.
  [QUEUE.previewYear]: { processor: previewYear, concurrency: 8 },
  [QUEUE.enrichAlbums]: { processor: enrichAlbums, concurrency: 2 },
  [QUEUE.matchNames]: { processor: matchNamesNightly, concurrency: 1 },
};

const connections: Redis[] = [];

/** Who a job is about, for its log lines: the queue, BullMQ's id, and the user and year of its payload. */
function describeJob(queue: string, job: Job | undefined): Record<string, unknown> {
  const data = (job?.data ?? {}) as { username?: unknown; year?: unknown };
  return { queue, jobId: job?.id, username: data.username, year: data.year };
}

/** How often the worker looks for unfinished imports whose queued job was lost. */
const REQUEUE_EVERY_MS = 30_000;

async function requeueLost(): Promise<void> {
  try {
    const requeued = await requeueLostImports();
    if (requeued) log.warn({ requeued }, "re-queued unfinished imports whose job was lost");
  } catch (error) {
    log.error({ err: error instanceof Error ? error.message : error }, "could not look for lost imports");
  }
}

function startWorkers(): Worker[] {
  return Object.entries(processors).map(([name, { processor, concurrency }]) => {
    const connection = createRedisConnection(`worker-${name}`);
    connections.push(connection);
    const worker = new Worker(name, processor, {
      connection,
      prefix: `${env().REDIS_PREFIX}-bull`,
      concurrency,
      ...WORKER_SETTINGS,
    });
    // One line per transition: active → completed | failed (retried or final) | stalled (lock lost).
    worker.on("active", (job) => log.info({ ...describeJob(name, job), attempt: job.attemptsMade + 1 }, "job active"));
    worker.on("completed", (job) =>
      log.info(
        {
          ...describeJob(name, job),
          ms: job.finishedOn && job.processedOn ? job.finishedOn - job.processedOn : undefined,
        },
        "job completed",
      ),
    );
    worker.on("failed", (job, error) =>
      log.warn(
        {
          ...describeJob(name, job),
          attempts: job?.attemptsMade,
          willRetry: job ? job.attemptsMade < (job.opts.attempts ?? 1) && error.name !== "UnrecoverableError" : false,
          err: error.message,
        },
        "job failed",
      ),
    );
    worker.on("stalled", (jobId, previous) => log.warn({ queue: name, jobId, previous }, "job stalled"));
    worker.on("error", (error) => log.error({ queue: name, err: error.message }, "worker error"));
    return worker;
  });
}

async function main(): Promise<void> {
  env(); // fail fast, with one line, on bad configuration
  await warmUpLastfm();
  const workers = startWorkers();
  await Promise.all(workers.map((worker) => worker.waitUntilReady()));
  await scheduleNightlyMatching();
  log.info({ queues: Object.keys(processors), pid: process.pid }, "worker ready");
  void requeueLost();
  const requeueTimer = setInterval(() => void requeueLost(), REQUEUE_EVERY_MS);

  let isClosing = false;
  const shutdown = async (signal: string) => {
    if (isClosing) return;
    isClosing = true;
    clearInterval(requeueTimer);
    log.info({ signal }, "worker closing: waiting for active jobs");
    // Active jobs finish (or are released to another worker), then connections close in order.
    await Promise.all(workers.map((worker) => worker.close()));
    await Promise.all(connections.map((connection) => connection.quit().catch(() => undefined)));
    await closeNameMatcher();
    await closeMusicbrainz();
    await closeRecordingSource();
    await closeQueues();
    await closeProgress();
    await disconnectRedis();
    await disconnectDb();
    log.info("worker closed");
    process.exit(0);
  };
  process.on("SIGTERM", () => void shutdown("SIGTERM"));
  process.on("SIGINT", () => void shutdown("SIGINT"));
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
