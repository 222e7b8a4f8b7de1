// What the web side asks of the importer: start (or join) an import, retry a partial one, re-import a year.
import type { FetchJob, LastfmUser } from "@/generated/prisma/client";
import { AppError } from "@/lib/server/http";
import { assertNotOptedOut, isOptedOut } from "@/lib/account/choices";
import { withCooldown } from "./cooldown";
import { assertCanStartImport, withImportStartLock } from "./limits";
import { publicError } from "./public-errors";
import {
  countSweepRequeue,
  getFetchJob,
  getOrCreateFetchJob,
  listIdlePartialImports,
  listIdleUnfinishedImports,
  resetYear,
  updateFetchJob,
} from "./store";
import { enqueueEnrich, enqueueFetch, enqueuePreview, isJobPending, promoteFetch, QUEUE } from "@/lib/jobs";
import { env } from "@/lib/server/env";
import { assertImportable, nameKey, registeredYear, resolveUser } from "@/lib/lastfm/users";
import { latestStartedYear, listRefreshWindows, REFRESH_AFTER_MS } from "./year-window";

export { REFRESH_AFTER_MS };

export type ImportHandle = { user: LastfmUser; job: FetchJob };

/**
 * Web requests pass the client's IP: starting a new import then counts against its limit and the queue
 * cap. `now` is the clock of every date rule (tests set it).
 */
export type RequestOptions = { clientIp?: string; now?: Date };

/** A year from the year before registration (scrobbles can predate it) to the newest one begun anywhere. */
export function assertYearInRange(user: LastfmUser, year: number, now = new Date()): void {
  const first = registeredYear(user) - 1;
  const last = latestStartedYear(now);
  if (year < first || year > last) {
    throw new AppError("invalid_input", `year: ${user.name}'s years are ${first} to ${last}`);
  }
}

async function resolveImportable(
  username: string,
  year: number,
  { clientIp, now = new Date() }: RequestOptions,
): Promise<LastfmUser> {
  await assertNotOptedOut(username);
  const user = await resolveUser(username, now, { clientIp });
  assertImportable(user);
  assertYearInRange(user, year, now);
  return user;
}

/** Checks the limits only when the request would create the year's import; internal callers pass no IP. */
async function startOrJoin(user: LastfmUser, year: number, { clientIp, now }: RequestOptions): Promise<FetchJob> {
  const existing = await getFetchJob(user.id, year);
  if (existing) return existing;
  if (clientIp === undefined) return getOrCreateFetchJob({ userId: user.id, year }, now);
  return withImportStartLock(async () => {
    const created = await getFetchJob(user.id, year);
    if (created) return created;
    await assertCanStartImport(clientIp);
    return getOrCreateFetchJob({ userId: user.id, year }, now);
  });
}

/**
 * The import of (user, year), started if it is not running or done. A finished past year costs no
 * Last.fm call; asking again while it runs joins the same job (deterministic job id).
 */
export async function requestImport(
  username: string,
  year: number,
  options: RequestOptions = {},
): Promise<ImportHandle> {
  const now = options.now ?? new Date();
  const user = await resolveImportable(username, year, { ...options, now });
  const job = await startOrJoin(user, year, { ...options, now });
  if (job.status === "queued" || job.status === "fetching") {
    await startPreview(user, job);
    await enqueueFetch({ username: nameKey(user.name), year, mode: "resume" });
    await promoteFetch({ username: nameKey(user.name), year });
  } else if (job.status === "enriching" || (job.status === "partial" && job.errorCode === "musicbrainz_unavailable")) {
    // A year left partial by a MusicBrainz outage is dated again on the next visit, once BullMQ's own
    // retries have run out (a job still waiting for its retry is left alone).
    await enqueueEnrich({ username: nameKey(user.name), year });
  } else if (job.status === "complete" && listRefreshWindows(job, now).length > 0) {
    // Not final yet (late scrobbles, the year's tail, also after the year has turned): read it again.
    await enqueueFetch({ username: nameKey(user.name), year, mode: "refresh" });
  }
  return { user, job };
}

/** A running import without a preview gets one (it is quick: two Last.fm calls a visitor is waiting on). */
async function startPreview(user: LastfmUser, job: FetchJob): Promise<void> {
  if (!env().IMPORT_PREVIEW || job.albumChart !== null) return;
  await enqueuePreview({ username: nameKey(user.name), year: job.year });
}

/**
 * A partial or failed import: fetch only the pages without a checkpoint, then date what is missing. From
 * the web it counts as a new import of the caller's and holds the (user, year) retry cooldown.
 */
export async function requestRetry(
  username: string,
  year: number,
  options: RequestOptions = {},
): Promise<ImportHandle> {
  const { clientIp } = options;
  const user = await resolveImportable(username, year, options);
  if ((await getFetchJob(user.id, year))?.status === "complete")
    throw new AppError("conflict", "This year is already complete: there is nothing to retry.");
  if (clientIp !== undefined) {
    await withCooldown("retry", user, year, () => withImportStartLock(() => assertCanStartImport(clientIp)));
  }
  const job = await startOrJoin(user, year, { now: options.now });
  if (job.errorCode === "musicbrainz_unavailable") await enqueueEnrich({ username: nameKey(user.name), year });
  else await enqueueFetch({ username: nameKey(user.name), year, mode: "resume" });
  return { user, job };
}

/**
 * Deletes the year's scrobbles and imports it again from scratch (then dates it again). Always a new
 * import: from the web it counts against the caller's limit and holds the (user, year) re-import cooldown.
 */
export async function requestReimport(
  username: string,
  year: number,
  { clientIp, now }: RequestOptions = {},
): Promise<ImportHandle> {
  const user = await resolveImportable(username, year, { clientIp, now });
  const current = await getFetchJob(user.id, year);
  if (current?.status === "fetching" || current?.status === "enriching") {
    throw new AppError("conflict", "This year is being imported right now; re-import it when it has finished.");
  }
  const reset = async () => resetYear(await getOrCreateFetchJob({ userId: user.id, year }));
  const job =
    clientIp === undefined
      ? await reset()
      : await withCooldown("reimport", user, year, () =>
          withImportStartLock(async () => {
            await assertCanStartImport(clientIp);
            return reset();
          }),
        );
  await startPreview(user, job);
  await enqueueFetch({ username: nameKey(user.name), year, mode: "resume" });
  return { user, job };
}

/** The API error for an import that ended `failed` (the job's error code says why, in our words). */
export function failedImportError(error: { code: string } | null): AppError {
  const { message } = publicError(error?.code ?? "");
  if (error?.code === "private_profile") return new AppError("private_profile", `${message}.`);
  if (error?.code === "user_not_found") return new AppError("user_not_found", `${message}.`);
  return new AppError("upstream_unavailable", `${message}.`);
}

/** Re-queued by the worker's sweep this many times without a successful fetch, an import is ended. */
export const MAX_SWEEP_REQUEUES = 5;

/** A partial import (an outage outlasted BullMQ's retries) is tried again by the worker after this. */
export const PARTIAL_RETRY_AFTER_MS = 10 * 60 * 1000;

type IdleImport = Awaited<ReturnType<typeof listIdleUnfinishedImports>>[number];

async function requeue(job: IdleImport): Promise<boolean> {
  const data = { username: nameKey(job.user.name), year: job.year };
  const isEnrichment = job.status === "enriching" || job.errorCode === "musicbrainz_unavailable";
  if (await isJobPending(isEnrichment ? QUEUE.enrichAlbums : QUEUE.fetchScrobbles, data)) return false;
  if (job.attempts >= MAX_SWEEP_REQUEUES) {
    // A partial year keeps what it has (and its retry button); anything else ends failed, with its reason.
    if (job.status !== "partial") {
      await updateFetchJob(job, job.user.name, {
        status: "failed",
        errorCode: "upstream_unavailable",
        error: "This import kept failing; please try again later.",
        finishedAt: new Date(),
      });
    }
    return false;
  }
  await countSweepRequeue(job);
  if (isEnrichment) await enqueueEnrich(data);
  else await enqueueFetch({ ...data, mode: "resume" });
  return true;
}

/**
 * Postgres is the truth about imports, Redis only their queue: an unfinished import whose job is gone
 * (Redis restarted without persistence, or was flushed) or failed is queued again, and resumes at its
 * checkpoints; so is a partial one after a pause. The worker runs this, so no import waits for a visitor.
 * `idleMs` leaves alone an import the web side has just created and is about to enqueue.
 */
export async function requeueLostImports(
  idleMs = 30_000,
  partialIdleMs = PARTIAL_RETRY_AFTER_MS,
  now = new Date(),
): Promise<number> {
  let requeued = 0;
  const idle = [
    ...(await listIdleUnfinishedImports(idleMs, now)),
    ...(await listIdlePartialImports(partialIdleMs, now)),
  ];
  for (const job of idle) {
    if (
      job.status === "partial" &&
      job.errorCode !== "upstream_unavailable" &&
      job.errorCode !== "musicbrainz_unavailable"
    )
      continue;
    // An opted-out listener's leftover import is never woken up again.
    if (await isOptedOut(job.user.name)) continue;
    if (await requeue(job)) requeued++;
  }
  return requeued;
}
