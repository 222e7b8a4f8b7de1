// A listener's whole history: every year they played music, each with its release decades (share of
// dated plays) and median age, and the trend of that age. Years fill in as their imports finish.
import type { LastfmUser } from "@/generated/prisma/client";
import { assertNotOptedOut } from "@/lib/account/choices";
import { enqueueBackgroundFetch } from "@/lib/jobs";
import {
  type LookupOptions,
  assertImportable,
  listActiveYears,
  nameKey,
  profileUrl,
  registeredYear,
  resolveUser,
} from "@/lib/lastfm/users";
import { env } from "@/lib/server/env";
import { getYearDistribution, type YearDistribution } from "./distribution";
import { assertCanStartImport, countQueuedImports, withImportStartLock } from "./limits";
import { decadeOf, toDecadeSeries } from "./series";
import { getOrCreateFetchJob, listFetchJobs } from "./store";
import { tellStory } from "./story";
import { fitTrend, type Trend } from "./trend";

export type HistoryYear = {
  year: number;
  status: YearDistribution["status"];
  /** Where the numbers come from: "scrobbles" once the year is imported, "none" until then. */
  basis: "none" | "scrobbles";
  scrobbles: number;
  coverage: number;
  medianAge: number | null;
  decades: { decade: number; scrobbles: number; share: number }[];
};

export type History = {
  username: string;
  url: string;
  registeredYear: number;
  /** Every decade from the oldest to the newest any year played, gaps included: the heat map's columns. */
  decades: number[];
  years: HistoryYear[];
  /** Median age per listening year, fitted: slope in years of age per listening year. */
  trend: Trend | null;
  /** How many years this request queued for import (POST only; 0 on a read). */
  queued: number;
};

const FINISHED = new Set(["complete", "partial"]);

function toHistoryYear(result: YearDistribution): HistoryYear {
  const isFinished = FINISHED.has(result.status);
  const dated = result.totals.dated;
  return {
    year: result.year,
    status: result.status,
    basis: isFinished ? "scrobbles" : "none",
    scrobbles: result.totals.scrobbles,
    coverage: result.totals.coverage,
    medianAge: isFinished ? tellStory(result).medianAge : null,
    decades: isFinished
      ? toDecadeSeries(result.distribution)
          .filter((point) => point.scrobbles > 0)
          .map((point) => ({
            decade: point.key,
            scrobbles: point.scrobbles,
            share: dated === 0 ? 0 : Math.round((point.scrobbles / dated) * 1000) / 1000,
          }))
      : [],
  };
}

/**
 * Queues, behind everything a visitor is waiting for, every played year not imported yet. Counts as ONE
 * import start against the caller's limit, and never fills the deployment's queue past its cap.
 */
async function queueMissingYears(user: LastfmUser, years: number[], clientIp?: string): Promise<number> {
  const jobs = await listFetchJobs(user.id);
  const known = new Set(jobs.map((job) => job.year));
  const missing = years.filter((year) => !known.has(year));
  if (missing.length === 0) return 0;
  return withImportStartLock(async () => {
    if (clientIp !== undefined) await assertCanStartImport(clientIp);
    const room = Math.max(0, env().IMPORT_QUEUE_CAP - (await countQueuedImports()));
    const queued = missing.slice(0, room);
    for (const year of queued) {
      await getOrCreateFetchJob({ userId: user.id, year });
      await enqueueBackgroundFetch({ username: nameKey(user.name), year });
    }
    return queued.length;
  });
}

async function resolveHistoryUser(
  username: string,
  options: LookupOptions = {},
): Promise<{ user: LastfmUser; activeYears: number[] }> {
  await assertNotOptedOut(username);
  const user = await resolveUser(username, new Date(), options);
  assertImportable(user);
  return { user, activeYears: await listActiveYears(user) };
}

/**
 * Queues every played year that is not imported yet (the "chart every year" button). Over the caller's
 * limit this is a 429 like any new import; a full queue takes what fits.
 */
export async function requestHistoryImports(username: string, { clientIp }: { clientIp?: string } = {}) {
  const { user, activeYears } = await resolveHistoryUser(username, { clientIp });
  const queued = await queueMissingYears(user, activeYears, clientIp);
  return { ...(await readHistory(user, activeYears)), queued };
}

/** Read-only: what is stored, and the state of every played year's import. */
export async function getHistory(username: string, options: LookupOptions = {}): Promise<History> {
  const { user, activeYears } = await resolveHistoryUser(username, options);
  return readHistory(user, activeYears);
}

async function readHistory(user: LastfmUser, activeYears: number[]): Promise<History> {
  const jobYears = (await listFetchJobs(user.id)).map((job) => job.year);
  const years = [...new Set([...activeYears, ...jobYears])].sort((a, b) => a - b);
  const rows = await Promise.all(years.map(async (year) => toHistoryYear(await getYearDistribution(user, year))));
  const played = rows.flatMap((row) => row.decades.map((cell) => cell.decade));
  const decades =
    played.length === 0
      ? []
      : Array.from(
          { length: (decadeOf(Math.max(...played)) - decadeOf(Math.min(...played))) / 10 + 1 },
          (_, i) => Math.min(...played) + i * 10,
        );
  const ages = rows.flatMap((row) => (row.medianAge === null ? [] : [{ x: row.year, y: row.medianAge }]));
  return {
    username: user.name,
    url: profileUrl(env().LASTFM_WEB_URL, user.name),
    registeredYear: registeredYear(user),
    decades,
    years: rows,
    trend: fitTrend(ages),
    queued: 0,
  };
}
