// /admin – the operations page: Last.fm budget and requests per minute, imports, queues, MusicBrainz coverage.
// proxy.ts answers the basic-auth challenge (401) and 404 when admin is off; the page checks again, so a request
// that reached it some other way still sees nothing. Only the app's CSS classes: the strict CSP holds.
import type { Metadata } from "next";
import { headers } from "next/headers";
import { notFound } from "next/navigation";
import type { OutcomeCounts } from "@/lib/lastfm/request-counters";
import { getOpsStats, QUEUE_STATES } from "@/lib/ops/stats";
import { hasAdminCredentials } from "@/lib/server/admin-auth";

export const dynamic = "force-dynamic";
export const metadata: Metadata = { title: "Operations", robots: { index: false, follow: false } };

const number = (value: number) => value.toLocaleString("en-US");
const percent = (part: number, whole: number) => (whole === 0 ? "–" : `${((100 * part) / whole).toFixed(1)} %`);
const sum = (values: Iterable<number>) => [...values].reduce((total, n) => total + n, 0);
const requestsOf = (counts: OutcomeCounts) => sum(Object.values(counts));
const errorsOf = (counts: OutcomeCounts) => counts.api_error + counts.http_error + counts.network_error;
const hhmm = (date: Date) => date.toISOString().slice(11, 16);

function Stat({ figure, value, label }: { figure: string; value: string; label: string }) {
  return (
    <div className="stat">
      <b data-figure={figure}>{value}</b>
      <span>{label}</span>
    </div>
  );
}

function DataTable({ id, head, rows }: { id: string; head: string[]; rows: (string | number)[][] }) {
  return (
    <table className="data" id={id}>
      <thead>
        <tr>
          {head.map((cell) => (
            <th scope="col" key={cell}>
              {cell}
            </th>
          ))}
        </tr>
      </thead>
      <tbody>
        {rows.map((row) => (
          <tr key={String(row[0])}>
            {row.map((cell, index) => (
              // biome-ignore lint/suspicious/noArrayIndexKey: a row's cells are positional
              <td key={index}>{cell}</td>
            ))}
          </tr>
        ))}
      </tbody>
    </table>
  );
}

export default async function AdminPage() {
  if (!hasAdminCredentials(await headers())) notFound();
  const stats = await getOpsStats({ minutes: 15 });
  const { lastfm, imports, queues, enrichment } = stats;
  const [thisMinute, lastMinute] = lastfm.minutes;
  const recent = (lastMinute ?? thisMinute).counts;
  const totalScrobbles = sum(Object.values(enrichment.scrobbles));
  const albums = enrichment.albums;
  const waiting = sum(Object.values(queues).map((states) => states.waiting + states.prioritized + states.delayed));

  return (
    <>
      <nav className="admin-nav" aria-label="Operations">
        <a href="/admin/queues">Queues (Bull Board)</a>
        <a href="/api/metrics">Metrics</a>
      </nav>
      <h1>Operations</h1>
      <p className="muted">
        Figures for the whole deployment, read at{" "}
        <time dateTime={stats.collectedAt.toISOString()}>
          {`${stats.collectedAt.toISOString().replace("T", " ").slice(0, 19)} UTC`}
        </time>
        . Reload for fresh ones.
      </p>
      <section className="stats" aria-label="Summary">
        <Stat
          figure="lastfm-requests-minute"
          value={number(requestsOf(thisMinute.counts))}
          label="Last.fm requests this minute"
        />
        <Stat figure="lastfm-429-minute" value={number(thisMinute.counts.rate_limited)} label="429s this minute" />
        <Stat figure="lastfm-budget" value={`${lastfm.ratePerSecond}/s`} label="shared Last.fm budget" />
        <Stat
          figure="lastfm-budget-used"
          value={percent(requestsOf(recent), lastfm.ratePerSecond * 60)}
          label="of the budget used last minute"
        />
        <Stat figure="lastfm-backlog" value={number(lastfm.budgetBacklog)} label="requests waiting for a slot" />
        <Stat
          figure="imports-in-flight"
          value={number(imports.queued + imports.fetching + imports.enriching)}
          label="imports in flight"
        />
        <Stat figure="queue-waiting" value={number(waiting)} label="jobs waiting" />
        <Stat
          figure="coverage"
          value={percent(enrichment.datedScrobbles, totalScrobbles)}
          label="scrobbles with a release year"
        />
      </section>

      <h2>Last.fm</h2>
      <div className="panel">
        <p>
          Budget <b>{`${lastfm.ratePerSecond} requests/s`}</b> shared by every worker{" "}
          {lastfm.isPenalized ? (
            <span className="chip failed">halved after a 429</span>
          ) : (
            <span className="chip complete">normal pace</span>
          )}{" "}
          <span className="muted">
            {`· last minute: ${number(requestsOf(recent))} requests, ${number(recent.rate_limited)} 429s · since counting began: ${number(requestsOf(lastfm.totals))} requests, ${number(lastfm.totals.rate_limited)} 429s, ${number(errorsOf(lastfm.totals))} other errors`}
          </span>
        </p>
        <DataTable
          id="lastfm-minutes"
          head={["minute (UTC)", "requests", "ok", "429", "other errors"]}
          rows={lastfm.minutes.map(({ minute, counts }) => [
            hhmm(minute),
            number(requestsOf(counts)),
            number(counts.ok),
            number(counts.rate_limited),
            number(errorsOf(counts)),
          ])}
        />
      </div>

      <h2>Imports by status</h2>
      <div className="panel">
        <DataTable
          id="imports"
          head={["status", "imports"]}
          rows={Object.entries(imports).map(([status, count]) => [status, number(count)])}
        />
      </div>

      <h2>MusicBrainz</h2>
      <div className="panel">
        <p>
          Source: <b>{enrichment.source === "mirror" ? "mirror database" : "web service (1 request/s)"}</b>.{" "}
          {totalScrobbles === 0 ? (
            "No scrobbles stored yet."
          ) : (
            <>
              <b data-figure="coverage-detail">{percent(enrichment.datedScrobbles, totalScrobbles)}</b>
              {` of ${number(totalScrobbles)} scrobbles have a release year.`}
            </>
          )}
        </p>
        <DataTable
          id="match-rates"
          head={["augmentation", "scrobbles", "share"]}
          rows={Object.entries(enrichment.scrobbles).map(([status, count]) => [
            status.replace("_", " "),
            number(count),
            percent(count, totalScrobbles),
          ])}
        />
        {Object.keys(enrichment.byMethod).length > 0 && (
          <DataTable
            id="match-methods"
            head={["matched by", "scrobbles", "share of dated"]}
            rows={Object.entries(enrichment.byMethod).map(([method, count]) => [
              method,
              number(count),
              percent(count, enrichment.datedScrobbles),
            ])}
          />
        )}
        <p className="muted">
          {`Album cache: ${number(albums.lookedUp)} albums looked up, ${number(albums.dated)} dated (${percent(albums.dated, albums.lookedUp)}), ${number(albums.unknownToMusicbrainz)} unknown to MusicBrainz.`}
        </p>
      </div>

      <h2>Queues</h2>
      <div className="panel">
        <DataTable
          id="queues"
          head={["queue", ...QUEUE_STATES]}
          rows={Object.entries(queues).map(([name, states]) => [
            name,
            ...QUEUE_STATES.map((state) => number(states[state])),
          ])}
        />
        <p className="muted">
          Jobs, retries and payloads: <a href="/admin/queues">Bull Board</a>. Prometheus scrapes the same figures at{" "}
          <code>/api/metrics</code> (same credentials).
        </p>
      </div>
    </>
  );
}
