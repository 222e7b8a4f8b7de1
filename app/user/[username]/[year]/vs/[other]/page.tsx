import type { Metadata } from "next";
import { headers } from "next/headers";
import Link from "next/link";
import { compareListeners } from "@/lib/imports/compare";
import { getClientIp } from "@/lib/server/client-ip";
import { parseCompareListenersParams } from "@/lib/server/params";
import { CompareView } from "@/app/ui/compare-view";
import { loadOrExplain } from "@/app/ui/explain";

type Params = { params: Promise<{ username: string; year: string; other: string }> };

export async function generateMetadata({ params }: Params): Promise<Metadata> {
  const { username, year, other } = await params;
  const [name, otherName] = [decodeURIComponent(username), decodeURIComponent(other)];
  return {
    title: `${name} vs ${otherName} in ${year} by release year`,
    description: `Whose music was older in ${year}, ${name}'s or ${otherName}'s? Side by side on LastYear.fm.`,
  };
}

export default async function CompareListenersPage({ params }: Params) {
  const loaded = await loadOrExplain(
    async () => {
      const { username, year, other } = await parseCompareListenersParams(params);
      return compareListeners(username, other, year, { clientIp: getClientIp(await headers()) });
    },
    { notFoundTitle: "Nothing to compare" },
  );
  if ("page" in loaded) return loaded.page;
  const comparison = loaded.data;
  const [left, right] = comparison.sides;
  const [a, b] = [encodeURIComponent(left.username), encodeURIComponent(right.username)];
  return (
    <>
      <p className="muted" style={{ margin: 0 }}>
        <Link href={`/user/${a}/${left.year}`}>{left.year}</Link> / vs
      </p>
      <h1>
        <Link href={`/user/${a}/${left.year}`}>{left.username}</Link> vs{" "}
        <Link href={`/user/${b}/${right.year}`}>{right.username}</Link> in {left.year}
      </h1>
      <p className="lead">When was each listener&apos;s music from? Bars are shares of each one&apos;s dated plays.</p>
      <CompareView initial={comparison} apiUrl={`/api/user/${a}/${left.year}/vs/${b}`} />
    </>
  );
}
