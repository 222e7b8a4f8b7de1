"use client";

import { BarElement, CategoryScale, Chart as ChartJS, LinearScale, Tooltip } from "chart.js";
import type { KeyboardEvent } from "react";
import { Bar } from "react-chartjs-2";
import type { SeriesPoint } from "@/lib/imports/series";

ChartJS.register(BarElement, CategoryScale, LinearScale, Tooltip);

export type ChartBar = SeriesPoint;

/** The next bar with plays in `direction` from the selected one (empty years are gaps, not stops). */
function step(bars: ChartBar[], selected: number | null, direction: 1 | -1): number | null {
  const playable = bars.filter((bar) => bar.scrobbles > 0);
  if (playable.length === 0) return null;
  const index = playable.findIndex((bar) => bar.key === selected);
  if (index === -1) return (direction === 1 ? playable[0] : playable[playable.length - 1]).key;
  return playable[Math.min(playable.length - 1, Math.max(0, index + direction))].key;
}

/**
 * A bar chart of plays per release year (or decade) on a continuous axis. Clicking a bar selects it; so do
 * the arrow keys (Home and End too) while the chart has focus, for keyboard users.
 */
export function YearChart({
  bars,
  selected,
  onSelect,
  label,
}: {
  bars: ChartBar[];
  selected: number | null;
  onSelect: (key: number) => void;
  label: string;
}) {
  const playable = bars.filter((bar) => bar.scrobbles > 0);
  const current = bars.find((bar) => bar.key === selected);
  function onKeyDown(event: KeyboardEvent<HTMLElement>) {
    const keys: Record<string, () => number | null> = {
      ArrowRight: () => step(bars, selected, 1),
      ArrowLeft: () => step(bars, selected, -1),
      Home: () => playable[0]?.key ?? null,
      End: () => playable[playable.length - 1]?.key ?? null,
    };
    const next = keys[event.key]?.();
    if (next === undefined) return;
    event.preventDefault();
    if (next !== null) onSelect(next);
  }
  return (
    <div className="chart-box" data-testid="chart" data-bar-count={bars.length}>
      {/* The canvas is a picture; this slider is how a keyboard or a screen reader picks a bar. */}
      <div
        className="chart-focus"
        role="slider"
        tabIndex={0}
        aria-label={`${label}: pick a release ${bars[0]?.label.endsWith("s") ? "decade" : "year"} with the arrow keys to list its albums`}
        aria-valuemin={bars[0]?.key}
        aria-valuemax={bars[bars.length - 1]?.key}
        aria-valuenow={selected ?? undefined}
        aria-valuetext={
          current ? `${current.label}: ${current.scrobbles.toLocaleString("en")} scrobbles` : "none picked yet"
        }
        onKeyDown={onKeyDown}
      />
      <Bar
        aria-label={label}
        role="img"
        data={{
          labels: bars.map((bar) => bar.label),
          datasets: [
            {
              label: "scrobbles",
              data: bars.map((bar) => bar.scrobbles),
              backgroundColor: bars.map((bar) => (selected === null || bar.key === selected ? "#e2483d" : "#6b2a25")),
              hoverBackgroundColor: "#f29e4c",
              borderRadius: 3,
              categoryPercentage: 0.9,
              barPercentage: 0.95,
            },
          ],
        }}
        options={{
          responsive: true,
          maintainAspectRatio: false,
          animation: false,
          plugins: {
            tooltip: { callbacks: { label: (item) => `${Number(item.raw).toLocaleString("en")} scrobbles` } },
          },
          scales: {
            x: { ticks: { color: "#9aa3b2", maxRotation: 0, autoSkip: true }, grid: { display: false } },
            y: { ticks: { color: "#9aa3b2" }, grid: { color: "#232833" }, beginAtZero: true },
          },
          onClick: (_event, elements) => {
            const index = elements[0]?.index;
            if (index !== undefined && bars[index].scrobbles > 0) onSelect(bars[index].key);
          },
          onHover: (event, elements) => {
            const target = event.native?.target as HTMLElement | undefined;
            if (target) target.style.cursor = elements.length ? "pointer" : "default";
          },
        }}
      />
    </div>
  );
}
