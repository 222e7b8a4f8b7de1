// Queue names, payload schemas and enqueue functions, shared by the web side (producer) and the worker.
import { type JobsOptions, Queue } from "bullmq";
import type { Redis } from "ioredis";
import { z } from "zod";
import { env } from "@/lib/server/env";
import { createRedisConnection } from "@/lib/server/redis";

export const QUEUE = {
  fetchScrobbles: "fetch-scrobbles",
  enrichAlbums: "enrich-albums",
  /** The nightly retry of pairs that matching by name could not date yet. */
  matchNames: "match-names",
  /** A new import's preview from the year's album chart (lib/imports/preview.ts). */
  previewYear: "preview-year",
} as const;

export type QueueName = (typeof QUEUE)[keyof typeof QUEUE];

export const UserYearJobSchema = z.object({
  /** Lowercase Last.fm name: the key we store users under. */
  username: z.string().min(1).max(64),
  year: z.number().int().min(2002).max(2100),
});
export type UserYearJob = z.infer<typeof UserYearJobSchema>;

export const FetchScrobblesSchema = UserYearJobSchema.extend({
  /**
   * "resume" continues from the checkpoints; "refresh" asks for the tail of a year that is not final yet.
   * Informational: the processor reads what is due from the row (year-window.ts), so a retry of either does it.
   */
  mode: z.enum(["resume", "refresh"]).default("resume"),
});
export type FetchScrobbles = z.infer<typeof FetchScrobblesSchema>;

export const EnrichAlbumsSchema = UserYearJobSchema;
export const PreviewYearSchema = UserYearJobSchema;
export type EnrichAlbums = z.infer<typeof EnrichAlbumsSchema>;

/** Deterministic job id: asking twice for the same import never creates a second job (no ":" allowed). */
export function jobId(queue: QueueName, { username, year }: UserYearJob): string {
  return `${queue}-${username.toLowerCase()}-${year}`;
}

/** Worker and queue settings in one place. Short locks make a SIGKILLed worker's job come back in seconds. */
export const WORKER_SETTINGS = {
  lockDuration: 15_000,
  stalledInterval: 5_000,
  maxStalledCount: 5,
} as const;

export const DEFAULT_JOB_OPTIONS: JobsOptions = {
  attempts: 5,
  backoff: { type: "exponential", delay: 2_000, jitter: 0.5 },
  removeOnComplete: true,
  removeOnFail: { age: 7 * 24 * 3600 },
};

const globalForQueues = globalThis as unknown as { queues?: Map<QueueName, Queue>; connection?: Redis };

/** The process's Queue object for `name` (producers only; workers live in worker/). */
export function queue(name: QueueName): Queue {
  globalForQueues.queues ??= new Map();
  let found = globalForQueues.queues.get(name);
  if (!found) {
    // One connection for all producer queues; BullMQ does not close connections it was given.
    globalForQueues.connection ??= createRedisConnection("queues");
    found = new Queue(name, {
      connection: globalForQueues.connection,
      prefix: `${env().REDIS_PREFIX}-bull`,
      defaultJobOptions: DEFAULT_JOB_OPTIONS,
    });
    globalForQueues.queues.set(name, found);
  }
  return found;
}

/**
 * Adds a job under its deterministic id. A job that is waiting or running already is left alone (asking
 * twice never imports twice); a finished or failed one is replaced, so a retry can run again.
 */
async function addUnique(name: QueueName, id: string, data: object, options: JobsOptions): Promise<void> {
  const target = queue(name);
  const existing = await target.getJob(id);
  if (existing) {
    const state = await existing.getState();
    if (state !== "completed" && state !== "failed" && state !== "unknown") return;
    await existing.remove().catch(() => undefined);
  }
  await target.add(name, data, { ...options, jobId: id });
}

/** Whether the import's job will still run: waiting, delayed, active (not failed, completed or gone). */
export async function isJobPending(name: QueueName, data: UserYearJob): Promise<boolean> {
  const found = await queue(name).getJob(jobId(name, data));
  if (!found) return false;
  const state = await found.getState();
  return state !== "completed" && state !== "failed" && state !== "unknown";
}

export async function enqueueFetch(data: FetchScrobbles, options: JobsOptions = {}): Promise<void> {
  const payload = FetchScrobblesSchema.parse(data);
  await addUnique(QUEUE.fetchScrobbles, jobId(QUEUE.fetchScrobbles, payload), payload, options);
}

export async function enqueueEnrich(data: EnrichAlbums, options: JobsOptions = {}): Promise<void> {
  const payload = EnrichAlbumsSchema.parse(data);
  // Enrichment never competes with fetches for the worker's attention (lower number = higher priority).
  await addUnique(QUEUE.enrichAlbums, jobId(QUEUE.enrichAlbums, payload), payload, {
    priority: 10,
    attempts: 8,
    backoff: { type: "exponential", delay: 5_000, jitter: 0.5 },
    ...options,
  });
}

/** Whole-history imports wait behind every year a visitor opened (higher number = later). */
export const BACKGROUND_PRIORITY = 50;

/** Queues a year's import for the whole-history view, behind every import a visitor is waiting for. */
export async function enqueueBackgroundFetch(data: UserYearJob): Promise<void> {
  await enqueueFetch({ ...data, mode: "resume" }, { priority: BACKGROUND_PRIORITY });
}

/** A year queued in the background that a visitor now opens moves to the front (no priority = first). */
export async function promoteFetch(data: UserYearJob): Promise<void> {
  const job = await queue(QUEUE.fetchScrobbles).getJob(jobId(QUEUE.fetchScrobbles, data));
  if (!job?.opts.priority) return;
  const state = await job.getState();
  if (state === "prioritized" || state === "waiting") await job.changePriority({ priority: 0 }).catch(() => undefined);
}

/** A preview is worth little once late: a couple of quick retries, then the exact import speaks alone. */
export async function enqueuePreview(data: UserYearJob, options: JobsOptions = {}): Promise<void> {
  const payload = PreviewYearSchema.parse(data);
  await addUnique(QUEUE.previewYear, jobId(QUEUE.previewYear, payload), payload, {
    attempts: 3,
    backoff: { type: "fixed", delay: 1_000 },
    ...options,
  });
}

/** When the nightly name-matching job runs (cron, UTC): a quiet hour for Last.fm and MusicBrainz alike. */
export const NIGHTLY_MATCHING_PATTERN = "17 3 * * *";

/** Registers the nightly job once per deployment (a scheduler, not a job per worker start). */
export async function scheduleNightlyMatching(pattern = NIGHTLY_MATCHING_PATTERN): Promise<void> {
  await queue(QUEUE.matchNames).upsertJobScheduler(
    "nightly-name-matching",
    { pattern, tz: "UTC" },
    { name: "nightly", data: {}, opts: { attempts: 3, backoff: { type: "exponential", delay: 60_000 } } },
  );
}

export async function closeQueues(): Promise<void> {
  const open = [...(globalForQueues.queues?.values() ?? [])];
  const connection = globalForQueues.connection;
  globalForQueues.queues = undefined;
  globalForQueues.connection = undefined;
  await Promise.all(open.map((q) => q.close()));
  await connection?.quit().catch(() => undefined);
}
