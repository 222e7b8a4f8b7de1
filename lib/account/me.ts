// What a signed-in listener sees about themselves: their choices and how much is stored.
import { db } from "@/lib/server/db";
import { findUser } from "@/lib/lastfm/users";
import { getChoices } from "./choices";

export type Me = {
  username: string;
  isHidden: boolean;
  isOptedOut: boolean;
  stored: { years: number; scrobbles: number };
};

export async function getMe(username: string): Promise<Me> {
  const [choices, user] = await Promise.all([getChoices(username), findUser(username)]);
  const [years, scrobbles] = user
    ? await Promise.all([
        db().fetchJob.count({ where: { userId: user.id } }),
        db().scrobble.count({ where: { userId: user.id } }),
      ])
    : [0, 0];
  return { username, ...choices, stored: { years, scrobbles } };
}
