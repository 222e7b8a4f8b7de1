import type { Metadata } from "next";
import { headers } from "next/headers";
import Link from "next/link";
import { compareYears } from "@/lib/imports/compare";
import { getClientIp } from "@/lib/server/client-ip";
import { parseCompareYearsParams } from "@/lib/server/params";
import { CompareView } from "@/app/ui/compare-view";
import { loadOrExplain } from "@/app/ui/explain";

type Params = { params: Promise<{ username: string; year: string; other: string }> };

export async function generateMetadata({ params }: Params): Promise<Metadata> {
  const { username, year, other } = await params;
  const name = decodeURIComponent(username);
  return {
    title: `${name}: ${year} vs ${other} by release year`,
    description: `Was ${name}'s music older in ${year} or in ${other}? Two years side by side on LastYear.fm.`,
  };
}

export default async function CompareYearsPage({ params }: Params) {
  const loaded = await loadOrExplain(
    async () => {
      const { username, year, other } = await parseCompareYearsParams(params);
      return compareYears(username, year, other, { clientIp: getClientIp(await headers()) });
    },
    { notFoundTitle: "Nothing to compare" },
  );
  if ("page" in loaded) return loaded.page;
  const comparison = loaded.data;
  const [left, right] = comparison.sides;
  const user = encodeURIComponent(left.username);
  return (
    <>
      <p className="muted" style={{ margin: 0 }}>
        <Link href={`/user/${user}`}>{left.username}</Link> / compare
      </p>
      <h1>
        {left.username}: <Link href={`/user/${user}/${left.year}`}>{left.year}</Link> vs{" "}
        <Link href={`/user/${user}/${right.year}`}>{right.year}</Link>
      </h1>
      <p className="lead">When was the music from, in each year? Bars are shares of each year&apos;s dated plays.</p>
      <CompareView initial={comparison} apiUrl={`/api/user/${user}/compare/${left.year}/${right.year}`} />
    </>
  );
}
