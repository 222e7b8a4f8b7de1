// Last.fm accounts: validation, the cached profile (24 h), and the years a user can ask about.
import { z } from "zod";
import type { LastfmUser } from "@/generated/prisma/client";
import { backoffDelay, sleep } from "@/lib/server/concurrency";
import { db } from "@/lib/server/db";
import { env } from "@/lib/server/env";
import { AppError } from "@/lib/server/http";
import { takeFromWindow } from "@/lib/server/rate-window";
import { redisKey } from "@/lib/server/redis";
import { checkProfilePage, countScrobbles, getUserInfo, LastfmError } from "./client";
import { currentYear, toUnixSeconds, yearWindow } from "@/lib/imports/year-window";

/** Last.fm's sign-up rule: 2–15 characters, a letter first, then letters, digits, _ or -. */
export const UsernameSchema = z
  .string()
  .regex(/^[A-Za-z][A-Za-z0-9_-]{1,14}$/, "must be 2–15 characters: a letter, then letters, digits, _ or -");

export const YearSchema = z.coerce
  .number({ message: "must be a number" })
  .int("must be a whole year")
  .min(2002, "Last.fm started in 2002")
  .max(2100, "is too far ahead");

export const PROFILE_TTL_MS = 24 * 3600 * 1000;

export function nameKey(username: string): string {
  return username.toLowerCase();
}

export function profileUrl(webUrl: string, name: string): string {
  return `${webUrl.replace(/\/$/, "")}/user/${encodeURIComponent(name)}`;
}

export async function findUser(username: string): Promise<LastfmUser | null> {
  return db().lastfmUser.findUnique({ where: { nameKey: nameKey(username) } });
}

/** Interactive calls retry a transient Last.fm failure briefly: a visitor should not see one 500. */
async function retrying<T>(call: () => Promise<T>, attempts = 3): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await call();
    } catch (error) {
      if (!(error instanceof LastfmError && error.isRetryable) || attempt >= attempts) throw error;
      await sleep(backoffDelay(attempt - 1, 300, 2_000));
    }
  }
}

function upstreamError(error: unknown): never {
  if (error instanceof LastfmError) {
    if (error.kind === "user_not_found") throw new AppError("user_not_found", "No Last.fm user has that name.");
    if (error.kind === "private_profile")
      throw new AppError("private_profile", "This user keeps their listening private.");
    throw new AppError("upstream_unavailable", "Last.fm is not answering right now. Please try again in a minute.");
  }
  throw error;
}

async function saveState(username: string, state: "not_found" | "private"): Promise<LastfmUser> {
  return db().lastfmUser.upsert({
    where: { nameKey: nameKey(username) },
    create: { name: username, nameKey: nameKey(username), state, checkedAt: new Date() },
    update: { state, checkedAt: new Date() },
  });
}

/**
 * Throws 429 `rate_limited` when `clientIp` has looked up LOOKUP_RATE_LIMIT names we did not know within the
 * window: each costs Last.fm calls from the budget every import shares, so a script asking for random
 * names spends at most this much of it. A crowd of addresses, each within its own allowance, meets the
 * deployment's limit next (per minute): together they never take more than a share of the budget, and
 * imports already running keep their pace. The address's own allowance is checked first, so one over it
 * spends none of everyone's.
 */
export async function assertCanLookUpName(clientIp: string): Promise<void> {
  const { LOOKUP_RATE_LIMIT, LOOKUP_RATE_WINDOW_S } = env();
  const waitMs = await takeFromWindow(redisKey("name-lookups", clientIp), LOOKUP_RATE_LIMIT, LOOKUP_RATE_WINDOW_S);
  if (waitMs > 0) {
    const seconds = Math.ceil(waitMs / 1000);
    throw new AppError(
      "rate_limited",
      `You have looked up ${LOOKUP_RATE_LIMIT} new Last.fm names recently; please try again in ${seconds} s.`,
      { "Retry-After": String(seconds) },
    );
  }
  const everyoneWaitMs = await takeFromWindow(redisKey("name-lookups-all"), deploymentLookupLimit(), 60);
  if (everyoneWaitMs > 0) {
    const seconds = Math.ceil(everyoneWaitMs / 1000);
    throw new AppError(
      "rate_limited",
      `Many new Last.fm names are being looked up right now; please try again in ${seconds} s.`,
      { "Retry-After": String(seconds) },
    );
  }
}

/**
 * New-name lookups per minute, deployment-wide. The default keeps them within a sixth of the budget: one
 * costs up to two calls (user.getInfo, then one total to tell a private profile), 5 per minute per
 * request per second of budget is at most 10 of every 60 calls. Imports then keep at least 5/6 of their
 * pace (the bench's goal is 2/3); a third of the budget measured 1.61x slower imports on a loaded machine.
 */
export function deploymentLookupLimit(): number {
  const { LOOKUP_DEPLOYMENT_LIMIT, LASTFM_RATE_LIMIT } = env();
  return LOOKUP_DEPLOYMENT_LIMIT ?? Math.max(1, Math.round(LASTFM_RATE_LIMIT * 5));
}

/** Web requests pass the client's IP: a name we have not checked within 24 h then counts against its lookups. */
export type LookupOptions = { clientIp?: string };

/**
 * The user as Last.fm knows them, from our cache when checked within 24 h: unknown and private names are
 * remembered like the others, so asking again costs no call. A 404 on the profile page settles "unknown"
 * without API quota; anything else goes to user.getInfo, which gives the canonical name.
 */
export async function resolveUser(
  username: string,
  now = new Date(),
  { clientIp }: LookupOptions = {},
): Promise<LastfmUser> {
  const cached = await findUser(username);
  if (cached && now.getTime() - cached.checkedAt.getTime() < PROFILE_TTL_MS) return cached;
  if (clientIp !== undefined) await assertCanLookUpName(clientIp);

  if ((await checkProfilePage(username)) === "missing") return saveState(username, "not_found");
  let info: Awaited<ReturnType<typeof getUserInfo>>;
  try {
    info = await retrying(() => getUserInfo(username));
  } catch (error) {
    if (error instanceof LastfmError && error.kind === "user_not_found") return saveState(username, "not_found");
    if (error instanceof LastfmError && error.kind === "private_profile") return saveState(username, "private");
    return upstreamError(error);
  }
  // getInfo answers for private profiles too; only recent tracks tell (error 17). One call per day per user.
  try {
    await retrying(() => countScrobbles(info.name, 0, toUnixSeconds(now) + 1));
  } catch (error) {
    if (error instanceof LastfmError && error.kind === "private_profile") return saveState(info.name, "private");
    return upstreamError(error);
  }
  const fields = {
    name: info.name,
    registeredAt: info.registeredAt,
    playcount: info.playcount,
    state: "active" as const,
    checkedAt: now,
  };
  return db().lastfmUser.upsert({
    where: { nameKey: nameKey(info.name) },
    create: { ...fields, nameKey: nameKey(info.name) },
    update: fields,
  });
}

/** Throws the API error for a user who cannot be imported. */
export function assertImportable(user: LastfmUser): void {
  if (user.state === "not_found") throw new AppError("user_not_found", "No Last.fm user has that name.");
  if (user.state === "private") throw new AppError("private_profile", "This user keeps their listening private.");
}

export function registeredYear(user: LastfmUser): number {
  return user.registeredAt ? user.registeredAt.getUTCFullYear() : currentYear();
}

/** The year list is computed again after this, empty or not: a new year must appear, a silent account must not cost a call per view. */
export const ACTIVE_YEARS_TTL_MS = 24 * 3600 * 1000;

/**
 * The years worth offering: registration year to now, refined with one `limit=1` total per year
 * (cheap, exact) and kept for a day. Scrobbles can predate registration, so the year before
 * registration is probed too. An account with no plays is settled by one total over the whole span.
 */
export async function listActiveYears(user: LastfmUser, now = new Date()): Promise<number[]> {
  const isFresh = user.yearsSeenAt !== null && now.getTime() - user.yearsSeenAt.getTime() < ACTIVE_YEARS_TTL_MS;
  if (isFresh) return user.activeYears;
  const first = registeredYear(user) - 1;
  const candidates = Array.from({ length: currentYear(now) - first + 1 }, (_, i) => first + i);
  let years: number[];
  try {
    const span = () => countScrobbles(user.name, toUnixSeconds(yearWindow(first).from), toUnixSeconds(now) + 1);
    if (user.activeYears.length === 0 && (await retrying(span)) === 0) {
      years = [];
    } else {
      // One `limit=1` call per year, all in flight at once: the shared budget paces them.
      const totals = await Promise.all(
        candidates.map((year) => {
          const { from, to } = yearWindow(year);
          return retrying(() => countScrobbles(user.name, toUnixSeconds(from), toUnixSeconds(to)));
        }),
      );
      years = candidates.filter((_, i) => totals[i] > 0);
    }
  } catch (error) {
    return upstreamError(error);
  }
  await db().lastfmUser.update({ where: { id: user.id }, data: { activeYears: years, yearsSeenAt: now } });
  return years;
}
