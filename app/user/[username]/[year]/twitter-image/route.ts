import { renderShareCard } from "@/app/ui/share-card";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

// GET /user/[username]/[year]/twitter-image?tz=Zone – the Twitter/X card is the Open Graph card
export async function GET(request: Request, { params }: { params: Promise<{ username: string; year: string }> }) {
  return renderShareCard(request, params);
}
