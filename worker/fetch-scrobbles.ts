// fetch-scrobbles: imports one user's year from user.getRecentTracks, page by checkpointed page.
// Page 1 gives totalPages; the rest are fetched concurrently under the deployment-wide Last.fm budget.
import { type Job, UnrecoverableError } from "bullmq";
import type { FetchJob } from "@/generated/prisma/client";
import { backoffDelay, runPool, sleep } from "@/lib/server/concurrency";
import {
  announce,
  extendWindow,
  findUnfinishedJob,
  getOrCreateFetchJob,
  listFetchedPages,
  reconcileCounts,
  storePage,
  updateFetchJob,
} from "@/lib/imports/store";
import { enqueueEnrich, FetchScrobblesSchema } from "@/lib/jobs";
import { getRecentTracksPage, getUserInfo, LastfmError, type RecentTracksPage } from "@/lib/lastfm/client";
import { log } from "@/lib/server/log";
import { nameKey, resolveUser } from "@/lib/lastfm/users";
import { listRefreshWindows, toUnixSeconds, type YearWindow } from "@/lib/imports/year-window";
import { isOptedOut } from "@/lib/account/choices";

/** 200 is the page size big accounts survive (1000 fails for some). */
export const PAGE_SIZE = 200;
/** Pages in flight per import: enough to hide latency; the shared budget sets the pace. */
export const PAGE_CONCURRENCY = 6;
const PAGE_ATTEMPTS = 7;

/** A failure that retrying cannot fix: the job ends `failed` with this code and message. */
class PermanentImportError extends Error {
  constructor(
    readonly code: "user_not_found" | "private_profile" | "lastfm_key_invalid",
    message: string,
  ) {
    super(message);
  }
}

const PRIVATE = new PermanentImportError("private_profile", "This user keeps their listening private.");
const NOT_FOUND = new PermanentImportError("user_not_found", "No Last.fm user has that name.");

async function toPermanent(error: LastfmError, username: string): Promise<PermanentImportError | null> {
  if (error.kind === "private_profile")
    return new PermanentImportError("private_profile", "This user keeps their listening private.");
  if (error.kind === "bad_key") {
    log.error({ code: error.code }, "Last.fm rejected our API key: check LASTFM_API_KEY");
    return new PermanentImportError("lastfm_key_invalid", "Our Last.fm access is misconfigured; we have been alerted.");
  }
  if (error.kind === "user_not_found") {
    // Last.fm sends spurious "User not found" mid-run: believe it only if the profile is really gone.
    try {
      await getUserInfo(username);
      return null;
    } catch (recheck) {
      if (recheck instanceof LastfmError && recheck.kind === "user_not_found") {
        return new PermanentImportError("user_not_found", "No Last.fm user has that name.");
      }
      return null;
    }
  }
  return null;
}

/** One page, retried with exponential backoff and jitter; 29 waits longer. Throws the last error. */
async function fetchPage(
  username: string,
  from: number,
  to: number,
  page: number,
  signal: AbortSignal,
): Promise<RecentTracksPage> {
  for (let attempt = 0; ; attempt++) {
    try {
      return await getRecentTracksPage({ user: username, from, to, page, limit: PAGE_SIZE }, signal);
    } catch (error) {
      if (!(error instanceof LastfmError)) throw error;
      if (!error.isRetryable) {
        const permanent = await toPermanent(error, username);
        if (permanent) throw permanent;
      }
      if (attempt + 1 >= PAGE_ATTEMPTS) throw error;
      const delay =
        error.kind === "rate_limited" ? backoffDelay(attempt, 4_000, 60_000) : backoffDelay(attempt, 500, 20_000);
      log.debug({ username, page, attempt, err: error.message, delay }, "page retry");
      await sleep(delay, signal);
    }
  }
}

/** Fetches every page without a checkpoint. Returns the pages that still failed after all attempts. */
async function fetchMissingPages(job: FetchJob, username: string): Promise<{ job: FetchJob; failedPages: number[] }> {
  const from = toUnixSeconds(job.windowFrom);
  const to = toUnixSeconds(job.windowTo);
  const abort = new AbortController();
  let current = job;
  const failedPages: number[] = [];

  const store = async (page: number, result: RecentTracksPage) => {
    current = await storePage(current, page, result.scrobbles);
    await announce(current, username, "progress");
  };

  if (current.totalPages === null) {
    const first = await fetchPage(username, from, to, 1, abort.signal);
    current = await updateFetchJob(current, username, { totalPages: first.totalPages, expectedTotal: first.total });
    await store(1, first);
  }
  const done = await listFetchedPages(current.id);
  const missing = Array.from({ length: current.totalPages ?? 0 }, (_, i) => i + 1).filter((page) => !done.has(page));
  try {
    await runPool(missing, PAGE_CONCURRENCY, async (page) => {
      try {
        await store(page, await fetchPage(username, from, to, page, abort.signal));
      } catch (error) {
        if (error instanceof LastfmError) failedPages.push(page);
        else throw error;
      }
    });
  } catch (error) {
    abort.abort(error);
    throw error;
  }
  return { job: current, failedPages };
}

/**
 * Re-reads windows of a year already fetched (its tail, late scrobbles, the head an older window lacks),
 * without checkpoints. The window moves only once every page is stored: a failure leaves the year as it
 * was, so the retry asks for the same windows.
 */
async function refreshWindows(job: FetchJob, username: string, windows: YearWindow[], now: Date): Promise<FetchJob> {
  const abort = new AbortController();
  for (const window of windows) {
    const part: FetchJob = { ...job, windowFrom: window.from, windowTo: window.to };
    const [from, to] = [toUnixSeconds(window.from), toUnixSeconds(window.to)];
    const first = await fetchPage(username, from, to, 1, abort.signal);
    for (let page = 1; page <= first.totalPages; page++) {
      const result = page === 1 ? first : await fetchPage(username, from, to, page, abort.signal);
      await storePage(part, null, result.scrobbles);
    }
  }
  let current = job;
  // Only the tail (it ends where the window does, or later) was read "now"; a head says nothing about late plays.
  for (const window of windows)
    current = await extendWindow(current, window, window.to >= job.windowTo ? now : current.syncedAt);
  return current;
}

/** The year's row says it failed for good: the visitor sees why, and nothing retries it. */
async function markFailed(job: FetchJob, username: string, code: PermanentImportError["code"], message: string) {
  await updateFetchJob(job, username, { status: "failed", errorCode: code, error: message, finishedAt: new Date() });
}

/** `now` is the clock every window rule reads (tests set it; the worker passes none). */
export async function fetchScrobbles(bullJob: Pick<Job, "data" | "id">, now = new Date()): Promise<void> {
  const { username, year } = FetchScrobblesSchema.parse(bullJob.data);
  if (await isOptedOut(username)) throw new UnrecoverableError(`user ${username} has opted out`);
  const user = await resolveUser(username, now);
  if (user.state !== "active") {
    const unfinished = await findUnfinishedJob(user.id, year);
    const failure = user.state === "private" ? PRIVATE : NOT_FOUND;
    if (unfinished) await markFailed(unfinished, user.name, failure.code, failure.message);
    throw new UnrecoverableError(`user ${username} is ${user.state}`);
  }
  let job = await getOrCreateFetchJob({ userId: user.id, year }, now);
  const context = { username: nameKey(user.name), year, jobId: bullJob.id };

  // The row, not the job's mode, says what is due: a retried refresh refreshes again.
  const refresh = listRefreshWindows(job, now);
  if (job.status === "complete" && refresh.length === 0) return;
  if (job.status === "enriching") {
    await enqueueEnrich({ username: nameKey(user.name), year });
    return;
  }

  job = await updateFetchJob(job, user.name, {
    status: "fetching",
    startedAt: job.startedAt ?? new Date(),
    error: null,
    errorCode: null,
  });
  log.info(
    { ...context, status: "fetching", totalPages: job.totalPages, pagesFetched: job.pagesFetched },
    "import fetching",
  );

  let result: Awaited<ReturnType<typeof fetchMissingPages>>;
  try {
    result = await fetchMissingPages(job, user.name);
  } catch (error) {
    if (error instanceof PermanentImportError) {
      await markFailed(job, user.name, error.code, error.message);
      log.warn({ ...context, status: "failed", code: error.code }, "import failed");
      throw new UnrecoverableError(error.message);
    }
    const message = error instanceof Error ? error.message : String(error);
    await updateFetchJob(job, user.name, { status: "partial", errorCode: "upstream_unavailable", error: message });
    throw error;
  }
  job = result.job;
  if (result.failedPages.length > 0) {
    const message = `Last.fm kept failing for ${result.failedPages.length} of ${job.totalPages} pages; they will be fetched again.`;
    await updateFetchJob(job, user.name, { status: "partial", errorCode: "upstream_unavailable", error: message });
    log.warn({ ...context, status: "partial", failedPages: result.failedPages.length }, "import partial");
    // BullMQ retries the job with backoff; the retry fetches only the pages without a checkpoint.
    throw new Error(message);
  }
  if (refresh.length > 0) {
    try {
      job = await refreshWindows(job, user.name, refresh, now);
    } catch (error) {
      if (error instanceof PermanentImportError) {
        await markFailed(job, user.name, error.code, error.message);
        throw new UnrecoverableError(error.message);
      }
      // Visibly unfinished, never `complete` without the plays it was fetching; BullMQ (then the worker's
      // sweep) retries, and the unmoved window makes the retry read the same windows.
      const message = `Could not refresh ${year} from Last.fm: ${error instanceof Error ? error.message : error}`;
      await updateFetchJob(job, user.name, { status: "partial", errorCode: "upstream_unavailable", error: message });
      throw error;
    }
  }

  job = await reconcileCounts(job);
  job = await updateFetchJob(job, user.name, { status: "enriching", attempts: 0 });
  log.info(
    {
      ...context,
      status: "enriching",
      stored: job.scrobblesFetched,
      expected: job.expectedTotal,
      pages: job.totalPages,
    },
    "import fetched",
  );
  await enqueueEnrich({ username: nameKey(user.name), year });
}
