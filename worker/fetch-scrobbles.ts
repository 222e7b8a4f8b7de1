// fetch-scrobbles: imports one user's year from user.getRecentTracks, page by checkpointed page.
// Page 1 gives totalPages; the rest are fetched concurrently under the deployment-wide Last.fm budget.
import { type Job, UnrecoverableError } from "bullmq";
import type { FetchJob } from "@/generated/prisma/client";
import { backoffDelay, runPool, sleep } from "@/lib/server/concurrency";
import {
  announce,
  extendWindow,
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
import { BACKFILL_WINDOW_MS, currentYear, toUnixSeconds } from "@/lib/imports/year-window";

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

/** A finished current year: re-read from the newest stored play minus Last.fm's back-fill window, to now. */
async function refreshTail(job: FetchJob, username: string): Promise<FetchJob> {
  const now = new Date();
  const from = new Date(Math.max(job.windowFrom.getTime(), job.windowTo.getTime() - BACKFILL_WINDOW_MS));
  const tail: FetchJob = { ...job, windowFrom: from, windowTo: now };
  const abort = new AbortController();
  const first = await fetchPage(username, toUnixSeconds(from), toUnixSeconds(now), 1, abort.signal);
  for (let page = 1; page <= first.totalPages; page++) {
    const result =
      page === 1 ? first : await fetchPage(username, toUnixSeconds(from), toUnixSeconds(now), page, abort.signal);
    await storePage(tail, null, result.scrobbles);
  }
  return extendWindow(job, now);
}

export async function fetchScrobbles(bullJob: Job): Promise<void> {
  const { username, year, mode } = FetchScrobblesSchema.parse(bullJob.data);
  const user = await resolveUser(username);
  if (user.state !== "active") throw new UnrecoverableError(`user ${username} is ${user.state}`);
  let job = await getOrCreateFetchJob({ userId: user.id, year });
  const context = { username: nameKey(user.name), year, jobId: bullJob.id };

  if (job.status === "complete" && !(mode === "refresh" && year === currentYear())) return;
  if (job.status === "complete") {
    job = await updateFetchJob(job, user.name, { status: "fetching" });
    job = await reconcileCounts(await refreshTail(job, user.name));
    await updateFetchJob(job, user.name, { status: "enriching" });
    await enqueueEnrich({ username: nameKey(user.name), year });
    return;
  }
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
      await updateFetchJob(job, user.name, {
        status: "failed",
        errorCode: error.code,
        error: error.message,
        finishedAt: new Date(),
      });
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

  job = await reconcileCounts(job);
  job = await updateFetchJob(job, user.name, { status: "enriching" });
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
