import type { Metadata } from "next";
import { headers } from "next/headers";
import Link from "next/link";
import { getClientIp } from "@/lib/server/client-ip";
import { env } from "@/lib/server/env";
import { parseTimeZone, parseUserYearParams } from "@/lib/server/params";
import { tellStory } from "@/lib/imports/story";
import { loadYearPage } from "@/lib/imports/year-page";
import { profileUrl, registeredYear } from "@/lib/lastfm/users";
import { currentYear } from "@/lib/imports/year-window";
import { loadOrExplain } from "@/app/ui/explain";
import { CompareForm } from "@/app/ui/compare-form";
import { YearResult } from "@/app/ui/year-result";
import { alt } from "@/app/ui/share-card";
import { ZonePicker } from "@/app/ui/zone";

type Params = {
  params: Promise<{ username: string; year: string }>;
  searchParams: Promise<Record<string, string | string[] | undefined>>;
};

export async function generateMetadata({ params, searchParams }: Params): Promise<Metadata> {
  const { username, year } = await params;
  const name = decodeURIComponent(username);
  const tz = (await searchParams).tz;
  // The card shows the year in the zone of the link being shared.
  const query = typeof tz === "string" ? `?tz=${encodeURIComponent(tz)}` : "";
  const path = `/user/${encodeURIComponent(name)}/${encodeURIComponent(year)}`;
  const card = (kind: string) => [{ url: `${path}/${kind}${query}`, width: 1200, height: 630, alt }];
  return {
    title: `${name}'s ${year} by release year`,
    description: `When was the music ${name} listened to in ${year} first released? A chart from LastYear.fm.`,
    openGraph: { images: card("opengraph-image") },
    twitter: { card: "summary_large_image", images: card("twitter-image") },
  };
}

// A finished year's HTML is served from the page cache (lib/imports/page-cache.ts) while its version holds.
export default async function YearPage({ params, searchParams }: Params) {
  const loaded = await loadOrExplain(async () => {
    const { username, year } = await parseUserYearParams(params);
    const timeZone = parseTimeZone(await searchParams);
    const page = await loadYearPage(username, year, { clientIp: getClientIp(await headers()), timeZone });
    // The years to compare with: the ones known to have plays, else every year since registration.
    const { user } = page;
    const first = registeredYear(user);
    const years = user.activeYears.length
      ? [...new Set([...user.activeYears, year])].sort((a, b) => b - a)
      : Array.from({ length: currentYear() - first + 1 }, (_, i) => currentYear() - i);
    return { ...page, timeZone, years };
  });
  if ("page" in loaded) return loaded.page;
  const { user, result, topAlbums, cooldowns, timeZone, years } = loaded.data;
  return (
    <>
      <p className="muted" style={{ margin: 0 }}>
        <Link href={`/user/${encodeURIComponent(user.name)}`}>{user.name}</Link> / {result.year}
      </p>
      <h1>
        When was {user.name}&apos;s {result.year} music from?
      </h1>
      <ZonePicker timeZone={timeZone} />
      <YearResult
        initial={result}
        timeZone={timeZone}
        topAlbums={topAlbums}
        story={tellStory(result)}
        profileUrl={profileUrl(env().LASTFM_WEB_URL, user.name)}
        links={{ musicbrainz: env().MUSICBRAINZ_WEB_URL, lastfm: env().LASTFM_WEB_URL }}
        cooldowns={cooldowns}
      />
      <CompareForm username={user.name} year={result.year} years={years} />
    </>
  );
}
