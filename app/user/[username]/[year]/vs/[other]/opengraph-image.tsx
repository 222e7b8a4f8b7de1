// The share card of two listeners in one year. Read-only: never imports, never calls Last.fm.
import { ImageResponse } from "next/og";
import { ZodError } from "zod";
import { loadStoredSide } from "@/lib/imports/compare-card";
import { log } from "@/lib/server/log";
import { parseCompareListenersParams } from "@/lib/server/params";
import { CARD_SIZE, type CardSide, CompareCard } from "@/app/ui/compare-card";

export const runtime = "nodejs";
export const alt = "Two Last.fm listeners' year, by original release year, mirrored";
export const size = CARD_SIZE;
export const contentType = "image/png";

type Params = { params: Promise<{ username: string; year: string; other: string }> };

export default async function Image({ params }: Params) {
  let title = "Two listeners, side by side";
  let sides: CardSide[] | null = null;
  try {
    const { username, year, other } = await parseCompareListenersParams(params);
    const loaded = await Promise.all([loadStoredSide(username, year), loadStoredSide(other, year)]);
    if (loaded[0] && loaded[1]) {
      sides = [loaded[0], loaded[1]];
      title = `${loaded[0].name} vs ${loaded[1].name} in ${year}`;
    }
  } catch (error) {
    if (!(error instanceof ZodError)) log.error({ err: error }, "compare card fell back");
  }
  return new ImageResponse(<CompareCard title={title} sides={sides} />, size);
}
