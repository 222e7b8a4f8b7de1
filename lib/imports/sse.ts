// Server-sent events for one import: the current snapshot, then relayed progress, then a final event.
import { getYearDistribution, type YearDistribution } from "./distribution";
import type { LastfmUser } from "@/generated/prisma/client";
import { log } from "@/lib/server/log";
import { currentProgressId, type ProgressEvent, subscribeProgress } from "./progress";
import { UTC } from "./year-window";

const KEEPALIVE_MS = 15_000;
/**
 * A stream lives at most this long (plus up to a minute of jitter, so streams opened together do not all
 * come back together), then ends with a `retry:` hint: the browser reconnects with Last-Event-ID and
 * resumes. A stuck client or proxy cannot hold a subscription forever.
 */
export const MAX_STREAM_MS = 10 * 60_000;
const RECONNECT_MS = 3_000;
const FINAL = new Set(["complete", "partial", "failed"]);

export const SSE_HEADERS = {
  "Content-Type": "text/event-stream; charset=utf-8",
  "Cache-Control": "no-cache, no-transform",
  Connection: "keep-alive",
  "X-Accel-Buffering": "no",
};

const DISTRIBUTION_EVERY_MS = 1_000;
/** Distribution queries the streams of this process have started (tests and metrics read it). */
export const streamQueries = { distributions: 0 };
const recentDistributions = new Map<string, { at: number; settled: boolean; result: Promise<YearDistribution> }>();

/**
 * One distribution query serves every stream of this process that needs the same state: the live chart
 * at most once a second (`version` omitted), or the state as of one progress id (a snapshot when a
 * stream opens, the final chart when the import ends). Without this, 1,000 watchers opening together or
 * hearing the final event together ran 1,000 identical queries on a year that keeps growing, and the
 * database queue starved page views (the chaos load test's second round: p95 24 s, 325 of 1,000 streams
 * opened in 20 s). A versioned result is only shared by readers that asked after that id was published,
 * so it is never older than what they resume from.
 */
export function sharedDistribution(
  user: LastfmUser,
  year: number,
  timeZone: string,
  version?: number,
): Promise<YearDistribution> {
  const key = `${user.id}:${year}:${timeZone}:${version ?? "live"}`;
  const cached = recentDistributions.get(key);
  // A query still running is joined rather than repeated, however long the database takes.
  if (cached && (!cached.settled || Date.now() - cached.at < DISTRIBUTION_EVERY_MS)) return cached.result;
  streamQueries.distributions++;
  const entry = { at: Date.now(), settled: false, result: getYearDistribution(user, year, timeZone) };
  recentDistributions.set(key, entry);
  const forget = () => recentDistributions.get(key) === entry && recentDistributions.delete(key);
  entry.result.then(
    () => {
      entry.settled = true;
      // Forget it after it has served its second; a finished import leaves nothing behind.
      setTimeout(forget, DISTRIBUTION_EVERY_MS).unref();
    },
    () => forget(),
  );
  return entry.result;
}

/**
 * JSON of an object every stream of this process sends (a shared distribution, a relayed event): written
 * once, not once per stream. Profiled with 1,000 streams of a finished year: stringifying and encoding the
 * same chart per stream was a third of the web process's time.
 */
const jsonOf = new WeakMap<object, string>();

function frame(event: string, data: object, id?: number): string {
  let json = jsonOf.get(data);
  if (json === undefined) jsonOf.set(data, (json = JSON.stringify(data)));
  return `${id === undefined ? "" : `id: ${id}\n`}event: ${event}\ndata: ${json}\n\n`;
}

/**
 * Opens the stream. Listening starts before the snapshot is read, so nothing published in between is
 * lost; events the snapshot already contains (id ≤ its id) are skipped.
 */
/** A reconnecting EventSource sends the last id it saw; anything that is not a whole number is ignored. */
export function parseLastEventId(header: string | null): number | null {
  return header && /^\d{1,15}$/.test(header.trim()) ? Number(header.trim()) : null;
}

export async function openProgressStream(
  user: LastfmUser,
  year: number,
  signal: AbortSignal,
  lastEventId: number | null = null,
  timeZone = UTC,
  { maxLifeMs = MAX_STREAM_MS + Math.random() * 60_000 }: { maxLifeMs?: number } = {},
): Promise<ReadableStream<Uint8Array>> {
  const encoder = new TextEncoder();
  const buffered: ProgressEvent[] = [];
  let deliver: ((event: ProgressEvent) => void) | null = null;
  const unsubscribe = await subscribeProgress(user.name, year, (event) =>
    deliver ? deliver(event) : buffered.push(event),
  );
  let snapshotId: number;
  let snapshot: YearDistribution;
  try {
    snapshotId = await currentProgressId(user.name, year);
    snapshot = await sharedDistribution(user, year, timeZone, snapshotId);
  } catch (error) {
    await unsubscribe().catch(() => undefined);
    throw error;
  }

  let keepalive: NodeJS.Timeout | undefined;
  let lifetime: NodeJS.Timeout | undefined;
  let isClosed = false;
  const context = { username: user.name.toLowerCase(), year };
  const openedAt = performance.now();
  log.info({ ...context, status: snapshot.status }, "progress stream opened");
  const close = async (controller?: ReadableStreamDefaultController<Uint8Array>) => {
    if (isClosed) return;
    isClosed = true;
    log.info({ ...context, ms: Math.round(performance.now() - openedAt) }, "progress stream closed");
    clearInterval(keepalive);
    clearTimeout(lifetime);
    signal.removeEventListener("abort", onAbort);
    await unsubscribe().catch((error: unknown) => log.warn({ ...context, err: error }, "progress unsubscribe failed"));
    try {
      controller?.close();
    } catch {
      // already closed by the client
    }
  };
  let onAbort = () => void close();

  return new ReadableStream<Uint8Array>({
    start(controller) {
      const send = (text: string) => {
        if (!isClosed) controller.enqueue(encoder.encode(text));
      };
      onAbort = () => void close(controller);
      if (signal.aborted) return void close(controller);
      signal.addEventListener("abort", onAbort, { once: true });
      send(`retry: ${RECONNECT_MS}\n: connected\n\n`);
      // A client resuming at the current id already has this state; any other gets it whole.
      if (lastEventId !== snapshotId) send(frame("snapshot", snapshot, snapshotId));
      if (FINAL.has(snapshot.status)) {
        send(frame(snapshot.status, snapshot, snapshotId));
        void close(controller);
        return;
      }
      let lastId = snapshotId;
      const fail = (error: unknown) => {
        log.warn({ ...context, err: error }, "progress stream failed");
        send(frame("error", { code: "service_unavailable", message: "Progress is unavailable; reconnecting." }));
        void close(controller);
      };
      deliver = (event) => {
        if (event.id <= lastId || isClosed) return;
        lastId = event.id;
        if (FINAL.has(event.status)) {
          sharedDistribution(user, year, timeZone, event.id).then((final) => {
            send(frame(event.status, final, event.id));
            void close(controller);
          }, fail);
          return;
        }
        if (event.type === "preview") {
          // Not the once-a-second live copy, which may predate the preview it announces: the state as of
          // this event, computed once for every stream of this process that hears it.
          sharedDistribution(user, year, timeZone, event.id).then(
            (current) => send(frame("distribution", current, event.id)),
            (error: unknown) => log.warn({ ...context, err: error }, "progress distribution skipped"),
          );
          return;
        }
        send(frame(event.type, event, event.id));
        // While albums are being dated the chart fills in: a fresh distribution at most once a second,
        // computed once per import for every stream of this process, however many watch it.
        if (event.type === "status" || event.status === "enriching") {
          sharedDistribution(user, year, timeZone).then(
            (current) => send(frame("distribution", current, event.id)),
            (error: unknown) => log.warn({ ...context, err: error }, "progress distribution skipped"),
          );
        }
      };
      for (const event of buffered.splice(0)) deliver(event);
      keepalive = setInterval(() => send(": keep-alive\n\n"), KEEPALIVE_MS);
      lifetime = setTimeout(() => {
        send(`retry: ${RECONNECT_MS}\n: stream renewed, reconnect\n\n`);
        void close(controller);
      }, maxLifeMs);
    },
    cancel() {
      void close();
    },
  });
}
