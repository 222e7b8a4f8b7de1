// What a year's page shows: the user, the distribution, the top albums and when re-import and retry are
// possible again. A finished year is read from its rows alone (snapshot and top albums saved with it).
import type { LastfmUser } from "@/generated/prisma/client";
import { env } from "@/lib/server/env";
import { isOptedOut } from "@/lib/account/choices";
import { findUser } from "@/lib/lastfm/users";
import { type Cooldowns, getCooldowns } from "./cooldown";
import {
  getYearDistribution,
  listTopAlbums,
  listTopAlbumsOf,
  type TopAlbum,
  type YearDistribution,
} from "./distribution";
import { isYearFinished } from "./finished-year";
import { failedImportError, type RequestOptions, requestImport } from "./requests";
import { getFetchJob } from "./store";
import { UTC } from "./year-window";

export type YearPage = { user: LastfmUser; result: YearDistribution; topAlbums: TopAlbum[]; cooldowns: Cooldowns };
type PageOptions = RequestOptions & { timeZone?: string };

/** A finished year needs no Last.fm call and no import check: one user row, one job row. */
async function loadFinished(
  username: string,
  year: number,
  timeZone: string,
): Promise<Omit<YearPage, "cooldowns"> | null> {
  const user = await findUser(username);
  if (user?.state !== "active" || (await isOptedOut(username))) return null;
  const job = await getFetchJob(user.id, year);
  if (!isYearFinished(job)) return null;
  const topAlbums = timeZone === UTC ? await listTopAlbumsOf(job) : await listTopAlbums(user, year, timeZone);
  return { user, result: await getYearDistribution(user, year, timeZone, job), topAlbums };
}

/** The page before finished years were cached (PAGE_CACHE=0 keeps it, for the bench's comparison). */
async function loadLive(
  username: string,
  year: number,
  timeZone: string,
  options: RequestOptions,
): Promise<Omit<YearPage, "cooldowns">> {
  const { user } = await requestImport(username, year, options);
  const result = await getYearDistribution(user, year, timeZone);
  if (result.status === "failed") throw failedImportError(result.error);
  const isDone = result.status === "complete" || result.status === "partial";
  return { user, result, topAlbums: isDone ? await listTopAlbums(user, year, timeZone) : [] };
}

export async function loadYearPage(
  username: string,
  year: number,
  { timeZone = UTC, ...options }: PageOptions,
): Promise<YearPage> {
  const page =
    (env().PAGE_CACHE ? await loadFinished(username, year, timeZone) : null) ??
    (await loadLive(username, year, timeZone, options));
  return { ...page, cooldowns: await getCooldowns(page.user, year) };
}
