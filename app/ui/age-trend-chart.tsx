"use client";

import { Chart as ChartJS, Legend, LinearScale, LineElement, PointElement, Tooltip } from "chart.js";
import { Line } from "react-chartjs-2";
import { type Trend, trendAt } from "@/lib/imports/trend";

ChartJS.register(LineElement, PointElement, LinearScale, Tooltip, Legend);

/** Median age per listening year on a linear (continuous) year axis, with its least-squares trend. */
export function AgeTrendChart({ points, trend }: { points: { year: number; age: number }[]; trend: Trend | null }) {
  const first = points[0]?.year ?? 0;
  const last = points[points.length - 1]?.year ?? 0;
  return (
    <div className="chart-box trend-box" data-testid="age-trend">
      <Line
        aria-label={`Median age of the music played, per listening year, ${first} to ${last}`}
        role="img"
        data={{
          datasets: [
            {
              label: "median age (years)",
              data: points.map((point) => ({ x: point.year, y: point.age })),
              borderColor: "#e2483d",
              backgroundColor: "#e2483d",
              pointRadius: 4,
              showLine: false,
            },
            ...(trend
              ? [
                  {
                    label: "trend",
                    data: [first, last].map((year) => ({ x: year, y: Math.round(trendAt(trend, year) * 10) / 10 })),
                    borderColor: "#f29e4c",
                    backgroundColor: "#f29e4c",
                    borderDash: [6, 4],
                    pointRadius: 0,
                  },
                ]
              : []),
          ],
        }}
        options={{
          responsive: true,
          maintainAspectRatio: false,
          animation: false,
          plugins: { legend: { labels: { color: "#e9ecf1" } } },
          scales: {
            x: {
              type: "linear",
              min: first - 0.5,
              max: last + 0.5,
              ticks: { color: "#9aa3b2", callback: (value) => String(value) },
              // One tick per listening year with a point, never the half years of the padding.
              afterBuildTicks: (axis) => {
                axis.ticks = points.map((point) => ({ value: point.year }));
              },
              grid: { display: false },
            },
            y: { ticks: { color: "#9aa3b2" }, grid: { color: "#232833" }, beginAtZero: true },
          },
        }}
      />
    </div>
  );
}
