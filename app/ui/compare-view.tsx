"use client";

import { useEffect, useMemo, useState } from "react";
import type { Comparison, CompareSide } from "@/lib/imports/compare";
import { decadeOf } from "@/lib/imports/series";
import { CompareChart, SIDE_COLORS } from "./compare-chart";

const POLL_MS = 2_000;

/** Until both years are imported, the comparison is asked for again; each answer is the whole state. */
function useLiveComparison(initial: Comparison, apiUrl: string): { comparison: Comparison; error: string } {
  const [comparison, setComparison] = useState(initial);
  const [error, setError] = useState("");
  useEffect(() => {
    if (comparison.isReady) return;
    const timer = setTimeout(async () => {
      const response = await fetch(apiUrl, { cache: "no-store" }).catch(() => null);
      const body = await response?.json().catch(() => null);
      if (response?.ok && body?.sides) setComparison(body);
      else setError(body?.error?.message ?? "The comparison could not be loaded; retrying.");
    }, POLL_MS);
    return () => clearTimeout(timer);
  }, [comparison, apiUrl]);
  return { comparison, error };
}

function shareSeries(sides: CompareSide[], byDecade: boolean): { labels: string[]; shares: number[][] } {
  const keyOf = (year: number) => (byDecade ? decadeOf(year) : year);
  const keys = sides.flatMap((side) => side.distribution.map((row) => keyOf(row.releaseYear)));
  if (keys.length === 0) return { labels: [], shares: sides.map(() => []) };
  const step = byDecade ? 10 : 1;
  const first = Math.min(...keys);
  const axis = Array.from({ length: (Math.max(...keys) - first) / step + 1 }, (_, i) => first + i * step);
  const shares = sides.map((side) => {
    const byKey = new Map<number, number>();
    for (const row of side.distribution)
      byKey.set(keyOf(row.releaseYear), (byKey.get(keyOf(row.releaseYear)) ?? 0) + row.scrobbles);
    const dated = side.totals.dated || 1;
    return axis.map((key) => (byKey.get(key) ?? 0) / dated);
  });
  return { labels: axis.map((key) => (byDecade ? `${key}s` : String(key))), shares };
}

function sideName(comparison: Comparison, side: CompareSide): string {
  return comparison.kind === "years" ? String(side.year) : side.username;
}

function percent(value: number | null): string {
  return value === null ? "–" : `${Math.round(value * 100)} %`;
}

const ROWS: { label: string; value: (side: CompareSide) => string }[] = [
  {
    label: "Median age of what was played",
    value: (s) => (s.story.medianAge === null ? "–" : `${s.story.medianAge} years`),
  },
  { label: "Oldest record", value: (s) => String(s.story.oldestYear ?? "–") },
  { label: "Newest record", value: (s) => String(s.story.newestYear ?? "–") },
  { label: "Busiest release year", value: (s) => String(s.story.peakYear ?? "–") },
  { label: "Released that same year", value: (s) => percent(s.story.sameYearShare) },
  { label: "Scrobbles", value: (s) => s.totals.scrobbles.toLocaleString("en") },
  { label: "Dated", value: (s) => percent(s.totals.coverage) },
];

export function CompareView({ initial, apiUrl }: { initial: Comparison; apiUrl: string }) {
  const { comparison, error } = useLiveComparison(initial, apiUrl);
  const [byDecade, setByDecade] = useState(false);
  const [copied, setCopied] = useState("");
  const { sides } = comparison;
  const series = useMemo(() => shareSeries(sides, byDecade), [sides, byDecade]);
  const names = sides.map((side) => sideName(comparison, side));

  async function copyLink() {
    await navigator.clipboard?.writeText(window.location.href).catch(() => undefined);
    setCopied("Link copied.");
  }

  return (
    <>
      {!comparison.isReady && (
        <div className="panel" aria-live="polite" data-testid="compare-progress">
          <b>Importing…</b>{" "}
          {sides.map((side, i) => (
            <span key={names[i]} className="muted">
              {names[i]}: {side.status === "complete" || side.status === "partial" ? "ready" : side.status} ·{" "}
              {side.progress.scrobblesFetched.toLocaleString("en")} scrobbles{i === 0 ? " — " : ""}
            </span>
          ))}
          {error && <p className="form-error">{error}</p>}
        </div>
      )}

      <table className="data compare-stats" data-testid="compare-stats">
        <caption className="sr-only">The story numbers side by side</caption>
        <thead>
          <tr>
            <th scope="col" />
            {names.map((name, i) => (
              <th key={name} scope="col">
                <span className="swatch" style={{ background: SIDE_COLORS[i] }} /> {name}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {ROWS.map((row) => (
            <tr key={row.label}>
              <th scope="row">{row.label}</th>
              {sides.map((side, i) => (
                <td key={names[i]}>{comparison.isReady || side.status === "complete" ? row.value(side) : "…"}</td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>

      <div className="chart-toolbar">
        <fieldset className="toggle" aria-label="Group bars by">
          <button
            type="button"
            className={byDecade ? "secondary" : ""}
            aria-pressed={!byDecade}
            onClick={() => setByDecade(false)}
          >
            Years
          </button>
          <button
            type="button"
            className={byDecade ? "" : "secondary"}
            aria-pressed={byDecade}
            onClick={() => setByDecade(true)}
          >
            Decades
          </button>
        </fieldset>
        <span className="share-row">
          <button type="button" className="secondary" onClick={copyLink}>
            Copy link
          </button>
          <span className="muted" role="status">
            {copied}
          </span>
        </span>
      </div>

      {series.labels.length > 0 ? (
        <CompareChart
          labels={series.labels}
          series={names.map((name, i) => ({ name, shares: series.shares[i] }))}
          label={`Share of dated plays by release ${byDecade ? "decade" : "year"}: ${names.join(" and ")}`}
        />
      ) : (
        <div className="panel muted chart-empty">The chart fills in as albums are dated.</div>
      )}

      <details className="panel">
        <summary>The data as a table</summary>
        <table className="data">
          <caption className="sr-only">Share of dated plays by release {byDecade ? "decade" : "year"}</caption>
          <thead>
            <tr>
              <th scope="col">Release {byDecade ? "decade" : "year"}</th>
              {names.map((name) => (
                <th key={name} scope="col">
                  {name}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {series.labels.map((label, row) =>
              series.shares.every((shares) => shares[row] === 0) ? null : (
                <tr key={label}>
                  <th scope="row">{label}</th>
                  {series.shares.map((shares, i) => (
                    <td key={names[i]}>{(Math.round(shares[row] * 1000) / 10).toLocaleString("en")} %</td>
                  ))}
                </tr>
              ),
            )}
          </tbody>
        </table>
      </details>
    </>
  );
}
