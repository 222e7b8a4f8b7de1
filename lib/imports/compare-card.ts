// The stored data a comparison's share card needs. Read-only: no import, no Last.fm call; null when a
// side is unknown, opted out or not imported.
import { isOptedOut } from "@/lib/account/choices";
import { findUser } from "@/lib/lastfm/users";
import { getYearDistribution } from "./distribution";
import { getFetchJob } from "./store";
import { type Story, tellStory } from "./story";

export type StoredSide = { name: string; distribution: { releaseYear: number; scrobbles: number }[]; story: Story };

export async function loadStoredSide(username: string, year: number, label?: string): Promise<StoredSide | null> {
  if (await isOptedOut(username)) return null;
  const user = await findUser(username);
  if (user?.state !== "active" || !(await getFetchJob(user.id, year))) return null;
  const result = await getYearDistribution(user, year);
  return { name: label ?? user.name, distribution: result.distribution, story: tellStory(result) };
}
