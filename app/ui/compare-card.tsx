// The share card of a comparison: the two distributions mirrored around one time axis (one side above,
// the other below), each as shares of its own dated plays. Read-only: it never starts an import.
import { decadeOf } from "@/lib/imports/series";
import type { Story } from "@/lib/imports/story";

export const CARD_SIZE = { width: 1200, height: 630 };
const COLORS = { bg: "#0f1115", text: "#e9ecf1", muted: "#9aa3b2", sides: ["#e2483d", "#4cc3f2"] };
const HALF = 150;

export type CardSide = {
  name: string;
  distribution: { releaseYear: number; scrobbles: number }[];
  story: Story;
};

function shares(sides: CardSide[]): { first: number; last: number; values: { year: number; value: number }[][] } {
  const years = sides.flatMap((side) => side.distribution.map((row) => row.releaseYear));
  const first = Math.min(...years);
  const last = Math.max(...years);
  const values = sides.map((side) => {
    const total = side.distribution.reduce((sum, row) => sum + row.scrobbles, 0) || 1;
    const byYear = new Map(side.distribution.map((row) => [row.releaseYear, row.scrobbles / total]));
    return Array.from({ length: last - first + 1 }, (_, i) => ({ year: first + i, value: byYear.get(first + i) ?? 0 }));
  });
  return { first, last, values };
}

export function CompareCard({ title, sides }: { title: string; sides: CardSide[] | null }) {
  const hasData = sides?.every((side) => side.distribution.length > 0) ?? false;
  const chart = sides && hasData ? shares(sides) : null;
  const peak = chart ? Math.max(0.0001, ...chart.values.flat().map((bar) => bar.value)) : 1;
  return (
    <div
      style={{
        width: "100%",
        height: "100%",
        display: "flex",
        flexDirection: "column",
        padding: "48px 64px",
        background: COLORS.bg,
        color: COLORS.text,
      }}
    >
      <div style={{ display: "flex", fontSize: 32, fontWeight: 700 }}>
        LastYear<span style={{ color: COLORS.sides[0] }}>.fm</span>
      </div>
      <div style={{ display: "flex", marginTop: 10, fontSize: 50, fontWeight: 700 }}>{title}</div>
      {chart && sides ? (
        <div style={{ display: "flex", flexDirection: "column", marginTop: 20 }}>
          {[0, 1].map((side) => (
            <div
              key={side}
              style={{
                display: "flex",
                alignItems: side === 0 ? "flex-end" : "flex-start",
                height: HALF,
                gap: 2,
                borderTop: side === 1 ? `2px solid ${COLORS.muted}` : "none",
              }}
            >
              {chart.values[side].map((bar) => (
                <div
                  key={bar.year}
                  style={{
                    flexGrow: 1,
                    height: Math.round((bar.value / peak) * (HALF - 4)),
                    background: COLORS.sides[side],
                  }}
                />
              ))}
            </div>
          ))}
          <div style={{ display: "flex", justifyContent: "space-between", fontSize: 22, color: COLORS.muted }}>
            <span>{`${decadeOf(chart.first)}s`}</span>
            <span>{chart.last}</span>
          </div>
        </div>
      ) : (
        <div style={{ display: "flex", flexGrow: 1, alignItems: "center", fontSize: 34, color: COLORS.muted }}>
          Two years of music, side by side by release year.
        </div>
      )}
      {sides && hasData && (
        <div style={{ display: "flex", marginTop: "auto", gap: 48, fontSize: 28 }}>
          {sides.map((side, i) => (
            <div key={side.name} style={{ display: "flex", color: COLORS.sides[i] }}>
              {`${side.name}: median age ${side.story.medianAge ?? "–"} years`}
            </div>
          ))}
        </div>
      )}
    </div>
  );
}
