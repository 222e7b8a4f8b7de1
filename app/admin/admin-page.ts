// The /admin page as server-rendered HTML (the route handler sends it; see route.ts for why not a page).
// It links the app's own stylesheet (globals.css, as built) and uses only its classes (panel, stats, table.data,
// chip): no inline styles or scripts, so a strict Content-Security-Policy holds.
import { existsSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { type OpsStats, QUEUE_STATES } from "@/lib/ops/stats";
import type { OutcomeCounts } from "@/lib/lastfm/request-counters";

const ESCAPES: Record<string, string> = { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" };
const escapeHtml = (value: unknown) => String(value).replace(/[&<>"']/g, (c) => ESCAPES[c]);
const number = (value: number) => value.toLocaleString("en-US");
const percent = (part: number, whole: number) => (whole === 0 ? "–" : `${((100 * part) / whole).toFixed(1)} %`);
const sum = (values: Iterable<number>) => [...values].reduce((total, n) => total + n, 0);

let stylesheets: string[] | undefined;

/** The built CSS of the app (the standalone server runs with its own folder as cwd), found once. */
function appStylesheets(): string[] {
  if (stylesheets) return stylesheets;
  const dir = join(process.cwd(), ".next", "static", "chunks");
  stylesheets = existsSync(dir)
    ? readdirSync(dir)
        .filter((file) => file.endsWith(".css"))
        .map((file) => `/_next/static/chunks/${file}`)
    : [];
  return stylesheets;
}

function stat(figure: string, value: string, label: string): string {
  return `<div class="stat"><b data-figure="${figure}">${escapeHtml(value)}</b><span>${escapeHtml(label)}</span></div>`;
}

function table(head: string[], rows: (string | number)[][], id: string): string {
  const th = head.map((cell) => `<th scope="col">${escapeHtml(cell)}</th>`).join("");
  const body = rows.map((row) => `<tr>${row.map((cell) => `<td>${escapeHtml(cell)}</td>`).join("")}</tr>`).join("");
  return `<table class="data" id="${id}"><thead><tr>${th}</tr></thead><tbody>${body}</tbody></table>`;
}

const requestsOf = (counts: OutcomeCounts) => sum(Object.values(counts));
const errorsOf = (counts: OutcomeCounts) => counts.api_error + counts.http_error + counts.network_error;
const hhmm = (date: Date) => date.toISOString().slice(11, 16);

export function renderAdminPage(stats: OpsStats): string {
  const { lastfm, imports, queues, enrichment } = stats;
  const [thisMinute, lastMinute] = lastfm.minutes;
  const inFlight = imports.queued + imports.fetching + imports.enriching;
  const totalScrobbles = sum(Object.values(enrichment.scrobbles));
  const albums = enrichment.albums;
  const waiting = sum(Object.values(queues).map((states) => states.waiting + states.prioritized + states.delayed));

  const summary = [
    stat("lastfm-requests-minute", number(requestsOf(thisMinute.counts)), "Last.fm requests this minute"),
    stat("lastfm-429-minute", number(thisMinute.counts.rate_limited), "429s this minute"),
    stat("lastfm-budget", `${lastfm.ratePerSecond}/s`, "shared Last.fm budget"),
    stat(
      "lastfm-budget-used",
      percent(requestsOf((lastMinute ?? thisMinute).counts), lastfm.ratePerSecond * 60),
      "of the budget used last minute",
    ),
    stat("lastfm-backlog", number(lastfm.budgetBacklog), "requests waiting for a slot"),
    stat("imports-in-flight", number(inFlight), "imports in flight"),
    stat("queue-waiting", number(waiting), "jobs waiting"),
    stat("coverage", percent(enrichment.datedScrobbles, totalScrobbles), "scrobbles with a release year"),
  ].join("");

  const minutes = table(
    ["minute (UTC)", "requests", "ok", "429", "other errors"],
    lastfm.minutes.map(({ minute, counts }) => [
      hhmm(minute),
      number(requestsOf(counts)),
      number(counts.ok),
      number(counts.rate_limited),
      number(errorsOf(counts)),
    ]),
    "lastfm-minutes",
  );
  const importRows = Object.entries(imports).map(([status, count]) => [status, number(count)]);
  const queueTable = table(
    ["queue", ...QUEUE_STATES],
    Object.entries(queues).map(([name, states]) => [name, ...QUEUE_STATES.map((state) => number(states[state]))]),
    "queues",
  );
  const matchRows = Object.entries(enrichment.scrobbles).map(([status, count]) => [
    status.replace("_", " "),
    number(count),
    percent(count, totalScrobbles),
  ]);
  const methodRows = Object.entries(enrichment.byMethod).map(([method, count]) => [
    method,
    number(count),
    percent(count, enrichment.datedScrobbles),
  ]);
  const penalty = lastfm.isPenalized
    ? `<span class="chip failed">halved after a 429</span>`
    : `<span class="chip complete">normal pace</span>`;

  const links = appStylesheets()
    .map((href) => `<link rel="stylesheet" href="${escapeHtml(href)}">`)
    .join("");
  return `<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex"><title>Operations · LastYear.fm</title><link rel="icon" href="/favicon.svg">${links}
</head><body>
<header class="site-header"><nav><a href="/" class="brand">LastYear<span>.fm</span></a><span class="muted">operations</span>
<a href="/admin/queues">Queues (Bull Board)</a><a href="/api/metrics">Metrics</a></nav></header>
<main>
<h1>Operations</h1>
<p class="muted">Figures for the whole deployment, read at <time datetime="${stats.collectedAt.toISOString()}">${escapeHtml(stats.collectedAt.toISOString().replace("T", " ").slice(0, 19))} UTC</time>. Reload for fresh ones.</p>
<section class="stats" aria-label="Summary">${summary}</section>

<h2>Last.fm</h2>
<div class="panel">
<p>Budget <b>${escapeHtml(lastfm.ratePerSecond)} requests/s</b> shared by every worker ${penalty}
<span class="muted">· last minute: ${number(requestsOf(lastMinute?.counts ?? thisMinute.counts))} requests, ${number((lastMinute ?? thisMinute).counts.rate_limited)} 429s
· since counting began: ${number(requestsOf(lastfm.totals))} requests, ${number(lastfm.totals.rate_limited)} 429s, ${number(errorsOf(lastfm.totals))} other errors</span></p>
${minutes}
</div>

<h2>Imports by status</h2>
<div class="panel">${table(["status", "imports"], importRows, "imports")}</div>

<h2>MusicBrainz</h2>
<div class="panel">
<p>Source: <b>${enrichment.source === "mirror" ? "mirror database" : "web service (1 request/s)"}</b>.
${
  totalScrobbles === 0
    ? "No scrobbles stored yet."
    : `<b data-figure="coverage-detail">${percent(enrichment.datedScrobbles, totalScrobbles)}</b> of ${number(totalScrobbles)} scrobbles have a release year.`
}</p>
${table(["augmentation", "scrobbles", "share"], matchRows, "match-rates")}
${methodRows.length ? table(["matched by", "scrobbles", "share of dated"], methodRows, "match-methods") : ""}
<p class="muted">Album cache: ${number(albums.lookedUp)} albums looked up, ${number(albums.dated)} dated (${percent(albums.dated, albums.lookedUp)}), ${number(albums.unknownToMusicbrainz)} unknown to MusicBrainz.</p>
</div>

<h2>Queues</h2>
<div class="panel">${queueTable}<p class="muted">Jobs, retries and payloads: <a href="/admin/queues">Bull Board</a>.</p></div>
</main>
<footer class="site-footer">Prometheus scrapes the same figures at <code>/api/metrics</code> (same credentials).</footer>
</body></html>`;
}
