// fetch-scrobbles: imports one user's year from user.getRecentTracks, page by checkpointed page.
// Page 1 gives totalPages; the rest are fetched concurrently under the deployment-wide Last.fm budget.
import { type Job, UnrecoverableError } from "bullmq";
import type { FetchJob } from "@/generated/prisma/client";
import { backoffDelay, runPool, sleep } from "@/lib/server/concurrency";
import {
  listMissingRanges,
  offsetsOf,
  type PageRequest,
  planPages,
  smallerPageSize,
  splitPage,
} from "@/lib/imports/page-plan";
import {
  addPlannedPages,
  announce,
  countStoredBySlice,
  extendWindow,
  findUnfinishedJob,
  getOrCreateFetchJob,
  listFetchedPages,
  reconcileCounts,
  storePage,
  updateFetchJob,
} from "@/lib/imports/store";
import { enqueueEnrich, FetchScrobblesSchema } from "@/lib/jobs";
import {
  countScrobbles,
  getRecentTracksPage,
  getUserInfo,
  LastfmError,
  type RecentTracksPage,
} from "@/lib/lastfm/client";
import { env } from "@/lib/server/env";
import { log } from "@/lib/server/log";
import { nameKey, resolveUser } from "@/lib/lastfm/users";
import { listRefreshWindows, sliceWindow, toUnixSeconds, type YearWindow } from "@/lib/imports/year-window";
import { isOptedOut } from "@/lib/account/choices";

/** Pages in flight per import: enough to hide latency; the shared budget and its line set the pace. */
export const PAGE_CONCURRENCY = 6;
const PAGE_ATTEMPTS = 7;
/** Failures (other than 29) after which a page of 1,000 or 500 is read again in smaller pages. */
const LARGE_PAGE_ATTEMPTS = 2;
/** Slices the year is split into when the stored plays disagree with Last.fm's total. */
const VERIFY_SLICES = 12;

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

type PageReader = {
  username: string;
  from: number;
  to: number;
  signal: AbortSignal;
  /** This import's requests so far: its place in the budget's line (least served first). */
  served: number;
};

/**
 * One page, retried with exponential backoff and jitter; 29 waits longer. A page of 1,000 or 500 gives
 * up after LARGE_PAGE_ATTEMPTS other failures (the caller reads it again in smaller pages). Throws the last error.
 */
async function fetchPage(reader: PageReader, request: PageRequest): Promise<RecentTracksPage> {
  const sizeAttempts = smallerPageSize(request.pageSize) === null ? PAGE_ATTEMPTS : LARGE_PAGE_ATTEMPTS;
  let failures = 0;
  for (let attempt = 0; ; attempt++) {
    try {
      return await getRecentTracksPage(
        {
          user: reader.username,
          from: reader.from,
          to: reader.to,
          page: request.page,
          limit: request.pageSize,
          lane: { lane: "bulk", served: reader.served++ },
        },
        reader.signal,
      );
    } catch (error) {
      if (!(error instanceof LastfmError)) throw error;
      if (!error.isRetryable) {
        const permanent = await toPermanent(error, reader.username);
        if (permanent) throw permanent;
      }
      if (error.kind !== "rate_limited") failures++;
      if (failures >= sizeAttempts || attempt + 1 >= PAGE_ATTEMPTS) throw error;
      const delay =
        error.kind === "rate_limited" ? backoffDelay(attempt, 4_000, 60_000) : backoffDelay(attempt, 500, 20_000);
      log.debug({ username: reader.username, ...request, attempt, err: error.message, delay }, "page retry");
      await sleep(delay, reader.signal);
    }
  }
}

/** Page 1 tells the window's total: at the preferred size, else at each smaller one. */
async function fetchFirstPage(reader: PageReader, pageSize: number): Promise<[PageRequest, RecentTracksPage]> {
  let request: PageRequest = { page: 1, pageSize };
  for (;;) {
    try {
      return [request, await fetchPage(reader, request)];
    } catch (error) {
      const smaller = smallerPageSize(request.pageSize);
      if (!(error instanceof LastfmError) || smaller === null) throw error;
      request = { page: 1, pageSize: smaller };
    }
  }
}

/**
 * Fetches every play no checkpoint covers, at the job's page size; a page that keeps failing is read
 * again as smaller pages (1,000 → 500 → 200). Returns the pages that still failed at the smallest size.
 */
async function fetchMissingPages(
  job: FetchJob,
  username: string,
): Promise<{ job: FetchJob; failedPages: PageRequest[] }> {
  const abort = new AbortController();
  const reader: PageReader = {
    username,
    from: toUnixSeconds(job.windowFrom),
    to: toUnixSeconds(job.windowTo),
    signal: abort.signal,
    served: job.pagesFetched,
  };
  let current = job;
  const failedPages: PageRequest[] = [];

  const store = async (request: PageRequest, result: RecentTracksPage) => {
    current = await storePage(current, request, result.scrobbles);
    await announce(current, username, "progress");
  };

  // Page 1 goes first and alone: it tells the total, and which page size this account can be served at.
  let largestWorking = current.pageSize;
  if (current.pagesFetched === 0) {
    const [request, first] = await fetchFirstPage(reader, current.pageSize);
    largestWorking = request.pageSize;
    current = await updateFetchJob(current, username, {
      totalPages: Math.ceil(first.total / current.pageSize),
      expectedTotal: first.total,
    });
    await store(request, first);
  }
  const total = current.expectedTotal ?? 0;
  const plan = planPages(await listFetchedPages(current.id), total, current.pageSize);
  if (current.totalPages === null) {
    current = await updateFetchJob(current, username, { totalPages: Math.ceil(total / current.pageSize) });
  }

  // Pages stored or in flight: a smaller page whose plays another one already holds is not read twice.
  let claimed: PageRequest[] = [...(await listFetchedPages(current.id)), ...plan];
  // A size that made two different pages fall back is skipped for the rest of this run (the account
  // cannot be served at it), instead of failing twice more on every page.
  const fallbacks = new Map<number, number>();
  const isNeeded = (request: PageRequest) => {
    const range = offsetsOf(request, total);
    return listMissingRanges(claimed, total).some((gap) => gap.start < range.end && gap.end > range.start);
  };

  const fallBack = async (request: PageRequest, reason: string): Promise<void> => {
    claimed = claimed.filter((other) => other !== request);
    const smaller = splitPage(request, total).filter(isNeeded);
    claimed.push(...smaller);
    log.info({ username, ...request, into: smaller.length, reason }, "page falls back to a smaller size");
    await addPlannedPages(current, smaller.length - 1);
    await runPool(smaller, smaller.length, read);
  };

  async function read(request: PageRequest): Promise<void> {
    if (request.pageSize > largestWorking) return fallBack(request, `${request.pageSize} fails for this account`);
    let result: RecentTracksPage;
    try {
      result = await fetchPage(reader, request);
    } catch (error) {
      if (!(error instanceof LastfmError)) throw error;
      if (smallerPageSize(request.pageSize) === null) {
        failedPages.push(request);
        return;
      }
      const count = (fallbacks.get(request.pageSize) ?? 0) + 1;
      fallbacks.set(request.pageSize, count);
      if (count >= 2) largestWorking = Math.min(largestWorking, smallerPageSize(request.pageSize) ?? 0);
      return fallBack(request, error.message);
    }
    await store(request, result);
  }
  try {
    await runPool(plan, PAGE_CONCURRENCY, read);
  } catch (error) {
    abort.abort(error);
    throw error;
  }
  return { job: current, failedPages };
}

/** Every play of `window` from Last.fm, stored without checkpoints (a slice read again, a refreshed tail). */
async function rereadWindow(job: FetchJob, username: string, window: YearWindow, signal: AbortSignal): Promise<void> {
  const reader: PageReader = {
    username,
    from: toUnixSeconds(window.from),
    to: toUnixSeconds(window.to),
    signal,
    served: job.pagesFetched,
  };
  const tail: FetchJob = { ...job, windowFrom: window.from, windowTo: window.to };
  const [, first] = await fetchFirstPage(reader, job.pageSize);
  await storePage(tail, null, first.scrobbles);
  const pageSize = first.perPage;
  for (let page = 2; page <= Math.ceil(first.total / pageSize); page++) {
    await storePage(tail, null, (await fetchPage(reader, { page, pageSize })).scrobbles);
  }
}

/**
 * Checks what was stored against Last.fm's own count. When the year disagrees (a play back-filled or
 * deleted meanwhile, a page that shifted), it is split into slices, each slice's count is asked, and only
 * the slices that disagree are read again. Costs nothing when the rows match page 1's total, one request
 * when they do not. `expectedTotal` stays page 1's: the checkpoints' offsets are counted in that window.
 */
export async function verifyStoredPlays(job: FetchJob, username: string, signal: AbortSignal): Promise<FetchJob> {
  let current = await reconcileCounts(job);
  if (current.expectedTotal === current.scrobblesFetched) return current;
  const bulk = () => ({ lane: "bulk" as const, served: current.pagesFetched });
  const window = { from: current.windowFrom, to: current.windowTo };
  const total = await countScrobbles(username, toUnixSeconds(window.from), toUnixSeconds(window.to), signal, bulk());
  if (total !== current.scrobblesFetched) {
    const slices = sliceWindow(window, VERIFY_SLICES);
    const stored = await countStoredBySlice(current, [
      ...slices.map((slice) => toUnixSeconds(slice.from)),
      toUnixSeconds(window.to),
    ]);
    for (const [i, slice] of slices.entries()) {
      const expected = await countScrobbles(
        username,
        toUnixSeconds(slice.from),
        toUnixSeconds(slice.to),
        signal,
        bulk(),
      );
      if (expected === stored[i]) continue;
      log.info({ username, slice: i, expected, stored: stored[i] }, "slice disagrees with Last.fm: reading it again");
      await rereadWindow(current, username, slice, signal);
    }
    current = await reconcileCounts(current);
  }
  return current;
}

/**
 * Re-reads windows of a year already fetched (its tail, late scrobbles, the head an older window lacks),
 * without checkpoints. The window moves only once every page is stored: a failure leaves the year as it
 * was, so the retry asks for the same windows.
 */
async function refreshWindows(job: FetchJob, username: string, windows: YearWindow[], now: Date): Promise<FetchJob> {
  const abort = new AbortController();
  for (const window of windows) await rereadWindow(job, username, window, abort.signal);
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
    // The page size is chosen when the first page is read; checkpoints carry their own.
    ...(job.pagesFetched === 0 ? { pageSize: env().LASTFM_PAGE_SIZE } : {}),
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

  // A refresh re-read its windows whole; the rest was checked when it was imported.
  job =
    refresh.length > 0
      ? await reconcileCounts(job)
      : await verifyStoredPlays(job, user.name, new AbortController().signal);
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
