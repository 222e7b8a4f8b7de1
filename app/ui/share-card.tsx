// The share card of a user's year, in the zone of the link it was shared from. Read-only: it never
// starts an import and never calls Last.fm, so a crawler fetching it costs nothing; anything it cannot
// chart gets the generic card.
import { ImageResponse } from "next/og";
import { ZodError } from "zod";
import { getYearDistribution, type YearDistribution } from "@/lib/imports/distribution";
import { getFetchJob } from "@/lib/imports/store";
import { UTC } from "@/lib/imports/year-window";
import { log } from "@/lib/server/log";
import { parseTimeZone, parseUserYearParams } from "@/lib/server/params";
import { findUser } from "@/lib/lastfm/users";
import { isOptedOut } from "@/lib/account/choices";

export const alt = "When the music of a Last.fm year was first released, as a bar chart";
export const size = { width: 1200, height: 630 };

const COLORS = { bg: "#0f1115", panel: "#171a21", text: "#e9ecf1", muted: "#9aa3b2", accent: "#e2483d" };
const CHART_HEIGHT = 300;

type Params = Promise<{ username: string; year: string }>;
type Card = { result: YearDistribution; timeZone: string };

async function loadYear(params: Params, searchParams: URLSearchParams): Promise<Card | null> {
  const { username, year } = await parseUserYearParams(params);
  if (await isOptedOut(username)) return null;
  const timeZone = parseTimeZone(searchParams);
  const user = await findUser(username);
  if (user?.state !== "active") return null;
  const job = await getFetchJob(user.id, year);
  return job ? { result: await getYearDistribution(user, year, timeZone), timeZone } : null;
}

/** One bar per release year from the first to the last, gaps included, so the x axis is time. */
function toBars(distribution: YearDistribution["distribution"]): { year: number; scrobbles: number }[] {
  if (distribution.length === 0) return [];
  const byYear = new Map(distribution.map((row) => [row.releaseYear, row.scrobbles]));
  const first = distribution[0].releaseYear;
  const last = distribution[distribution.length - 1].releaseYear;
  return Array.from({ length: last - first + 1 }, (_, i) => ({
    year: first + i,
    scrobbles: byYear.get(first + i) ?? 0,
  }));
}

function Brand() {
  return (
    <div style={{ display: "flex", fontSize: 36, fontWeight: 700, color: COLORS.text }}>
      LastYear<span style={{ color: COLORS.accent }}>.fm</span>
    </div>
  );
}

function GenericCard() {
  return (
    <div
      style={{
        width: "100%",
        height: "100%",
        display: "flex",
        flexDirection: "column",
        justifyContent: "center",
        padding: 80,
        background: COLORS.bg,
      }}
    >
      <Brand />
      <div style={{ display: "flex", marginTop: 32, fontSize: 68, fontWeight: 700, color: COLORS.text }}>
        What era was your music from?
      </div>
      <div style={{ display: "flex", marginTop: 24, fontSize: 32, color: COLORS.muted }}>
        Your Last.fm year, charted by original release year.
      </div>
    </div>
  );
}

function YearCard({ result, timeZone }: Card) {
  const bars = toBars(result.distribution);
  const peak = Math.max(1, ...bars.map((bar) => bar.scrobbles));
  const coverage = Math.round(result.totals.coverage * 100);
  return (
    <div
      style={{
        width: "100%",
        height: "100%",
        display: "flex",
        flexDirection: "column",
        padding: "56px 64px",
        background: COLORS.bg,
        color: COLORS.text,
      }}
    >
      <Brand />
      <div style={{ display: "flex", marginTop: 16, fontSize: 56, fontWeight: 700 }}>
        {`${result.username}'s ${result.year} by release year`}
      </div>
      {timeZone !== UTC && (
        <div style={{ display: "flex", marginTop: 8, fontSize: 26, color: COLORS.muted }}>
          {`midnight to midnight in ${timeZone.replaceAll("_", " ")}`}
        </div>
      )}
      {bars.length === 0 ? (
        <div style={{ display: "flex", flexGrow: 1, alignItems: "center", fontSize: 36, color: COLORS.muted }}>
          Not charted yet: the import is still running.
        </div>
      ) : (
        <div style={{ display: "flex", flexDirection: "column", marginTop: 32 }}>
          <div style={{ display: "flex", alignItems: "flex-end", height: CHART_HEIGHT, gap: 2 }}>
            {bars.map((bar) => (
              <div
                key={bar.year}
                style={{
                  flexGrow: 1,
                  height: Math.max(bar.scrobbles > 0 ? 2 : 0, Math.round((bar.scrobbles / peak) * CHART_HEIGHT)),
                  background: COLORS.accent,
                  borderRadius: 2,
                }}
              />
            ))}
          </div>
          <div
            style={{
              display: "flex",
              justifyContent: "space-between",
              marginTop: 8,
              fontSize: 24,
              color: COLORS.muted,
            }}
          >
            <span>{bars[0].year}</span>
            <span>{bars[bars.length - 1].year}</span>
          </div>
        </div>
      )}
      <div style={{ display: "flex", marginTop: "auto", fontSize: 28, color: COLORS.muted }}>
        {`${coverage} % of ${result.totals.scrobbles.toLocaleString("en-US")} scrobbles have a release year`}
      </div>
    </div>
  );
}

/** The card for `/user/NAME/YEAR/opengraph-image?tz=Zone` (and twitter-image): a PNG, whatever is asked. */
export async function renderShareCard(request: Request, params: Params): Promise<Response> {
  const card = await loadYear(params, new URL(request.url).searchParams).catch((error: unknown) => {
    // Bad params (ZodError) are expected from crawlers; only real failures are worth a log line.
    if (!(error instanceof ZodError)) log.error({ err: error }, "share card fell back");
    return null;
  });
  return new ImageResponse(card ? <YearCard {...card} /> : <GenericCard />, size);
}
