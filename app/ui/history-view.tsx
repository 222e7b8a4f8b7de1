"use client";

import { useEffect, useState } from "react";
import type { History, HistoryYear } from "@/lib/imports/history";
import { AgeTrendChart } from "./age-trend-chart";
import { YearLink } from "./zone";

const POLL_MS = 2_500;
const FINISHED = new Set(["complete", "partial", "failed"]);

/** Re-reads the history while any year is still being imported; each answer is the whole state. */
function useLiveHistory(initial: History, apiUrl: string): [History, (history: History) => void] {
  const [history, setHistory] = useState(initial);
  const isFilling = history.years.some((year) => !FINISHED.has(year.status));
  useEffect(() => {
    if (!isFilling) return;
    const timer = setInterval(async () => {
      const response = await fetch(apiUrl, { cache: "no-store" }).catch(() => null);
      const body = await response?.json().catch(() => null);
      // A failed poll keeps the last state; the next tick tries again.
      if (response?.ok && body?.years) setHistory(body);
    }, POLL_MS);
    return () => clearInterval(timer);
  }, [isFilling, apiUrl]);
  return [history, setHistory];
}

/** Every listening year from the first to the last, so a year without plays shows as a gap. */
function listeningYears(years: HistoryYear[]): (HistoryYear | { year: number; status: "no_plays" })[] {
  if (years.length === 0) return [];
  const byYear = new Map(years.map((year) => [year.year, year]));
  const first = years[0].year;
  return Array.from(
    { length: years[years.length - 1].year - first + 1 },
    (_, i) => byYear.get(first + i) ?? { year: first + i, status: "no_plays" as const },
  );
}

function statusText(status: string): string {
  if (status === "not_started" || status === "queued") return "waiting to import";
  if (status === "fetching") return "importing…";
  if (status === "enriching") return "dating albums…";
  if (status === "failed") return "import failed";
  return status;
}

function trendText(history: History): string {
  if (!history.trend) return "The trend appears once two years are charted.";
  const slope = history.trend.slope;
  if (Math.abs(slope) < 0.05) return "The median age of what you play has stayed about the same over the years.";
  const per = Math.abs(slope).toLocaleString("en", { maximumFractionDigits: 1 });
  return slope > 0
    ? `The music you play gets older: its median age grows by about ${per} years every year.`
    : `The music you play gets newer: its median age falls by about ${per} years every year.`;
}

export function HistoryView({ initial, apiUrl }: { initial: History; apiUrl: string }) {
  const [history, setHistory] = useLiveHistory(initial, apiUrl);
  const [message, setMessage] = useState("");
  const missing = history.years.filter((year) => year.status === "not_started").length;

  async function chartEveryYear() {
    setMessage("Queueing…");
    const response = await fetch(apiUrl, { method: "POST" }).catch(() => null);
    const body = await response?.json().catch(() => null);
    if (response?.ok && body?.years) {
      setHistory(body);
      setMessage(
        `${body.queued} ${body.queued === 1 ? "year" : "years"} queued: they fill in below as they are imported.`,
      );
    } else {
      setMessage(body?.error?.message ?? "Could not queue the imports; please try again.");
    }
  }
  const user = encodeURIComponent(history.username);
  const charted = history.years.filter((year) => year.basis !== "none");
  const rows = listeningYears(history.years);
  const peak = Math.max(0.01, ...history.years.flatMap((year) => year.decades.map((cell) => cell.share)));
  const points = charted.flatMap((year) => (year.medianAge === null ? [] : [{ year: year.year, age: year.medianAge }]));

  return (
    <>
      <p className="muted" aria-live="polite" data-testid="history-summary">
        {charted.length} of {history.years.length} years charted
        {charted.length < history.years.length ? " · the rest fill in as they are imported" : ""}
      </p>

      {missing > 0 && (
        <p className="share-row">
          <button type="button" onClick={chartEveryYear}>
            Chart every year ({missing} not imported yet)
          </button>
        </p>
      )}
      <p className="muted" role="status">
        {message}
      </p>

      {history.years.length === 0 ? (
        <p className="muted">No scrobbles yet.</p>
      ) : (
        <div className="heatmap-scroll">
          <table className="heatmap" data-testid="history">
            <caption className="sr-only">
              Share of each listening year&apos;s dated plays by release decade, and the median age of the music
            </caption>
            <thead>
              <tr>
                <th scope="col">Year</th>
                {history.decades.map((decade) => (
                  <th key={decade} scope="col">
                    {`'${String(decade).slice(2)}s`}
                    <span className="sr-only"> ({decade}s)</span>
                  </th>
                ))}
                <th scope="col">
                  <span className="long-label">Median age</span>
                  <span className="short-label">Age</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {rows.map((row) => {
                if (row.status === "no_plays" || !("basis" in row)) {
                  return (
                    <tr key={row.year} className="gap-row">
                      <th scope="row">{row.year}</th>
                      <td colSpan={history.decades.length + 1} className="muted">
                        no plays
                      </td>
                    </tr>
                  );
                }
                const shares = new Map(row.decades.map((cell) => [cell.decade, cell.share]));
                return (
                  <tr key={row.year} data-status={row.status}>
                    <th scope="row">
                      <YearLink href={`/user/${user}/${row.year}`}>{row.year}</YearLink>
                    </th>
                    {row.basis === "none" ? (
                      <td colSpan={history.decades.length} className="muted pending">
                        {statusText(row.status)}
                      </td>
                    ) : (
                      history.decades.map((decade) => {
                        const share = shares.get(decade) ?? 0;
                        return (
                          <td
                            key={decade}
                            className="cell"
                            style={
                              share === 0
                                ? undefined
                                : { background: `rgba(226, 72, 61, ${0.12 + (0.88 * share) / peak})` }
                            }
                            title={`${row.year}: ${Math.round(share * 100)} % from the ${decade}s`}
                          >
                            {share >= 0.01 ? `${Math.round(share * 100)}` : ""}
                            <span className="sr-only">{share < 0.01 ? "under 1 %" : " %"}</span>
                          </td>
                        );
                      })
                    )}
                    <td className="age">{row.medianAge === null ? "–" : `${row.medianAge} y`}</td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
      )}
      <p className="muted small">Numbers are the % of each year&apos;s dated plays from that release decade.</p>

      <h2>Median age over the years</h2>
      <p data-testid="trend-text">{trendText(history)}</p>
      {points.length > 0 && <AgeTrendChart points={points} trend={history.trend} />}
    </>
  );
}
