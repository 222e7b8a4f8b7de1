"use client";

import { useRouter } from "next/navigation";
import { useEffect, useMemo, useRef, useState } from "react";
import { type AlbumLinkBases, lastfmAlbumUrl, musicbrainzReleaseGroupUrl } from "@/lib/imports/album-links";
import type { TopAlbum, YearDistribution } from "@/lib/imports/distribution";
import type { Cooldowns } from "@/lib/imports/cooldown";
import { decadeOf, toDecadeSeries, toYearSeries } from "@/lib/imports/series";
import type { Story } from "@/lib/imports/story";
import { type ChartBar, YearChart } from "./year-chart";

type Props = {
  initial: YearDistribution;
  /** The IANA zone the year is counted in; the live updates are counted in it too. */
  timeZone: string;
  topAlbums: TopAlbum[];
  story: Story;
  profileUrl: string;
  links: AlbumLinkBases;
  cooldowns?: Cooldowns;
};

const FINAL = ["complete", "partial", "failed"];

function percent(part: number, whole: number): string {
  return whole === 0 ? "0 %" : `${Math.round((part / whole) * 100)} %`;
}

function formatWait(seconds: number): string {
  if (seconds < 90) return `${Math.max(1, Math.round(seconds))} s`;
  if (seconds < 5400) return `${Math.round(seconds / 60)} min`;
  return `${Math.round(seconds / 3600)} h`;
}

/** What the chart shows while the import runs: the album-chart preview, and how much of the year it holds. */
function BasisNote({ result }: { result: YearDistribution }) {
  if (result.basis !== "album_chart" || !result.albumChart) return null;
  const { chartPlays, yearPlays } = result.albumChart;
  return (
    <p className="muted" data-testid="basis">
      Preview from Last.fm&apos;s album chart: {percent(chartPlays, yearPlays)} of your {yearPlays.toLocaleString("en")}{" "}
      plays. The exact chart replaces it when the import is done.
    </p>
  );
}

function useLiveResult(initial: YearDistribution, timeZone: string): YearDistribution {
  const router = useRouter();
  const [result, setResult] = useState(initial);
  useEffect(() => setResult(initial), [initial]);
  useEffect(() => {
    if (FINAL.includes(initial.status)) return;
    const url = `/api/user/${encodeURIComponent(initial.username)}/${initial.year}/events?tz=${encodeURIComponent(timeZone)}`;
    const source = new EventSource(url);
    const full = (event: MessageEvent) => setResult(JSON.parse(event.data));
    const counts = (event: MessageEvent) => {
      const data = JSON.parse(event.data);
      setResult((current) => ({
        ...current,
        status: data.status,
        progress: {
          pagesFetched: data.pagesFetched,
          totalPages: data.totalPages,
          scrobblesFetched: data.scrobblesFetched,
          albumsDated: data.albumsDated,
          albumsTotal: data.albumsTotal,
        },
      }));
    };
    const done = (event: MessageEvent) => {
      full(event);
      source.close();
      router.refresh(); // the server renders the albums and the story for the finished year
    };
    source.addEventListener("snapshot", full);
    source.addEventListener("distribution", full);
    source.addEventListener("progress", counts);
    source.addEventListener("status", counts);
    for (const name of FINAL) source.addEventListener(name, done);
    return () => source.close();
  }, [initial, router, timeZone]);
  return result;
}

function ProgressPanel({ result }: { result: YearDistribution }) {
  const { progress, status } = result;
  const isEnriching = status === "enriching";
  const fraction = isEnriching
    ? progress.albumsTotal
      ? progress.albumsDated / progress.albumsTotal
      : 0
    : progress.totalPages
      ? Math.min(1, progress.pagesFetched / progress.totalPages)
      : 0;
  return (
    <div className="panel" aria-live="polite" data-testid="progress">
      <p style={{ margin: "0 0 10px" }}>
        <b>
          {status === "queued"
            ? result.queue
              ? `Waiting in line: number ${result.queue.position.toLocaleString("en")}, about ${formatWait(result.queue.etaSeconds)} to the exact chart`
              : "Waiting for a worker…"
            : isEnriching
              ? "Dating albums on MusicBrainz…"
              : "Importing scrobbles from Last.fm…"}
        </b>
      </p>
      <div
        className="progress"
        role="progressbar"
        aria-valuemin={0}
        aria-valuemax={100}
        aria-valuenow={Math.round(fraction * 100)}
      >
        <div style={{ width: `${Math.max(2, fraction * 100)}%` }} />
      </div>
      <p className="muted" style={{ margin: "10px 0 0" }}>
        {Math.min(progress.pagesFetched, progress.totalPages ?? progress.pagesFetched).toLocaleString("en")} of{" "}
        {progress.totalPages === null ? "?" : progress.totalPages.toLocaleString("en")} pages ·{" "}
        {progress.scrobblesFetched.toLocaleString("en")} scrobbles · {progress.albumsDated.toLocaleString("en")} of{" "}
        {progress.albumsTotal.toLocaleString("en")} albums dated
      </p>
    </div>
  );
}

async function post(url: string): Promise<string | null> {
  const response = await fetch(url, { method: "POST" });
  if (response.ok) return null;
  const body = await response.json().catch(() => null);
  const error = body?.error;
  return error ? `${error.message} (${error.code})` : `Request failed (HTTP ${response.status})`;
}

function ifAhead(at: string | null | undefined): string | null {
  return at && Date.parse(at) > Date.now() ? at : null;
}

/** "14:05 UTC" while `until` is ahead, else null. Re-checked on the client: a cached page may be older. */
function useUntil(until: string | null | undefined): string | null {
  const [ahead, setAhead] = useState(() => ifAhead(until));
  useEffect(() => setAhead(ifAhead(until)), [until]);
  return ahead && `${ahead.slice(11, 16)} UTC`;
}

function Actions({ result, cooldowns }: { result: YearDistribution; cooldowns?: Cooldowns }) {
  const router = useRouter();
  const dialog = useRef<HTMLDialogElement>(null);
  const [message, setMessage] = useState("");
  const reimportAt = useUntil(cooldowns?.reimport);
  const retryAt = useUntil(cooldowns?.retry);
  const base = `/api/user/${encodeURIComponent(result.username)}/${result.year}`;
  const run = async (path: string) => {
    dialog.current?.close();
    const error = await post(`${base}/${path}`);
    setMessage(error ?? "Started: this page updates as it goes.");
    router.refresh();
  };
  return (
    <div style={{ display: "flex", gap: 10, flexWrap: "wrap", alignItems: "center", margin: "18px 0" }}>
      {result.status === "partial" &&
        (retryAt ? (
          <span className="muted" data-testid="retry-cooldown">
            Retried recently: possible again at {retryAt}.
          </span>
        ) : (
          <button type="button" onClick={() => run("retry")}>
            Retry the missing part
          </button>
        ))}
      {FINAL.includes(result.status) &&
        (reimportAt ? (
          <span className="muted" data-testid="reimport-cooldown">
            Re-imported recently: possible again at {reimportAt}.
          </span>
        ) : (
          <button type="button" className="secondary" onClick={() => dialog.current?.showModal()}>
            Re-import
          </button>
        ))}
      <span className="muted" role="status">
        {message}
      </span>
      <dialog ref={dialog} className="panel" aria-labelledby="reimport-title">
        <h2 id="reimport-title" style={{ marginTop: 0 }}>
          Re-import {result.year}?
        </h2>
        <p className="muted">
          This deletes the {result.totals.scrobbles.toLocaleString("en")} stored scrobbles of {result.year} and imports
          them again from Last.fm.
        </p>
        <div style={{ display: "flex", gap: 10 }}>
          <button type="button" onClick={() => run("reimport")}>
            Yes, re-import
          </button>
          <button type="button" className="secondary" onClick={() => dialog.current?.close()}>
            Cancel
          </button>
        </div>
      </dialog>
    </div>
  );
}

/** "auto": by song for compilations and album-less plays, by album otherwise (the API's distribution). */
type CountBy = "auto" | "album" | "song";

const COUNT_BY: { value: CountBy; label: string }[] = [
  { value: "auto", label: "Auto" },
  { value: "album", label: "By album" },
  { value: "song", label: "By song" },
];

export function YearResult({ initial, timeZone, topAlbums, story, profileUrl, links, cooldowns }: Props) {
  const result = useLiveResult(initial, timeZone);
  const [byDecade, setByDecade] = useState(false);
  const [countBy, setCountBy] = useState<CountBy>("auto");
  const [selected, setSelected] = useState<number | null>(null);
  const { totals } = result;

  const rows = countBy === "auto" ? result.distribution : (result.views?.[countBy] ?? []);
  const bars: ChartBar[] = useMemo(() => (byDecade ? toDecadeSeries(rows) : toYearSeries(rows)), [rows, byDecade]);
  const albums =
    selected === null
      ? []
      : topAlbums
          .filter((album) => (byDecade ? decadeOf(album.releaseYear) : album.releaseYear) === selected)
          .sort((a, b) => b.scrobbles - a.scrobbles);
  const albumsPanel = useRef<HTMLElement>(null);
  const showAlbums = (key: number, isFromTable = false) => {
    setSelected(key);
    if (isFromTable) requestAnimationFrame(() => albumsPanel.current?.focus());
  };
  const isDone = FINAL.includes(result.status);

  return (
    <>
      {!isDone && <ProgressPanel result={result} />}
      {result.status === "partial" && (
        <p className="panel" role="alert">
          This year is incomplete: {result.error?.message ?? "an upstream service failed"}. What we have is shown below.{" "}
          <span className="muted">({result.error?.code ?? "upstream_unavailable"})</span>
        </p>
      )}

      <p className="coverage" data-testid="coverage">
        <b>{percent(totals.dated, totals.scrobbles)} dated</b>: {percent(totals.byMethod.mbid, totals.scrobbles)} by
        MBID, {percent(totals.byMethod.fuzzy, totals.scrobbles)} matched by name,{" "}
        {percent(totals.byMethod.recording ?? 0, totals.scrobbles)} by song,{" "}
        {percent(totals.byMethod.none, totals.scrobbles)} unknown · {totals.scrobbles.toLocaleString("en")} scrobbles
        {totals.byView && (
          <>
            {" "}
            · counted by album {percent(totals.byView.album.dated, totals.scrobbles)}, by song{" "}
            {percent(totals.byView.song.dated, totals.scrobbles)} dated
          </>
        )}
      </p>

      {isDone && story.medianAge !== null && (
        <div className="stats">
          <div className="stat">
            <b>{story.medianAge} years</b>
            <span>median age of what you played</span>
          </div>
          <div className="stat">
            <b>{story.oldestYear}</b>
            <span>oldest record</span>
          </div>
          <div className="stat">
            <b>{Math.round((story.sameYearShare ?? 0) * 100)} %</b>
            <span>released in {result.year}</span>
          </div>
          <div className="stat">
            <b>{story.peakYear}</b>
            <span>busiest release year</span>
          </div>
        </div>
      )}

      <div className="chart-toolbar">
        <fieldset className="toggle" aria-label="Group bars by">
          <button
            type="button"
            className={byDecade ? "secondary" : ""}
            aria-pressed={!byDecade}
            onClick={() => (setByDecade(false), setSelected(null))}
          >
            Years
          </button>
          <button
            type="button"
            className={byDecade ? "" : "secondary"}
            aria-pressed={byDecade}
            onClick={() => (setByDecade(true), setSelected(null))}
          >
            Decades
          </button>
        </fieldset>
        <fieldset className="toggle" aria-label="Count plays by" data-testid="count-by">
          {COUNT_BY.map(({ value, label }) => (
            <button
              key={value}
              type="button"
              className={countBy === value ? "" : "secondary"}
              aria-pressed={countBy === value}
              onClick={() => (setCountBy(value), setSelected(null))}
            >
              {label}
            </button>
          ))}
        </fieldset>
        <a href={profileUrl} rel="noopener noreferrer" target="_blank">
          {result.username} on Last.fm ↗
        </a>
      </div>

      <p className="muted" data-testid="count-by-note">
        {countBy === "auto"
          ? "Auto counts a compilation's songs and plays without an album by the year each song first came out, every other play by its album's original release."
          : countBy === "album"
            ? "Every play counts in the year its album first came out (a 2010 best-of counts as 2010)."
            : "Every play counts in the year its song first came out, whatever album it was played from."}
      </p>

      <BasisNote result={result} />
      {bars.length > 0 ? (
        <YearChart
          bars={bars}
          selected={selected}
          onSelect={showAlbums}
          label={`Scrobbles by original release ${byDecade ? "decade" : "year"}, ${bars[0].label} to ${bars[bars.length - 1].label}`}
        />
      ) : (
        <div className="panel muted chart-empty">
          {isDone ? "Nothing in this year could be dated." : "The chart fills in as albums are dated."}
        </div>
      )}

      <section
        className="panel"
        aria-labelledby="albums-title"
        aria-live="polite"
        data-testid="albums"
        ref={albumsPanel}
        tabIndex={-1}
        hidden={selected === null}
      >
        <h2 id="albums-title" style={{ marginTop: 0 }}>
          {byDecade ? `${selected}s` : selected}: most played albums
        </h2>
        {albums.length === 0 ? (
          <p className="muted">
            {isDone ? "No dated album from then." : "The album list appears when the import has finished."}
          </p>
        ) : (
          <ol className="album-list">
            {albums.map((album) => (
              <li key={`${album.releaseYear}-${album.releaseGroupMbid}-${album.album}`}>
                <b>{album.album || "(no album name)"}</b> <span className="muted">— {album.artist}</span>{" "}
                <span className="chip">{album.scrobbles.toLocaleString("en")} plays</span>
                {byDecade && <span className="muted"> · {album.releaseYear}</span>}
                <span className="album-links">
                  {album.releaseGroupMbid && (
                    <a
                      href={musicbrainzReleaseGroupUrl(links.musicbrainz, album.releaseGroupMbid)}
                      rel="noopener noreferrer"
                      target="_blank"
                      aria-label={`${album.album} on MusicBrainz`}
                    >
                      MusicBrainz ↗
                    </a>
                  )}
                  {album.album && (
                    <a
                      href={lastfmAlbumUrl(links.lastfm, album.artist, album.album)}
                      rel="noopener noreferrer"
                      target="_blank"
                      aria-label={`${album.album} on Last.fm`}
                    >
                      Last.fm ↗
                    </a>
                  )}
                </span>
              </li>
            ))}
          </ol>
        )}
      </section>

      <Actions result={result} cooldowns={cooldowns} />

      <details className="panel" data-testid="table">
        <summary>The data as a table</summary>
        <table className="data">
          <caption className="sr-only">Scrobbles by original release {byDecade ? "decade" : "year"}</caption>
          <thead>
            <tr>
              <th scope="col">Release {byDecade ? "decade" : "year"}</th>
              <th scope="col">Scrobbles</th>
              <th scope="col">Share</th>
              <th scope="col">Albums</th>
            </tr>
          </thead>
          <tbody>
            {bars
              .filter((bar) => bar.scrobbles > 0)
              .map((bar) => (
                <tr key={bar.key}>
                  <th scope="row">
                    <button
                      type="button"
                      className="link-button"
                      aria-pressed={selected === bar.key}
                      aria-label={`Show the albums of ${bar.label}`}
                      onClick={() => showAlbums(bar.key, true)}
                    >
                      {bar.label}
                    </button>
                  </th>
                  <td>{bar.scrobbles.toLocaleString("en")}</td>
                  <td>{percent(bar.scrobbles, totals.dated)}</td>
                  <td>{bar.albums.toLocaleString("en")}</td>
                </tr>
              ))}
          </tbody>
          <tfoot>
            <tr>
              <th scope="row">No release year found</th>
              <td>{totals.byMethod.none.toLocaleString("en")}</td>
              <td>{percent(totals.byMethod.none, totals.scrobbles)} of all</td>
              <td />
            </tr>
            <tr>
              <th scope="row">All scrobbles</th>
              <td>{totals.scrobbles.toLocaleString("en")}</td>
              <td />
              <td />
            </tr>
          </tfoot>
        </table>
      </details>
    </>
  );
}
