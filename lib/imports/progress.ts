// The progress channel of one import (user + year): the worker publishes, web processes relay to SSE.
// Counts are saved in Postgres before they are published, so a missed message is repaired by the next snapshot.
import type { Redis } from "ioredis";
import { z } from "zod";
import { createRedisConnection, redis, redisKey } from "@/lib/server/redis";

export const ProgressEventSchema = z.object({
  /** Monotonic per user+year: SSE ids, so Last-Event-ID can resume. */
  id: z.number().int(),
  /** "preview": the album-chart preview was saved; listeners fetch the distribution again. */
  type: z.enum(["progress", "status", "preview"]),
  status: z.enum(["queued", "fetching", "enriching", "complete", "partial", "failed"]),
  pagesFetched: z.number().int(),
  totalPages: z.number().int().nullable(),
  scrobblesFetched: z.number().int(),
  albumsDated: z.number().int(),
  albumsTotal: z.number().int(),
  error: z.string().nullable().optional(),
});
export type ProgressEvent = z.infer<typeof ProgressEventSchema>;

export function progressChannel(username: string, year: number): string {
  return redisKey("progress", username.toLowerCase(), year);
}

export async function publishProgress(
  username: string,
  year: number,
  event: Omit<ProgressEvent, "id">,
): Promise<ProgressEvent> {
  const id = await redis().incr(redisKey("progress-seq", username.toLowerCase(), year));
  const full = { ...event, id };
  await redis().publish(progressChannel(username, year), JSON.stringify(full));
  return full;
}

/** The id of the last event published for this import (0 before any). */
export async function currentProgressId(username: string, year: number): Promise<number> {
  return Number((await redis().get(redisKey("progress-seq", username.toLowerCase(), year))) ?? 0);
}

type Listener = (event: ProgressEvent) => void;

/** One subscriber connection per process, however many SSE clients listen. */
const globalForHub = globalThis as unknown as { progressHub?: { sub: Redis; listeners: Map<string, Set<Listener>> } };

function hub() {
  if (!globalForHub.progressHub) {
    const sub = createRedisConnection("progress-sub");
    const listeners = new Map<string, Set<Listener>>();
    sub.on("message", (channel: string, message: string) => {
      let parsed: ReturnType<typeof ProgressEventSchema.safeParse>;
      try {
        parsed = ProgressEventSchema.safeParse(JSON.parse(message));
      } catch {
        return; // not JSON: not one of ours
      }
      if (parsed.success) for (const listener of listeners.get(channel) ?? []) listener(parsed.data);
    });
    globalForHub.progressHub = { sub, listeners };
  }
  return globalForHub.progressHub;
}

/** Listens to one import's events; the returned function stops listening. */
export async function subscribeProgress(
  username: string,
  year: number,
  listener: Listener,
): Promise<() => Promise<void>> {
  const { sub, listeners } = hub();
  const channel = progressChannel(username, year);
  let set = listeners.get(channel);
  if (!set) {
    set = new Set();
    listeners.set(channel, set);
    try {
      await sub.subscribe(channel);
    } catch (error) {
      // An empty set left behind would make every later stream of this import skip the subscribe.
      if (listeners.get(channel) === set && set.size === 0) listeners.delete(channel);
      throw error;
    }
  }
  set.add(listener);
  return async () => {
    set.delete(listener);
    if (set.size === 0 && listeners.get(channel) === set) {
      listeners.delete(channel);
      await sub.unsubscribe(channel);
    }
  };
}

export async function closeProgress(): Promise<void> {
  const current = globalForHub.progressHub;
  globalForHub.progressHub = undefined;
  await current?.sub.quit().catch(() => undefined);
}
