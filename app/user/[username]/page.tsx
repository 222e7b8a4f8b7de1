import type { Metadata } from "next";
import { parseUserParams } from "@/lib/server/params";
import { getProfile } from "@/lib/lastfm/profiles";
import { loadOrExplain } from "@/app/ui/explain";
import { YearLink } from "@/app/ui/zone";

type Params = { params: Promise<{ username: string }> };

export async function generateMetadata({ params }: Params): Promise<Metadata> {
  const { username } = await params;
  return { title: `${decodeURIComponent(username)}'s years` };
}

export default async function ProfilePage({ params }: Params) {
  const loaded = await loadOrExplain(async () => getProfile((await parseUserParams(params)).username));
  if ("page" in loaded) return loaded.page;
  const { profile } = loaded.data;
  return (
    <>
      <h1>{profile.username}</h1>
      <p className="lead">
        Scrobbling since {profile.registeredYear} ·{" "}
        <a href={profile.url} rel="noopener noreferrer" target="_blank">
          Last.fm profile ↗
        </a>
      </p>
      <h2>Pick a year</h2>
      {profile.years.length === 0 ? (
        <p className="muted">No scrobbles yet.</p>
      ) : (
        <ul className="year-list">
          {profile.years.map(({ year, status }) => (
            <li key={year}>
              <YearLink href={`/user/${encodeURIComponent(profile.username)}/${year}`}>
                {year}
                <span className={`chip ${status}`}>{status === "not_started" ? "not imported" : status}</span>
              </YearLink>
            </li>
          ))}
        </ul>
      )}
    </>
  );
}
