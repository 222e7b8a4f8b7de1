import type { Metadata } from "next";
import { headers } from "next/headers";
import { getHistory } from "@/lib/imports/history";
import { getClientIp } from "@/lib/server/client-ip";
import { parseUserParams } from "@/lib/server/params";
import { loadOrExplain } from "@/app/ui/explain";
import { HistoryView } from "@/app/ui/history-view";

type Params = { params: Promise<{ username: string }> };

export async function generateMetadata({ params }: Params): Promise<Metadata> {
  const { username } = await params;
  return { title: `${decodeURIComponent(username)}'s years` };
}

export default async function ProfilePage({ params }: Params) {
  const loaded = await loadOrExplain(async () =>
    getHistory((await parseUserParams(params)).username, { clientIp: getClientIp(await headers()) }),
  );
  if ("page" in loaded) return loaded.page;
  const history = loaded.data;
  return (
    <>
      <h1>{history.username}</h1>
      <p className="lead">
        Scrobbling since {history.registeredYear} ·{" "}
        <a href={history.url} rel="noopener noreferrer" target="_blank">
          Last.fm profile ↗
        </a>
      </p>
      <h2>Every year, by release decade</h2>
      <HistoryView initial={history} apiUrl={`/api/user/${encodeURIComponent(history.username)}/history`} />
    </>
  );
}
