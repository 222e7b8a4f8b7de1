import Link from "next/link";
import { Suspense } from "react";
import { env } from "@/lib/server/env";
import { listRecentResults } from "@/lib/imports/recent";
import { defaultFormYear } from "@/lib/imports/default-year";
import { currentYear } from "@/lib/imports/year-window";
import { UsernameForm } from "@/app/ui/username-form";

async function RecentResults() {
  const recent = await listRecentResults();
  if (recent.length === 0) return <p className="muted">No finished imports yet: be the first.</p>;
  return (
    <div className="grid">
      {recent.map((result) => (
        <Link
          key={`${result.username}-${result.year}`}
          className="panel card-link"
          href={`/user/${encodeURIComponent(result.username)}/${result.year}`}
        >
          <div className="title">{result.username}</div>
          <div className="muted">
            {result.year} · {result.scrobbles.toLocaleString("en")} scrobbles
          </div>
        </Link>
      ))}
    </div>
  );
}

export default function HomePage() {
  const thisYear = currentYear();
  const years = Array.from({ length: thisYear - 2002 + 1 }, (_, i) => thisYear - i);
  const { DEMO_MODE: isDemo, DEMO_USERS: demoUsers } = env();
  return (
    <>
      <section className="hero">
        <div className="eyebrow">Your year in music, by release year</div>
        <h1>What era was the music you listened to this year from?</h1>
        <p className="lead">
          Enter a Last.fm username and pick a year. We import that year&apos;s scrobbles, find when each album first
          came out on MusicBrainz (a 2011 remaster of a 1973 album counts as 1973) and chart it, with a link you can
          share.
        </p>
        <UsernameForm years={years} defaultYear={defaultFormYear()} />
      </section>

      {isDemo && (
        <section aria-labelledby="demo-users">
          <h2 id="demo-users">Try a demo user</h2>
          <div className="grid">
            {demoUsers.map((name) => (
              <Link key={name} className="panel card-link" href={`/user/${encodeURIComponent(name)}`}>
                <div className="title">{name}</div>
                <div className="muted">a simulated listener</div>
              </Link>
            ))}
          </div>
        </section>
      )}

      <section aria-labelledby="recent">
        <h2 id="recent">Recently charted</h2>
        <Suspense fallback={<div className="skeleton" style={{ height: 80 }} />}>
          <RecentResults />
        </Suspense>
      </section>
    </>
  );
}
