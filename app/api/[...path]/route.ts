import { errorResponse } from "@/lib/server/http";

export const dynamic = "force-dynamic";

async function notFound(): Promise<Response> {
  return errorResponse("not_found", "There is no API at this address.");
}

// GET, POST, PUT, PATCH, DELETE /api/… – any other API address: 404 in the JSON error shape, not a page
export const GET = notFound;
export const POST = notFound;
export const PUT = notFound;
export const PATCH = notFound;
export const DELETE = notFound;
