"use client";

import { BarElement, CategoryScale, Chart as ChartJS, Legend, LinearScale, Tooltip } from "chart.js";
import { Bar } from "react-chartjs-2";

ChartJS.register(BarElement, CategoryScale, LinearScale, Tooltip, Legend);

export const SIDE_COLORS = ["#e2483d", "#4cc3f2"] as const;

export type CompareSeries = { name: string; shares: number[] };

/**
 * Two distributions overlaid on one continuous axis, as shares of each side's dated plays, so a heavy and a
 * light listener (or a busy and a quiet year) compare by shape rather than volume.
 */
export function CompareChart({ labels, series, label }: { labels: string[]; series: CompareSeries[]; label: string }) {
  return (
    <div className="chart-box">
      <Bar
        aria-label={label}
        role="img"
        data={{
          labels,
          datasets: series.map((side, i) => ({
            label: side.name,
            data: side.shares.map((share) => Math.round(share * 1000) / 10),
            backgroundColor: `${SIDE_COLORS[i]}cc`,
            borderRadius: 2,
            grouped: true,
            categoryPercentage: 0.9,
            barPercentage: 1,
          })),
        }}
        options={{
          responsive: true,
          maintainAspectRatio: false,
          animation: false,
          plugins: {
            legend: { labels: { color: "#e9ecf1" } },
            tooltip: { callbacks: { label: (item) => `${item.dataset.label}: ${item.raw} % of dated plays` } },
          },
          scales: {
            x: { ticks: { color: "#9aa3b2", maxRotation: 0, autoSkip: true }, grid: { display: false } },
            y: {
              ticks: { color: "#9aa3b2", callback: (value) => `${value} %` },
              grid: { color: "#232833" },
              beginAtZero: true,
            },
          },
        }}
      />
    </div>
  );
}
