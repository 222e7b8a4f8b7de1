// A token per (user, year) that changes whenever the year's data does: cached pages and share images of a
// finished year are served only while the token they were rendered under is still the current one.
import { randomUUID } from "node:crypto";
import { redis, redisKey } from "@/lib/server/redis";

function versionKey(userId: number, year: number): string {
  return redisKey("year-version", userId, year);
}

/** Called after every change to a year's data is committed: status, snapshot, re-import. */
export async function bumpYearVersion(userId: number, year: number): Promise<void> {
  await redis().set(versionKey(userId, year), randomUUID());
}

/** Every year of one listener (opting out, erasing): no cached page of theirs is served again. */
export async function bumpListenerVersions(jobs: { userId: number; year: number }[]): Promise<void> {
  await Promise.all(jobs.map((job) => bumpYearVersion(job.userId, job.year)));
}

/** The current token, created when there is none (Redis restarted): old renders never match a new one. */
export async function readYearVersion(userId: number, year: number): Promise<string> {
  const key = versionKey(userId, year);
  const current = await redis().get(key);
  if (current) return current;
  await redis().set(key, randomUUID(), "NX");
  return (await redis().get(key)) ?? "";
}
