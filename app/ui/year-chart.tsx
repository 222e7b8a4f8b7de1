"use client";

import { BarElement, CategoryScale, Chart as ChartJS, LinearScale, Tooltip } from "chart.js";
import { Bar } from "react-chartjs-2";

ChartJS.register(BarElement, CategoryScale, LinearScale, Tooltip);

export type ChartBar = { label: string; value: number; key: number };

/** A bar chart of plays per release year (or decade). Clicking a bar selects it. */
export function YearChart({
  bars,
  selected,
  onSelect,
}: {
  bars: ChartBar[];
  selected: number | null;
  onSelect: (key: number) => void;
}) {
  return (
    <div className="chart-box">
      <Bar
        aria-label="Scrobbles by original release year"
        role="img"
        data={{
          labels: bars.map((bar) => bar.label),
          datasets: [
            {
              label: "scrobbles",
              data: bars.map((bar) => bar.value),
              backgroundColor: bars.map((bar) => (selected === null || bar.key === selected ? "#e2483d" : "#6b2a25")),
              hoverBackgroundColor: "#f29e4c",
              borderRadius: 3,
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
            if (index !== undefined) onSelect(bars[index].key);
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
