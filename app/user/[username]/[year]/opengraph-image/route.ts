import { renderShareCard } from "@/app/ui/share-card";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

// GET /user/[username]/[year]/opengraph-image?tz=Zone – the year's share card (1200×630 PNG) in the link's zone
export async function GET(request: Request, { params }: { params: Promise<{ username: string; year: string }> }) {
  return renderShareCard(request, params);
}
