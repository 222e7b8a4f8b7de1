// A user's profile as the API and pages show it: canonical name, Last.fm link, years with their state.
import type { LastfmUser } from "@/generated/prisma/client";
import { env } from "@/lib/server/env";
import { assertNotOptedOut } from "@/lib/account/choices";
import { listFetchJobs } from "@/lib/imports/store";
import {
  assertImportable,
  type LookupOptions,
  listActiveYears,
  profileUrl,
  registeredYear,
  resolveUser,
} from "./users";

export type YearState = {
  year: number;
  status: "not_started" | "queued" | "fetching" | "enriching" | "complete" | "partial" | "failed";
};
export type Profile = { username: string; url: string; registeredYear: number; years: YearState[] };

export async function getProfile(
  username: string,
  now = new Date(),
  options: LookupOptions = {},
): Promise<{ user: LastfmUser; profile: Profile }> {
  await assertNotOptedOut(username);
  const user = await resolveUser(username, now, options);
  assertImportable(user);
  const [years, jobs] = await Promise.all([listActiveYears(user, now), listFetchJobs(user.id)]);
  const statusByYear = new Map(jobs.map((job) => [job.year, job.status]));
  const allYears = [...new Set([...years, ...statusByYear.keys()])].sort((a, b) => b - a);
  return {
    user,
    profile: {
      username: user.name,
      url: profileUrl(env().LASTFM_WEB_URL, user.name),
      registeredYear: registeredYear(user),
      years: allYears.map((year) => ({ year, status: statusByYear.get(year) ?? "not_started" })),
    },
  };
}
